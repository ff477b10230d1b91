import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminModule } from './admin/admin.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { ApiTokensModule } from './api-tokens/api-tokens.module.js';
import { AppsModule } from './apps/apps.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthenticationGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { CloudsModule } from './clouds/clouds.module.js';
import type { ProviderFactory } from './clouds/provider-factory.js';
import { ClustersModule } from './clusters/clusters.module.js';
import type { Config } from './config.js';
import { CoreModule } from './core/core.module.js';
import { ProblemFilter } from './core/problem.filter.js';
import { TenantScopeInterceptor } from './core/scope.interceptor.js';
import { ValidationGuard } from './core/validation.guard.js';
import { HealthModule } from './health/health.module.js';
import { HostsModule } from './hosts/hosts.module.js';
import { MembersModule } from './members/members.module.js';
import { RegistriesModule } from './registries/registries.module.js';
import { StatsModule } from './stats/stats.module.js';
import { TenantClustersModule } from './tenant-clusters/tenant-clusters.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

/**
 * Request pipeline: AuthenticationGuard (passport) → ValidationGuard (route schemas) → TenantScopeInterceptor
 * (tenant, role, suspension, one transaction, audit) → handler; ProblemFilter turns every error into problem+json.
 */
/** What an embedding (the tests) may replace: the boundaries to the outside world that have no local stand-in. */
export interface AppOverrides {
  /** The cloud adapters' factory (default: the providers' SDKs against their real endpoints). */
  providerFactory?: ProviderFactory;
}

@Module({})
export class AppModule {
  static forRoot(config: Config, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        AuthModule,
        TenantsModule,
        MembersModule,
        ApiTokensModule,
        RegistriesModule,
        CloudsModule.forRoot(overrides.providerFactory),
        HostsModule.forRoot(overrides.providerFactory),
        TenantClustersModule.forRoot(overrides.providerFactory),
        AgentsModule,
        AppsModule,
        StatsModule,
        ClustersModule,
        AuditModule,
        AdminModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: ValidationGuard },
        { provide: APP_INTERCEPTOR, useClass: TenantScopeInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}

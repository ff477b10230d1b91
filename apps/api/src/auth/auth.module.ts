import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ApiTokenStrategy } from './api-token.strategy.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LocalStrategy } from './local.strategy.js';
import { RateLimitService } from './rate-limit.service.js';
import { SessionService } from './session.service.js';
import { SessionRevocations } from './session-revocations.js';

@Module({
  imports: [PassportModule.register({ session: false }), TenantsModule],
  controllers: [AuthController],
  providers: [AuthService, SessionService, SessionRevocations, RateLimitService, JwtStrategy, ApiTokenStrategy, LocalStrategy],
  exports: [AuthService],
})
export class AuthModule {}

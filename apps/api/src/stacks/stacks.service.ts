import { Injectable } from '@nestjs/common';
import { applyForm, type CompileResult, compileCompose, formFromYaml, type StackForm } from '@wharf/compose';
import {
  ConflictError,
  NotFoundError,
  type SaveStackBody,
  type StackDiff,
  type StackView,
  type ValidateStackResult,
  ValidationError,
} from '@wharf/contracts';
import { type AppRow, AppsRepository, DeploymentsRepository, EnvironmentsRepository, type TenantScope } from '@wharf/db';
import { diffStacks, StackSpec } from '@wharf/engine';
import { builtBy, clusterPolicy, invalidStack } from '@wharf/releases';
import type { z } from 'zod';
import { VariablesService } from '../apps/variables.service.js';
import { RevisionsService } from './revisions.service.js';

const PRODUCTION = 'production';

function graphOf(result: CompileResult) {
  return result.ok ? result.graph : null;
}

/** A compose app's stack: read and saved as YAML or as a form, validated, and compared with what runs. */
@Injectable()
export class StacksService {
  private readonly apps = new AppsRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    private readonly revisions: RevisionsService,
    private readonly variables: VariablesService,
  ) {}

  /** The stack compiled as an environment would deploy it (its variables, the cluster's policy). */
  async compile(scope: TenantScope, app: AppRow, yaml: string, environment = PRODUCTION): Promise<CompileResult> {
    if (!(await this.environments.find(scope, app.id, environment))) throw new NotFoundError('environment');
    const values = await this.variables.values(scope, { appId: app.id, environment });
    const cluster = await this.revisions.cluster(scope, app);
    return compileCompose(yaml, { variables: values.plain, stage: 'deploy', cluster: clusterPolicy(cluster) });
  }

  async view(scope: TenantScope, app: AppRow): Promise<z.output<typeof StackView>> {
    const yaml = this.source(app);
    const result = await this.compile(scope, app, yaml);
    const form = formFromYaml(yaml);
    return {
      yaml,
      form: form.ok ? (form.form as Record<string, unknown>) : null,
      graph: graphOf(result),
      issues: result.ok ? result.warnings : [...result.errors, ...result.warnings],
      updatedAt: app.updatedAt.toISOString(),
    };
  }

  /** Saves a valid stack (as production would compile it); the environments deploy it when asked. */
  async save(scope: TenantScope, app: AppRow, body: z.output<typeof SaveStackBody>): Promise<z.output<typeof StackView>> {
    const current = this.source(app);
    let yaml: string;
    if ('yaml' in body) {
      yaml = body.yaml;
    } else {
      const written = applyForm(current, body.form as StackForm);
      if (!written.ok) throw new ValidationError([{ path: 'body.form', message: written.message, code: 'form' }]);
      yaml = written.yaml;
    }
    const result = await this.compile(scope, app, yaml);
    if (!result.ok) throw invalidStack(result.errors);
    const row = await this.apps.update(scope, app.id, { compose: yaml });
    return this.view(scope, row ?? app);
  }

  async validate(
    scope: TenantScope,
    app: AppRow,
    yaml: string,
    environment?: string,
  ): Promise<z.output<typeof ValidateStackResult>> {
    const result = await this.compile(scope, app, yaml, environment);
    const form = formFromYaml(yaml);
    return {
      ok: result.ok,
      errors: result.ok ? [] : result.errors,
      warnings: result.warnings,
      graph: graphOf(result),
      form: form.ok ? (form.form as Record<string, unknown>) : null,
    };
  }

  /** What deploying the app to the environment now would change there. */
  async diff(scope: TenantScope, app: AppRow, environment: string): Promise<StackDiff> {
    const env = await this.environments.find(scope, app.id, environment);
    if (!env) throw new NotFoundError('environment');
    // the revision a deployment would make: with the images of the build it would run
    const build = await this.revisions.buildToRun(scope, app, env.currentDeploymentId, undefined);
    const next = await this.revisions.build(scope, app, env, 'deploy', builtBy(app, build));
    const current = env.currentDeploymentId ? await this.deployments.get(scope, env.currentDeploymentId) : undefined;
    const from = current ? StackSpec.parse(current.spec) : undefined;
    return {
      environment,
      from: current ? { deploymentId: current.id, revision: current.revision } : null,
      ...diffStacks(from, next.spec, { ...(current ? { from: current.configs } : {}), to: next.configs }),
    };
  }

  private source(app: AppRow): string {
    if (app.kind !== 'compose' || app.compose === null) {
      throw new ConflictError('This app runs one image: it has no compose stack (its settings are the app’s own).');
    }
    return app.compose;
  }
}

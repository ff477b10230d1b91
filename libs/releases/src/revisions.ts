import {
  applyBindings,
  type CompiledStack,
  type CompileOptions,
  type ComposeIssue,
  compileCompose,
  POLICY_RULES,
  type PolicyRule,
  type ResolvedBinding,
  type SourceLocation,
} from '@wharf/compose';
import {
  type Binding,
  Binding as BindingSchema,
  ConflictError,
  type FieldError,
  NotFoundError,
  type QuotaExceededError,
  ValidationError,
} from '@wharf/contracts';
import type { SecretBox } from '@wharf/crypto';
import {
  type AppEnvironmentRow,
  type AppRow,
  AppsRepository,
  type BuildRow,
  BuildsRepository,
  type ClusterRow,
  ClustersRepository,
  DeploymentsRepository,
  EnvironmentsRepository,
  type TenantScope,
} from '@wharf/db';
import { imageAppStack, StackSpec, type StackUsage, serviceName, stackUsage } from '@wharf/engine';
import { environmentValues } from './variables.js';

/** What a build made for a deployment to run: an app's image, or the images of a stack's services that build. */
export interface Built {
  image?: string;
  services?: Record<string, string>;
}

/** What a deployment runs of a build (none: an app of images only). */
export function builtBy(app: Pick<AppRow, 'kind'>, build: BuildRow | undefined): Built {
  if (!build) return {};
  return app.kind === 'source' ? { image: `${build.image}@${build.digest}` } : { services: build.images ?? {} };
}

/** What a deployment of an environment records: the stack to run, the values it references, the quota it holds. */
export interface Revision {
  spec: StackSpec;
  secrets: Record<string, string>;
  configs: Record<string, string>;
  usage: StackUsage;
  warnings: ComposeIssue[];
  /** Where a path of the compose file is (compose apps). */
  locate?: CompiledStack['locate'];
}

/**
 * A quota refusal of a compose stack, pointing at what asked for the most of that quota: `services:` for the
 * number of services, else the replicas and limits of the largest services.
 */
export function quotaAtLines(err: QuotaExceededError, stack: StackSpec, locate: CompiledStack['locate']): QuotaExceededError {
  const at = (path: string, message: string): FieldError => ({
    path: `yaml.${path}`,
    message,
    code: 'quota',
    ...pick(locate(path)),
  });
  if (err.quota === 'services') return err.at([at('services', `${stack.services.length} services`)]);
  const key = err.quota === 'cpuMillis' ? 'cpuMillis' : err.quota === 'memoryMiB' ? 'memoryMiB' : undefined;
  if (!key) return err;
  const unit = key === 'cpuMillis' ? 'millicores' : 'MiB';
  const largest = [...stack.services]
    .map((s) => ({ s, total: s.replicas * s.resources.limits[key] }))
    .sort((a, b) => b.total - a.total)
    .slice(0, 3);
  return err.at(
    largest.map(({ s, total }) =>
      at(`services.${s.name}.deploy`, `${s.name}: ${s.replicas} × ${s.resources.limits[key]} = ${total} ${unit}`),
    ),
  );
}

function pick(loc: SourceLocation): { line: number; column: number } {
  return { line: loc.line, column: loc.column };
}

/** A compose file's problems as the `errors` of a 400 problem document, each at its line. */
export function stackErrors(issues: readonly ComposeIssue[]): FieldError[] {
  return issues.map((i) => ({
    path: i.path ? `yaml.${i.path}` : 'yaml',
    message: i.message,
    code: i.code,
    line: i.line,
    column: i.column,
    ...(i.rule ? { rule: i.rule } : {}),
  }));
}

export function invalidStack(issues: readonly ComposeIssue[]): ValidationError {
  const first = issues[0];
  const where = first ? ` (first at line ${first.line}: ${first.message})` : '';
  return new ValidationError(stackErrors(issues), `The compose file has ${issues.length} problem(s)${where}.`);
}

function noTestService(message: string): ValidationError {
  return new ValidationError([{ path: 'body.test', message, code: 'no_test_service' }]);
}

/** The policy a cluster enforces: every rule on a shared cluster, those its owner did not relax on a dedicated one. */
export function clusterPolicy(cluster: Pick<ClusterRow, 'kind' | 'policyRelaxed'>): CompileOptions['cluster'] {
  if (cluster.kind === 'shared') return { shared: true };
  return {
    shared: false,
    relaxed: cluster.policyRelaxed.filter((r): r is PolicyRule => (POLICY_RULES as readonly string[]).includes(r)),
  };
}

/**
 * Builds revisions: the image form or the compose file (compiled with the environment's variables under the
 * cluster's policy), the environment's bindings applied, and the secret and config values it references.
 */
export class Revisions {
  private readonly apps = new AppsRepository();
  private readonly clusters = new ClustersRepository();
  private readonly deployments = new DeploymentsRepository();
  private readonly environments = new EnvironmentsRepository();
  private readonly builds = new BuildsRepository();

  constructor(protected readonly box: SecretBox) {}

  async cluster(scope: TenantScope, app: AppRow): Promise<ClusterRow> {
    const cluster = await this.clusters.findForTenant(scope, app.clusterId);
    if (!cluster) throw new Error(`app ${app.id}: cluster ${app.clusterId} not visible`);
    return cluster;
  }

  /**
   * Throws ValidationError (the stack's problems, at their lines) or ConflictError (needs the environment does not
   * bind). `test`: the stack of the integration stage (with its test service), which must have one. `built`: what
   * a build made — the image of an app built from source, the images of a stack's services that build — pinned to
   * their digests.
   */
  async build(
    scope: TenantScope,
    app: AppRow,
    env: AppEnvironmentRow,
    stage: 'deploy' | 'test' = 'deploy',
    built: Built = {},
  ): Promise<Revision> {
    const values = await environmentValues(this.box, scope, { appId: app.id, environment: env.name });
    if (app.kind === 'image' || app.kind === 'source') {
      const spec = StackSpec.parse(
        imageAppStack({
          service: app.service,
          image: built.image ?? app.image ?? '',
          httpPort: app.httpPort,
          command: app.command,
          healthcheck: app.healthcheck as Parameters<typeof imageAppStack>[0]['healthcheck'],
          replicas: app.replicas ?? 1,
          cpuMillis: app.cpuMillis ?? 250,
          memoryMiB: app.memoryMib ?? 128,
          env: values.plain,
          secretKeys: Object.keys(values.secret),
        }),
      );
      if (stage === 'test') throw noTestService('an app of one image has no test service: give it a compose file with one');
      return { spec, secrets: values.secret, configs: {}, usage: stackUsage(spec), warnings: [] };
    }
    const cluster = await this.cluster(scope, app);
    const result = compileCompose(app.compose ?? '', {
      file: 'docker-compose.yml',
      variables: values.plain,
      stage,
      cluster: clusterPolicy(cluster),
      builtImages: built.services ?? {},
    });
    if (!result.ok) throw invalidStack(result.errors);
    const unbuilt = Object.keys(result.builds).filter((s) => !built.services?.[s]);
    if (unbuilt.length > 0) {
      throw new ConflictError(
        `The stack builds ${unbuilt.join(', ')} from the app's repository and no build has made ${unbuilt.length > 1 ? 'their images' : 'its image'} yet: build it first.`,
      );
    }
    if (stage === 'test' && result.test === undefined) {
      throw noTestService('the compose file has no test service: mark one with `x-wharf-test: true` or the `test` profile');
    }
    const resolved = await this.resolveBindings(scope, app, env, cluster);
    const { stack, missing } = applyBindings(result.stack, result.externals, resolved);
    if (missing.length > 0) {
      const list = missing.map((m) => `"${m.name}" (needed by ${m.service})`).join(', ');
      throw new ConflictError(`The ${env.name} environment does not bind ${list}: set its bindings first.`);
    }
    const problems: ComposeIssue[] = [];
    const resolveValue = (section: 'secrets' | 'configs', name: string, source: (typeof result.secrets)[string]) => {
      if (source.kind === 'content') return source.value;
      const value = values.secret[source.name] ?? values.plain[source.name];
      if (value === undefined) {
        problems.push({
          ...result.locate(`${section}.${name}`),
          severity: 'error',
          code: 'reference',
          path: `${section}.${name}`,
          message: `${section}.${name}: the ${env.name} environment has no variable or secret ${source.name}`,
        });
      }
      return value ?? '';
    };
    const secrets = Object.fromEntries(Object.entries(result.secrets).map(([n, src]) => [n, resolveValue('secrets', n, src)]));
    const configs = Object.fromEntries(Object.entries(result.configs).map(([n, src]) => [n, resolveValue('configs', n, src)]));
    if (problems.length > 0) throw invalidStack(problems);
    return { spec: stack, secrets, configs, usage: stackUsage(stack), warnings: result.warnings, locate: result.locate };
  }

  /** The environment's bindings with what they point at looked up (another app's service: its engine name and port). */
  private async resolveBindings(
    scope: TenantScope,
    app: AppRow,
    env: AppEnvironmentRow,
    cluster: ClusterRow,
  ): Promise<Record<string, ResolvedBinding>> {
    const out: Record<string, ResolvedBinding> = {};
    for (const [name, raw] of Object.entries(env.bindings)) {
      const parsed = BindingSchema.safeParse(raw);
      if (!parsed.success) throw new ConflictError(`The binding "${name}" of ${env.name} is not valid any more: set it again.`);
      const binding: Binding = parsed.data;
      if (binding.kind !== 'service') {
        out[name] = binding;
        continue;
      }
      out[name] = await this.resolveService(scope, { app, env, cluster }, name, binding);
    }
    return out;
  }

  private async resolveService(
    scope: TenantScope,
    from: { app: AppRow; env: AppEnvironmentRow; cluster: ClusterRow },
    name: string,
    binding: Extract<Binding, { kind: 'service' }>,
  ): Promise<ResolvedBinding> {
    const { app, env, cluster } = from;
    const refuse = (why: string) =>
      new ConflictError(`The binding "${name}" points at ${binding.app}/${binding.service}: ${why}.`);
    const target = await this.apps.find(scope, binding.app);
    if (!target) throw refuse('there is no such app');
    if (target.clusterId !== cluster.id) throw refuse('that app runs on another cluster');
    if (target.id === app.id && binding.environment === env.name) throw refuse('that is this environment’s own stack');
    const targetEnv = await this.environments.find(scope, target.id, binding.environment);
    if (!targetEnv?.currentDeploymentId) throw refuse(`its ${binding.environment} environment has not been deployed`);
    const deployment = await this.deployments.get(scope, targetEnv.currentDeploymentId);
    const service = deployment && StackSpec.parse(deployment.spec).services.find((s) => s.name === binding.service);
    if (!service) throw refuse('that app has no such service');
    const port = binding.port ?? service.ports.find((p) => p.http)?.containerPort ?? service.ports[0]?.containerPort;
    if (port === undefined) throw refuse('the service has no port: name one in the binding');
    const ref = { tenantId: scope.tenantId, app: target.slug, environment: binding.environment };
    return {
      kind: 'service',
      host: serviceName(ref, service.name),
      port,
      network: { app: target.slug, environment: binding.environment },
    };
  }

  /**
   * The build whose images a deployment runs: the one asked for, else the environment's, else the app's newest.
   * An app built from source needs one; a compose stack only when services build (the revision says so).
   */
  async buildToRun(
    scope: TenantScope,
    app: AppRow,
    currentDeploymentId: string | null,
    asked: BuildRow | undefined,
  ): Promise<BuildRow | undefined> {
    if (app.kind === 'image') {
      if (asked) throw new ConflictError('The app runs an image: it has no builds to deploy.');
      return undefined;
    }
    let build = asked;
    if (!build && currentDeploymentId) {
      const current = await this.deployments.get(scope, currentDeploymentId);
      build = current?.buildId ? await this.builds.get(scope, current.buildId) : undefined;
    }
    build ??= await this.builds.latestSucceeded(scope, app.id);
    if (!build) {
      if (app.kind === 'source') throw new ConflictError('The app has no image yet: build it first.');
      return undefined;
    }
    if (build.appId !== app.id) throw new NotFoundError('build');
    const made = app.kind === 'source' ? build.image && build.digest : build.images;
    if (build.status !== 'succeeded' || !made) {
      throw new ConflictError(`Build #${build.number} has no image to deploy (${build.status}).`);
    }
    return build;
  }
}

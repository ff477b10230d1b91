import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generateDeployKey, parseRepositoryUrl, validateBranchName } from '@wharf/build';
import {
  type AppSource,
  BuildSettings,
  ConflictError,
  type FieldError,
  NotFoundError,
  type SetSourceBody,
  ValidationError,
} from '@wharf/contracts';
import { AAD, type SecretBox } from '@wharf/crypto';
import {
  type AppRow,
  type AppSourceRow,
  EnvironmentsRepository,
  SourcesRepository,
  type SourceValues,
  type TenantScope,
} from '@wharf/db';
import { CONFIG, type Config } from '../config.js';
import { SECRET_BOX } from '../core/tokens.js';

/**
 * Where an app's image is built from: its git repository and how Wharf reaches it (a token, a deploy key generated
 * for the app, or one of the tenant's git connections), the build settings and region, the branches its
 * environments track, and its webhook (an unguessable path and a secret of its own).
 */
@Injectable()
export class SourcesService {
  private readonly sources = new SourcesRepository();
  private readonly environments = new EnvironmentsRepository();

  constructor(
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async find(scope: TenantScope, app: AppRow): Promise<AppSourceRow> {
    const row = app.kind !== 'image' ? await this.sources.find(scope, app.id) : undefined;
    if (!row) throw new NotFoundError('source');
    return row;
  }

  async view(scope: TenantScope, app: AppRow, row?: AppSourceRow, hookSecret?: string): Promise<AppSource> {
    const source = row ?? (await this.find(scope, app));
    const tracking = Object.fromEntries(
      (await this.environments.list(scope, app.id)).flatMap((e) => (e.branch ? [[e.name, e.branch]] : [])),
    );
    const secretArgs = source.secretArgsSealed ? Object.keys(this.secretArgs(scope, source)) : [];
    return {
      repository: source.repository,
      auth: source.auth,
      connectionId: source.connectionId,
      deployKey: source.deployKeyPublic,
      region: source.region as AppSource['region'],
      settings: BuildSettings.parse(source.settings),
      secretBuildArgs: secretArgs.sort(),
      tracking,
      webhook: {
        url: `${this.config.API_PUBLIC_URL}/api/v1/hooks/${source.hookId}`,
        ...(hookSecret ? { secret: hookSecret } : {}),
      },
    };
  }

  /** Sets (or replaces) the app's source; the first time, the answer carries the webhook secret. */
  async set(scope: TenantScope, app: AppRow, body: SetSourceBody, at = 'body'): Promise<AppSource> {
    if (app.kind === 'image') {
      throw new ConflictError('An app that runs an image has no git source: create an app with `source` to build one.');
    }
    const problems: FieldError[] = [];
    const url = parseRepositoryUrl(body.repository, { allowInsecureHttp: this.config.GIT_ALLOW_LOCAL });
    if (!url.ok) problems.push({ path: `${at}.repository`, message: url.message, code: 'invalid' });
    else if (!this.config.GIT_ALLOW_LOCAL && isLocalHost(url.host)) {
      problems.push({ path: `${at}.repository`, message: 'a repository on a private or loopback address', code: 'invalid' });
    }
    for (const [env, branch] of Object.entries(body.tracking ?? {})) {
      const bad = branch === null ? undefined : validateBranchName(branch);
      if (bad) problems.push({ path: `${at}.tracking.${env}`, message: bad, code: 'invalid' });
    }
    if (body.auth.kind === 'ssh' && url.ok && url.transport !== 'ssh') {
      problems.push({
        path: `${at}.auth`,
        message: 'a deploy key needs an SSH repository URL (git@host:owner/repo.git)',
        code: 'invalid',
      });
    }
    if ((body.auth.kind === 'token' || body.auth.kind === 'connection') && url.ok && url.transport === 'ssh') {
      problems.push({ path: `${at}.auth`, message: 'a token needs an HTTPS repository URL', code: 'invalid' });
    }
    const existing = await this.sources.find(scope, app.id);
    if (body.auth.kind === 'token' && body.auth.token === undefined && !existing?.tokenSealed) {
      problems.push({ path: `${at}.auth.token`, message: 'a token is required (none is stored yet)', code: 'required' });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    if (body.auth.kind === 'connection' && !(await this.sources.connection(scope, body.auth.connectionId))) {
      throw new ValidationError([{ path: `${at}.auth.connectionId`, message: 'no such git connection', code: 'not_found' }]);
    }
    for (const env of Object.keys(body.tracking ?? {})) {
      if (!(await this.environments.find(scope, app.id, env))) {
        throw new ValidationError([{ path: `${at}.tracking.${env}`, message: 'no such environment', code: 'not_found' }]);
      }
    }

    const t = scope.tenantId;
    let hookSecret: string | undefined;
    if (!existing) hookSecret = randomToken(32);
    const keepKey = body.auth.kind === 'ssh' && existing?.deployKeySealed;
    const key = body.auth.kind === 'ssh' && !keepKey ? generateDeployKey(`wharf-${app.slug}`) : undefined;
    const values: SourceValues = {
      repository: body.repository,
      auth: body.auth.kind,
      connectionId: body.auth.kind === 'connection' ? body.auth.connectionId : null,
      tokenSealed:
        body.auth.kind !== 'token'
          ? null
          : body.auth.token === undefined
            ? (existing?.tokenSealed ?? null)
            : this.box.seal(body.auth.token, AAD.sourceToken(t, app.id)),
      deployKeyPublic: key?.publicKey ?? (keepKey ? existing.deployKeyPublic : null),
      deployKeySealed: key ? this.box.seal(key.privateKey, AAD.deployKey(t, app.id)) : keepKey ? existing.deployKeySealed : null,
      region: body.region,
      settings: body.settings,
      secretArgsSealed:
        body.secretBuildArgs === undefined
          ? (existing?.secretArgsSealed ?? null)
          : this.box.seal(JSON.stringify(body.secretBuildArgs), AAD.buildArgs(t, app.id)),
      hookId: existing?.hookId ?? randomToken(24),
      hookSecretSealed: existing?.hookSecretSealed ?? this.box.seal(hookSecret ?? '', AAD.hookSecret(t, app.id)),
    };
    const row = await this.sources.upsert(scope, app.id, values);
    for (const [env, branch] of Object.entries(body.tracking ?? {})) {
      await this.environments.update(scope, app.id, env, { branch });
    }
    return this.view(scope, app, row, hookSecret);
  }

  /** A new webhook secret, shown once. */
  async rotateHook(scope: TenantScope, app: AppRow): Promise<AppSource> {
    const source = await this.find(scope, app);
    const secret = randomToken(32);
    const row = await this.sources.upsert(scope, app.id, {
      ...source,
      hookSecretSealed: this.box.seal(secret, AAD.hookSecret(scope.tenantId, app.id)),
    });
    return this.view(scope, app, row, secret);
  }

  hookSecret(scope: TenantScope, source: AppSourceRow): string {
    return this.box.open(source.hookSecretSealed, AAD.hookSecret(scope.tenantId, source.appId));
  }

  secretArgs(scope: TenantScope, source: AppSourceRow): Record<string, string> {
    if (!source.secretArgsSealed) return {};
    return JSON.parse(this.box.open(source.secretArgsSealed, AAD.buildArgs(scope.tenantId, source.appId)));
  }
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Loopback, private, link-local and unspecified addresses, and `localhost`: not where a public repository lives. */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '::' || h.startsWith('fe80:') || /^f[cd]/.test(h)) {
    return true;
  }
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 127 ||
    a === 10 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

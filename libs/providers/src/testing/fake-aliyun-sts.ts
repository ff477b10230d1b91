import { randomBytes } from 'node:crypto';
import { FakeError } from './fake-error.js';

/** The fake's STS: roles assumed with their external id, and the temporary credentials it hands out. */
export class FakeAliyunSts {
  private readonly sessions = new Map<string, { secret: string; token: string; principal: string }>();

  constructor(
    private readonly accountId: string,
    /** Role ARN → the external id its trust policy requires (undefined: none). */
    private readonly roles: Record<string, string | undefined>,
  ) {}

  /** The secret and security token of temporary credentials this STS issued. */
  credentials(accessKeyId: string): { secret: string; token: string } | undefined {
    const session = this.sessions.get(accessKeyId);
    return session && { secret: session.secret, token: session.token };
  }

  /** GetCallerIdentity and AssumeRole (STS API version 2015-04-01). */
  handle(action: string, p: Record<string, string>, accessKeyId: string): Record<string, unknown> {
    if (action === 'GetCallerIdentity') {
      const session = this.sessions.get(accessKeyId);
      return {
        AccountId: this.accountId,
        Arn: session?.principal ?? `acs:ram::${this.accountId}:user/wharf-test`,
        IdentityType: session ? 'AssumedRoleUser' : 'RAMUser',
        PrincipalId: accessKeyId,
      };
    }
    if (action !== 'AssumeRole') throw new FakeError(400, 'InvalidAction.NotFound', `The fake does not serve ${action}.`);
    const roleArn = p.RoleArn ?? '';
    if (!p.RoleSessionName) throw new FakeError(400, 'MissingRoleSessionName', 'RoleSessionName is mandatory.');
    if (!(roleArn in this.roles)) throw new FakeError(404, 'EntityNotExist.Role', 'The role does not exist.');
    if (this.roles[roleArn] !== p.ExternalId)
      throw new FakeError(403, 'NoPermission', 'You are not authorized to do this action. The trust policy refuses.');
    const id = `STS.${randomBytes(8).toString('hex')}`;
    const principal = `${roleArn.replace(':role/', ':assumed-role/')}/${p.RoleSessionName}`;
    const session = { secret: randomBytes(16).toString('hex'), token: randomBytes(24).toString('base64'), principal };
    this.sessions.set(id, session);
    return {
      Credentials: {
        AccessKeyId: id,
        AccessKeySecret: session.secret,
        SecurityToken: session.token,
        Expiration: new Date(Date.now() + Number(p.DurationSeconds ?? 3600) * 1000).toISOString(),
      },
      AssumedRoleUser: { Arn: principal, AssumedRoleId: `3${randomBytes(8).toString('hex')}:${p.RoleSessionName}` },
    };
  }
}

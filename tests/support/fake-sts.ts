import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PolicyDocument } from '@wharf/contracts';

/*
 * A local stand-in for AWS STS (the Query protocol: form-encoded POSTs, XML answers), for tests of the API as its own
 * process: point the AWS SDK at it with AWS_ENDPOINT_URL_STS. It answers GetCallerIdentity and AssumeRole as STS
 * does, refuses the access keys it was told to, and lets a role be assumed only as its trust policy allows: by the
 * platform's account, with the ExternalId the policy requires. Tests create roles by handing it the trust policy
 * (`createRole`), as a tenant pastes the one the dashboard shows into the IAM console.
 */

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface FakeStsOptions {
  /** Wharf's own AWS account (the API's AWS_PLATFORM_ACCOUNT_ID): trust policies must name it. */
  platformAccount: string;
  /** The account every accepted access key belongs to (a user `wharf-hosts` in it). */
  keysAccount: string;
  /** Access key ids STS does not know: refused with InvalidClientTokenId. */
  refusedKeyIds: readonly string[];
}

export interface FakeSts {
  url: string;
  /** The platform's source credentials: give them to the API (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). */
  platformKey: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** A role in a tenant's account, made through the stand-in's `/_roles` (see `createRole`). */
interface Role {
  arn: string;
  trustPolicy: PolicyDocument;
}

interface Session {
  account: string;
  arn: string;
}

const escapeXml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

function answer(res: ServerResponse, action: string, result: string): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${randomBytes(8).toString('hex')}</RequestId></ErrorResponse>`,
  );
}

/** The access key id a SigV4 request was signed with (`Credential=AKIA…/20260101/us-east-1/sts/aws4_request`). */
function signingKeyId(req: IncomingMessage): string | undefined {
  return /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? '')?.[1];
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Whether the trust policy lets `account` assume the role with `externalId` (Allow statements only, as the tests write them). */
function trusts(policy: PolicyDocument, account: string, externalId: string | null): boolean {
  return policy.Statement.some((statement) => {
    if (statement.Effect !== 'Allow' || !asList(statement.Action).includes('sts:AssumeRole')) return false;
    const principals = asList(statement.Principal?.AWS);
    if (!principals.some((p) => p === account || p === `arn:aws:iam::${account}:root`)) return false;
    const required = asList(statement.Condition?.StringEquals?.['sts:ExternalId']);
    return required.length === 0 || (externalId !== null && required.includes(externalId));
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const platformKey = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString('base64'),
  };
  const roles = new Map<string, Role>();
  const sessions = new Map<string, Session>();
  const refused = new Set(options.refusedKeyIds);

  const identityOf = (keyId: string): Session | undefined => {
    if (keyId === platformKey.accessKeyId)
      return { account: options.platformAccount, arn: `arn:aws:iam::${options.platformAccount}:user/wharf-platform` };
    if (keyId.startsWith('ASIA')) return sessions.get(keyId);
    if (refused.has(keyId)) return undefined;
    return { account: options.keysAccount, arn: `arn:aws:iam::${options.keysAccount}:user/wharf-hosts` };
  };

  const assumeRole = (res: ServerResponse, caller: Session, form: URLSearchParams) => {
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const role = roles.get(roleArn);
    if (!role || !trusts(role.trustPolicy, caller.account, form.get('ExternalId'))) {
      refuse(
        res,
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
      return;
    }
    const account = /::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const keyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const assumed = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    sessions.set(keyId, { account, arn: assumed });
    const expires = new Date(Date.now() + Number(form.get('DurationSeconds') ?? 3600) * 1000).toISOString();
    answer(
      res,
      'AssumeRole',
      `<AssumedRoleUser><Arn>${escapeXml(assumed)}</Arn><AssumedRoleId>AROA${randomBytes(6).toString('hex').toUpperCase()}:${escapeXml(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>${randomBytes(24).toString('base64')}</SecretAccessKey>` +
        `<SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${expires}</Expiration></Credentials>`,
    );
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'PUT' && req.url === '/_roles') {
        const role = JSON.parse(body) as Role;
        roles.set(role.arn, role);
        res.writeHead(204).end();
        return;
      }
      const form = new URLSearchParams(body);
      const caller = identityOf(signingKeyId(req) ?? '');
      if (!caller) {
        refuse(res, 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
        return;
      }
      const action = form.get('Action');
      if (action === 'GetCallerIdentity') {
        const userId = `AIDA${randomBytes(6).toString('hex').toUpperCase()}`;
        answer(
          res,
          'GetCallerIdentity',
          `<Arn>${escapeXml(caller.arn)}</Arn><UserId>${userId}</UserId><Account>${caller.account}</Account>`,
        );
      } else if (action === 'AssumeRole') {
        assumeRole(res, caller, form);
      } else {
        refuse(res, 400, 'InvalidAction', `Could not find operation ${action ?? ''} for version 2011-06-15`);
      }
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    platformKey,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Creates the role `arn` in the stand-in, trusting whom `trustPolicy` says (the document the dashboard shows). */
export async function createRole(stsUrl: string, arn: string, trustPolicy: PolicyDocument): Promise<void> {
  const res = await fetch(`${stsUrl}/_roles`, { method: 'PUT', body: JSON.stringify({ arn, trustPolicy }) });
  if (res.status !== 204) throw new Error(`the STS stand-in answered ${res.status} to a new role`);
}

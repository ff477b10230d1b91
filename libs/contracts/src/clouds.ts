import { z } from 'zod';
import { DisplayName, Timestamp, Uuid } from './common.js';
import { TenantParams } from './schemas.js';

/*
 * Cloud accounts: the AWS and Aliyun accounts a tenant connects to run hosts on. Wharf reaches one by assuming a
 * role the tenant made for it (the role's trust policy names Wharf's account and the tenant's ExternalId), or with an
 * access key. Secrets go in and are never given back: an account shows its key id masked.
 */

export const CLOUD_PROVIDERS = ['aws', 'aliyun'] as const;
export const CloudProvider = z.enum(CLOUD_PROVIDERS);
export type CloudProvider = z.infer<typeof CloudProvider>;
export const CloudAuthKind = z.enum(['role', 'keys']);
export type CloudAuthKind = z.infer<typeof CloudAuthKind>;

/** `arn:aws:iam::123456789012:role/wharf` (also the China and GovCloud partitions). */
export const AwsRoleArn = z
  .string()
  .max(2048, { abort: true })
  .regex(
    /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>',
  );
export const AwsAccessKeyId = z
  .string()
  .regex(/^(AKIA|ASIA)[A-Z0-9]{16}$/, 'an AWS access key id (AKIA… or ASIA…, 20 characters)');
/** `acs:ram::1234567890123456:role/wharf`. */
export const AliyunRoleArn = z
  .string()
  .regex(/^acs:ram::\d{16}:role\/[\w.-]{1,64}$/, 'a RAM role ARN: acs:ram::<16-digit account>:role/<name>');
export const AliyunAccessKeyId = z.string().regex(/^LTAI[A-Za-z0-9]{12,30}$/, 'an Aliyun AccessKey id (LTAI…)');
/** An access key's secret: printable ASCII, no spaces. Stored envelope-encrypted; never returned. */
export const CloudSecret = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces');

/** Exactly one way in: a role ARN, or an access key id with its secret. */
function oneWayIn(secret: 'secretAccessKey' | 'accessKeySecret') {
  return (
    v: { roleArn?: string | undefined; accessKeyId?: string | undefined } & Record<string, unknown>,
    ctx: z.RefinementCtx,
  ) => {
    const keys = v.accessKeyId !== undefined || v[secret] !== undefined;
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.roleArn !== undefined && keys) issue('roleArn', `give a role ARN or an access key (accessKeyId, ${secret}), not both`);
    else if (v.roleArn === undefined && !keys)
      issue('roleArn', `required: a role ARN, or an access key (accessKeyId, ${secret})`);
    else if (keys && v.accessKeyId === undefined) issue('accessKeyId', `required with ${secret}`);
    else if (keys && v[secret] === undefined) issue(secret, 'required with accessKeyId');
  };
}

/**
 * `{ provider, name, roleArn }` or `{ provider, name, accessKeyId, <secret> }` — the secret is `secretAccessKey` on
 * AWS and `accessKeySecret` on Aliyun, as their consoles call it. One object per provider (rather than one per way
 * in), so that a wrong field is reported at that field.
 */
export const CreateCloudAccountBody = z.discriminatedUnion('provider', [
  z
    .strictObject({
      provider: z.literal('aws'),
      name: DisplayName,
      roleArn: AwsRoleArn.optional(),
      accessKeyId: AwsAccessKeyId.optional(),
      secretAccessKey: CloudSecret.optional(),
    })
    .superRefine(oneWayIn('secretAccessKey')),
  z
    .strictObject({
      provider: z.literal('aliyun'),
      name: DisplayName,
      roleArn: AliyunRoleArn.optional(),
      accessKeyId: AliyunAccessKeyId.optional(),
      accessKeySecret: CloudSecret.optional(),
    })
    .superRefine(oneWayIn('accessKeySecret')),
]);
export type CreateCloudAccountBody = z.output<typeof CreateCloudAccountBody>;

/** How Wharf reaches an account, as the create body gave it (the body is checked to have exactly one). */
export type CloudAccess =
  | { kind: 'role'; roleArn: string }
  | { kind: 'keys'; accessKeyId: string; secret: string; secretField: 'secretAccessKey' | 'accessKeySecret' };

export function cloudAccessOf(body: CreateCloudAccountBody): CloudAccess {
  const secretField = body.provider === 'aws' ? 'secretAccessKey' : 'accessKeySecret';
  const secret = body.provider === 'aws' ? body.secretAccessKey : body.accessKeySecret;
  if (body.roleArn !== undefined) return { kind: 'role', roleArn: body.roleArn };
  if (body.accessKeyId !== undefined && secret !== undefined) {
    return { kind: 'keys', accessKeyId: body.accessKeyId, secret, secretField };
  }
  throw new Error('CreateCloudAccountBody: neither a role ARN nor an access key');
}

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`: enough to recognise a key, not to use it. */
export function maskAccessKeyId(id: string): string {
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

export const CloudAccount = z.object({
  id: Uuid,
  provider: CloudProvider,
  name: z.string(),
  auth: CloudAuthKind,
  roleArn: z.string().nullable(),
  /** Masked (`AKIA…WXYZ`); null for a role. */
  accessKeyId: z.string().nullable(),
  /** Whom the provider said the credentials are, when they were verified. */
  identity: z.object({ account: z.string(), principal: z.string().nullable() }),
  verifiedAt: Timestamp,
  createdAt: Timestamp,
  createdBy: z.object({ id: Uuid, name: z.string() }).nullable(),
});
export type CloudAccount = z.infer<typeof CloudAccount>;
export const CloudAccountParams = TenantParams.extend({ accountId: Uuid });

const OneOrMany = z.union([z.string(), z.array(z.string())]);
/** An IAM (AWS) or RAM (Aliyun) policy document, to paste into the provider's console. */
export const PolicyDocument = z.object({
  Version: z.string(),
  Statement: z.array(
    z.object({
      Sid: z.string().optional(),
      Effect: z.enum(['Allow', 'Deny']),
      Principal: z.record(z.string(), OneOrMany).optional(),
      Action: OneOrMany,
      Resource: OneOrMany.optional(),
      Condition: z.record(z.string(), z.record(z.string(), OneOrMany)).optional(),
    }),
  ),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** What the dashboard's wizard shows the tenant to create the role (or user) Wharf will use. */
export const CloudAccountSetup = z.object({
  /** The tenant's ExternalId: the role's trust policy requires it of Wharf (stable; one per tenant). */
  externalId: z.string(),
  aws: z.object({
    /** Trust policy of the role: Wharf's AWS account may assume it, with the tenant's ExternalId only. */
    trustPolicy: PolicyDocument,
    /** Permissions policy of the role (or user): what Wharf's hosts need, no more. */
    permissionsPolicy: PolicyDocument,
  }),
  aliyun: z.object({ ramPolicy: PolicyDocument }),
});
export type CloudAccountSetup = z.infer<typeof CloudAccountSetup>;

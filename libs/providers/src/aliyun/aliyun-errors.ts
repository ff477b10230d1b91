import { ProviderError } from '../errors.js';

/*
 * Aliyun's error codes onto Wharf's kinds. The SDK (@alicloud/openapi-core) throws ClientError / ServerError /
 * ThrottlingError carrying Aliyun's `code` and the HTTP `statusCode`, and lets Node's own errors (ECONNREFUSED…)
 * through for the network; both are read by shape here, so nothing depends on the SDK's classes.
 */

/** What the SDK throws, read by shape. */
interface AliyunFailure {
  code?: unknown;
  statusCode?: unknown;
  data?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ReadTimeout',
  'ConnectTimeout',
]);

/** Aliyun's error code of a failed call, when the API answered one. */
export function aliyunCode(error: unknown): string | undefined {
  const code = (error as AliyunFailure | undefined)?.code;
  return typeof code === 'string' && code !== '' && code !== 'undefined' ? code : undefined;
}

/** Aliyun's own message (which parameter was wrong): no secret is ever in it. */
function aliyunMessage(error: unknown): string | undefined {
  const data = (error as AliyunFailure | undefined)?.data;
  const message = typeof data === 'object' && data !== null ? (data as { Message?: unknown }).Message : undefined;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

const startsWith = (code: string, ...prefixes: string[]) => prefixes.some((p) => code.startsWith(p));

/**
 * Maps a failed ECS call onto a ProviderError. `action` is the API action (`RunInstances`): the RAM permission a
 * refusal names is `ecs:<action>`.
 */
export function mapAliyunError(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = aliyunCode(error);
  const status = (error as AliyunFailure | undefined)?.statusCode;
  const detail = aliyunMessage(error);

  if (code === undefined || NETWORK_CODES.has(code)) {
    if (typeof status === 'number' && status >= 500)
      return new ProviderError('unavailable', `Aliyun ECS answered ${status} to ${action}: retry later.`, code);
    if (code !== undefined || typeof status !== 'number')
      return new ProviderError('unavailable', `Aliyun ECS could not be reached for ${action}: retry later.`, code);
  }
  const c = code ?? '';

  if (startsWith(c, 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidSecurityToken', 'IncompleteSignature'))
    return new ProviderError(
      'auth',
      'Aliyun refused the credentials (unknown or disabled AccessKey, wrong secret, or an expired session): check the AccessKey or the role.',
      code,
    );
  if (startsWith(c, 'Forbidden', 'NoPermission'))
    return new ProviderError(
      'permission',
      `The credentials lack the permission ecs:${action}: attach the RAM policy AliyunECSFullAccess (or a custom policy allowing ecs:${action}) to the RAM user or role.`,
      code,
    );
  if (startsWith(c, 'OperationDenied.NoStock', 'Zone.NotOnSale', 'InvalidResourceType.NotSupported'))
    return new ProviderError(
      'capacity',
      'Aliyun has no capacity for this instance type in this zone now: try another zone or type, or retry later.',
      code,
    );
  if (c === 'Account.Arrearage')
    return new ProviderError(
      'limit',
      'The Aliyun account has an overdue payment: settle it in the Aliyun console before creating machines.',
      code,
    );
  if (startsWith(c, 'QuotaExceed'))
    return new ProviderError(
      'limit',
      `An Aliyun quota of the account is reached (${c}): raise it in the Quota Center or remove machines.`,
      code,
    );
  if (startsWith(c, 'InvalidInstanceId.NotFound'))
    return new ProviderError('not-found', 'Aliyun does not know this instance.', code);
  if (
    startsWith(
      c,
      'InvalidParameter',
      'InvalidImageId.',
      'InvalidInstanceType.',
      'InvalidRegionId.',
      'InvalidZoneId.',
      'InvalidVSwitchId.',
      'InvalidSecurityGroupId.',
      'MissingParameter',
    )
  )
    return new ProviderError('invalid', `Aliyun refused a parameter of ${action}${detail ? `: ${detail}` : ''}`, code);
  if (startsWith(c, 'Throttling'))
    return new ProviderError('throttled', 'Aliyun is throttling requests of this account: retry later.', code);
  if (c === 'ServiceUnavailable' || c === 'InternalError' || (typeof status === 'number' && status >= 500))
    return new ProviderError('unavailable', `Aliyun ECS is unavailable for ${action}: retry later.`, code);
  return new ProviderError('failed', `Aliyun ECS refused ${action}${detail ? `: ${detail}` : ''}`, code);
}

/** Maps a failed STS AssumeRole: every refusal means the role cannot be assumed by Wharf. */
export function mapAssumeRoleError(error: unknown, roleArn: string): ProviderError {
  const mapped = mapAliyunError(error, 'AssumeRole');
  if (mapped.kind === 'throttled' || mapped.kind === 'unavailable') return mapped;
  return new ProviderError(
    'auth',
    `Wharf could not assume the RAM role ${roleArn}: check that the role exists, that its trust policy lets Wharf's account assume it, and that the external id matches.`,
    mapped.code,
  );
}

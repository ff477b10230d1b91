import { ProviderError } from '../errors.js';

/*
 * AWS's errors in Wharf's words. The SDK's service errors carry the API's error code as `name` (and `Code`), network
 * failures Node's `code` (`ENOTFOUND`, `ECONNRESET`) or the name `TimeoutError`.
 */

export interface AwsErrorContext {
  /** The IAM action that failed (`ec2:RunInstances`), named to the user when AWS does not name one. */
  operation: string;
  region?: string;
  instanceType?: string;
  zone?: string;
}

interface ErrorFields {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const fields = (error: unknown): ErrorFields => (typeof error === 'object' && error !== null ? (error as ErrorFields) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** AWS's error code (`UnauthorizedOperation`), or Node's for a network failure (`ENOTFOUND`). */
export function errorCode(error: unknown): string | undefined {
  const e = fields(error);
  const name = str(e.Code) ?? str(e.name);
  if (name && name !== 'Error') return name;
  return str(e.code) ?? name;
}

/** AWS's own message, without the encoded authorization blob, short enough to show. */
function awsMessage(error: unknown): string {
  const message = str(fields(error).message) ?? '';
  return message
    .replace(/\s*Encoded authorization failure message:.*$/s, '')
    .trim()
    .slice(0, 300);
}

const CAPACITY = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientHostCapacity',
  'InsufficientReservedInstanceCapacity',
  'InsufficientCapacity',
]);
const LIMIT = new Set([
  'InstanceLimitExceeded',
  'VcpuLimitExceeded',
  'MaxSpotInstanceCountExceeded',
  'ResourceLimitExceeded',
  'SecurityGroupLimitExceeded',
  'RulesPerSecurityGroupLimitExceeded',
  'VolumeLimitExceeded',
  'AddressLimitExceeded',
]);
const INVALID = new Set([
  'InvalidParameterValue',
  'InvalidParameter',
  'InvalidParameterCombination',
  'MissingParameter',
  'InvalidInstanceType',
  'Unsupported',
  'UnsupportedOperation',
  'InvalidBlockDeviceMapping',
  'InvalidZone.NotFound',
  'InvalidAvailabilityZone',
  'InvalidUserData.Malformed',
  'InvalidInstanceID.Malformed',
  'ValidationError',
]);
const NOT_FOUND = new Set(['InvalidInstanceID.NotFound', 'InvalidGroup.NotFound', 'InvalidVpcID.NotFound']);
const AUTH = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'RequestExpired',
]);
const THROTTLED = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
  'EC2ThrottledException',
]);
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'Unavailable',
  'InternalError',
  'InternalFailure',
  'ServerInternal',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Maps whatever the SDK threw onto a ProviderError whose message says what is wrong and what to do. */
export function awsError(error: unknown, context: AwsErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = errorCode(error) ?? 'Unknown';
  const said = awsMessage(error);
  const where = context.region ? ` in ${context.region}` : '';

  if (code === 'ENOTFOUND') {
    // the SDK resolves `ec2.<region>.amazonaws.com`: a region that does not exist has no such name
    const host = str(fields(error).hostname) ?? said;
    if (context.region && host.includes(context.region))
      return new ProviderError(
        'invalid',
        `Unknown region ${context.region}: AWS has no endpoint for it (${host} does not resolve). Pick a region from the list of regions.`,
        code,
      );
    return new ProviderError('unavailable', `AWS could not be reached (${host} does not resolve): try again later.`, code);
  }
  if (code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException') {
    const action = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(said)?.[1] ?? context.operation;
    return new ProviderError(
      'permission',
      `The AWS credentials work but may not perform ${action}${where}: add ${action} to the policy of the role or user Wharf uses.`,
      code,
    );
  }
  if (code === 'OptInRequired' || code === 'Blocked')
    return new ProviderError(
      'permission',
      `The AWS account cannot use EC2${where} (${code}): enable the region for the account (Account settings → AWS Regions) or finish the account's sign-up.`,
      code,
    );
  if (AUTH.has(code))
    return new ProviderError(
      'auth',
      `AWS did not accept the credentials${where} (${code}): check the access key or role is still valid and the region is enabled for the account.`,
      code,
    );
  if (CAPACITY.has(code))
    return new ProviderError(
      'capacity',
      `AWS has no capacity for ${context.instanceType ?? 'that instance type'}${context.zone ? ` in ${context.zone}` : where} right now: try another zone or instance type, or try again later.`,
      code,
    );
  if (LIMIT.has(code))
    return new ProviderError(
      'limit',
      `The AWS account reached a quota${where} (${code}): terminate instances you no longer need or request a higher quota in the Service Quotas console.${said ? ` AWS says: ${said}` : ''}`,
      code,
    );
  if (code === 'VPCIdNotSpecified')
    return new ProviderError(
      'invalid',
      `The region ${context.region ?? ''} has no default VPC: create one (VPC console → Actions → Create default VPC) so Wharf can place hosts in it.`,
      code,
    );
  if (code === 'IdempotentParameterMismatch')
    return new ProviderError(
      'invalid',
      'A different request already used this client token: a retry must repeat the same request.',
      code,
    );
  if (INVALID.has(code) || code.startsWith('InvalidAMIID.'))
    return new ProviderError(
      'invalid',
      `AWS refused a parameter${where} (${code}): ${said || 'check the instance type, image and zone'}.`,
      code,
    );
  if (NOT_FOUND.has(code))
    return new ProviderError('not-found', `AWS does not know that resource${where} (${code})${said ? `: ${said}` : ''}.`, code);
  if (THROTTLED.has(code))
    return new ProviderError('throttled', `AWS is throttling requests to the account${where}: try again in a minute.`, code);

  const status = fields(error).$metadata?.httpStatusCode;
  if (UNAVAILABLE.has(code) || (typeof status === 'number' && status >= 500) || fields(error).$fault === 'server')
    return new ProviderError('unavailable', `AWS EC2${where} is unavailable or did not answer (${code}): try again later.`, code);
  return new ProviderError('failed', `AWS refused ${context.operation}${where} (${code})${said ? `: ${said}` : ''}.`, code);
}

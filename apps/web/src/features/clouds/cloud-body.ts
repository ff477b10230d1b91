import type { CloudAuthKind, CloudProvider, cloudAccountRoutes, RouteRequest } from '@wharf/contracts';

export type ConnectCloudBody = RouteRequest<typeof cloudAccountRoutes.create>['body'];

/** The secret's field as each provider's console calls it (and the API's body does). */
export const SECRET_FIELD = { aws: 'secretAccessKey', aliyun: 'accessKeySecret' } as const satisfies Record<
  CloudProvider,
  string
>;

/** The body fields whose errors the wizard shows at their inputs (the rest go to the alert). */
export const SHOWN_FIELDS = [
  'body.provider',
  'body.name',
  'body.roleArn',
  'body.accessKeyId',
  'body.secretAccessKey',
  'body.accessKeySecret',
];

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The create body of the wizard's form: the name, and the role ARN or the access key of the chosen way in (the other
 * way's inputs are not rendered, so never sent). The secret is sent as typed, spaces included: the API says what is wrong.
 */
export function readConnectCloud(form: FormData, provider: CloudProvider, auth: CloudAuthKind): ConnectCloudBody {
  const name = text(form, 'name');
  if (auth === 'role') return { provider, name, roleArn: text(form, 'roleArn') };
  const accessKeyId = text(form, 'accessKeyId');
  const secret = String(form.get('secret') ?? '');
  return provider === 'aws'
    ? { provider, name, accessKeyId, secretAccessKey: secret }
    : { provider, name, accessKeyId, accessKeySecret: secret };
}

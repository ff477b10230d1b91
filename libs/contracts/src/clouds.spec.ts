import { describe, expect, it } from 'vitest';
import { CloudAccount, CreateCloudAccountBody, cloudAccessOf, maskAccessKeyId } from './clouds.js';

const AWS_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('CreateCloudAccountBody', () => {
  it.each([
    { provider: 'aws', name: 'Prod', roleArn: 'arn:aws:iam::123456789012:role/WharfHosts' },
    { provider: 'aws', name: 'China', roleArn: 'arn:aws-cn:iam::123456789012:role/path/to/Wharf+Hosts=,.@-' },
    { provider: 'aws', name: 'Gov', roleArn: 'arn:aws-us-gov:iam::123456789012:role/w' },
    { provider: 'aws', name: 'Keys', ...AWS_KEY },
    { provider: 'aws', name: 'Session', accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: AWS_KEY.secretAccessKey },
    { provider: 'aliyun', name: 'Role', roleArn: 'acs:ram::1234567890123456:role/wharf-hosts.v1' },
    {
      provider: 'aliyun',
      name: 'Keys',
      accessKeyId: 'LTAI5tExampleKeyId0001',
      accessKeySecret: 'aliyunSecretExample0123456789ab',
    },
  ])('accepts $provider $name', (body) => {
    expect(CreateCloudAccountBody.safeParse(body).success).toBe(true);
  });

  it.each([
    ['aws ARN with a 16-digit account', { provider: 'aws', name: 'x', roleArn: 'arn:aws:iam::1234567890123456:role/w' }],
    ['aliyun ARN with a 12-digit account', { provider: 'aliyun', name: 'x', roleArn: 'acs:ram::123456789012:role/w' }],
    ['aliyun role name with a slash', { provider: 'aliyun', name: 'x', roleArn: 'acs:ram::1234567890123456:role/a/b' }],
    ['aws key id too short', { provider: 'aws', name: 'x', ...AWS_KEY, accessKeyId: 'AKIA1234' }],
    [
      'aliyun key id of another shape',
      { provider: 'aliyun', name: 'x', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accessKeySecret: 'y'.repeat(30) },
    ],
    [
      'the other provider’s secret field',
      { provider: 'aws', name: 'x', accessKeyId: AWS_KEY.accessKeyId, accessKeySecret: 'y'.repeat(30) },
    ],
    ['a trailing newline in the ARN', { provider: 'aws', name: 'x', roleArn: 'arn:aws:iam::123456789012:role/w\n' }],
  ])('refuses %s', (_, body) => {
    expect(CreateCloudAccountBody.safeParse(body).success).toBe(false);
  });

  it('tells the way in apart', () => {
    expect(cloudAccessOf(CreateCloudAccountBody.parse({ provider: 'aws', name: 'k', ...AWS_KEY }))).toEqual({
      kind: 'keys',
      accessKeyId: AWS_KEY.accessKeyId,
      secret: AWS_KEY.secretAccessKey,
      secretField: 'secretAccessKey',
    });
    const roleArn = 'acs:ram::1234567890123456:role/w';
    expect(cloudAccessOf(CreateCloudAccountBody.parse({ provider: 'aliyun', name: 'r', roleArn }))).toEqual({
      kind: 'role',
      roleArn,
    });
  });
});

describe('CloudAccount', () => {
  it('shows a key id masked and has no field for a secret', () => {
    expect(maskAccessKeyId(AWS_KEY.accessKeyId)).toBe('AKIA…MPLE');
    expect(Object.keys(CloudAccount.shape).filter((k) => /secret|sealed/i.test(k))).toEqual([]);
  });
});

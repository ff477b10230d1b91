import { CreateCloudAccountBody } from '@wharf/contracts';
import { describe, expect, it } from 'vitest';
import { readConnectCloud } from './cloud-body';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('readConnectCloud', () => {
  it('sends a role ARN alone, trimmed', () => {
    const body = readConnectCloud(
      form({ name: ' Production ', roleArn: ' arn:aws:iam::123456789012:role/WharfHosts ' }),
      'aws',
      'role',
    );
    expect(body).toEqual({ provider: 'aws', name: 'Production', roleArn: 'arn:aws:iam::123456789012:role/WharfHosts' });
    expect(CreateCloudAccountBody.safeParse(body).success).toBe(true);
  });

  it('names the secret as each provider does', () => {
    const keys = form({ name: 'Keys', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    expect(readConnectCloud(keys, 'aws', 'keys')).toEqual({
      provider: 'aws',
      name: 'Keys',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    const aliyun = form({ name: 'Keys', accessKeyId: 'LTAI5tExampleKeyId0001', secret: 'aliyunSecretExample0123456789ab' });
    const body = readConnectCloud(aliyun, 'aliyun', 'keys');
    expect(body).toEqual({
      provider: 'aliyun',
      name: 'Keys',
      accessKeyId: 'LTAI5tExampleKeyId0001',
      accessKeySecret: 'aliyunSecretExample0123456789ab',
    });
    expect(CreateCloudAccountBody.safeParse(body).success).toBe(true);
  });

  it('never sends a role ARN left in the form with keys chosen', () => {
    const body = readConnectCloud(
      form({ name: 'x', roleArn: 'arn:aws:iam::123456789012:role/A', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 's' }),
      'aws',
      'keys',
    );
    expect(body).not.toHaveProperty('roleArn');
  });
});

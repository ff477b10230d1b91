import type { PolicyDocument } from '@wharf/contracts';
import { TAG_KEYS } from '@wharf/providers';

/*
 * The policies the setup wizard shows: what a tenant grants Wharf in their own account, and no more. EC2 checks tags
 * on the resources it supports them for: Wharf may only run machines it tags as Wharf's, and only terminate or open
 * the firewall of what carries its tag. Describe calls take no resource or tag conditions on EC2.
 */

const TENANT_TAG = TAG_KEYS.tenant;

/** Trust policy of the tenant's role: Wharf's AWS account may assume it, only with the tenant's ExternalId. */
export function awsTrustPolicy(platformAccountId: string, externalId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'WharfAssumesThisRole',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${platformAccountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

/** Permissions of the role (or IAM user) for Wharf's hosts. */
export function awsPermissionsPolicy(): PolicyDocument {
  const tagged = { Null: { [`aws:RequestTag/${TENANT_TAG}`]: 'false' } };
  const wharfOwned = { Null: { [`aws:ResourceTag/${TENANT_TAG}`]: 'false' } };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RunTaggedInstances',
        Effect: 'Allow',
        Action: 'ec2:RunInstances',
        Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*:*:volume/*'],
        Condition: tagged,
      },
      {
        Sid: 'RunInstancesWith',
        Effect: 'Allow',
        Action: 'ec2:RunInstances',
        Resource: [
          'arn:aws:ec2:*::image/*',
          'arn:aws:ec2:*:*:subnet/*',
          'arn:aws:ec2:*:*:network-interface/*',
          'arn:aws:ec2:*:*:security-group/*',
          'arn:aws:ec2:*:*:key-pair/*',
        ],
      },
      {
        Sid: 'TerminateWharfInstances',
        Effect: 'Allow',
        Action: 'ec2:TerminateInstances',
        Resource: 'arn:aws:ec2:*:*:instance/*',
        Condition: wharfOwned,
      },
      {
        Sid: 'CreateTaggedSecurityGroups',
        Effect: 'Allow',
        Action: 'ec2:CreateSecurityGroup',
        Resource: 'arn:aws:ec2:*:*:security-group/*',
        Condition: tagged,
      },
      { Sid: 'CreateSecurityGroupsIn', Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: 'arn:aws:ec2:*:*:vpc/*' },
      {
        Sid: 'OpenWharfSecurityGroups',
        Effect: 'Allow',
        Action: 'ec2:AuthorizeSecurityGroupIngress',
        Resource: 'arn:aws:ec2:*:*:security-group/*',
        Condition: wharfOwned,
      },
      {
        Sid: 'TagOnCreate',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*:*:volume/*', 'arn:aws:ec2:*:*:security-group/*'],
        Condition: { StringEquals: { 'ec2:CreateAction': ['RunInstances', 'CreateSecurityGroup'] } },
      },
      {
        Sid: 'Describe',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeInstances',
          'ec2:DescribeRegions',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeImages',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSubnets',
          'ec2:DescribeVpcs',
        ],
        Resource: '*',
      },
    ],
  };
}

/** RAM policy of the tenant's RAM role (or user) on Aliyun, with ECS's tag conditions where it has them. */
export function aliyunRamPolicy(): PolicyDocument {
  const tagged = { StringLike: { [`acs:RequestTag/${TENANT_TAG}`]: '*' } };
  const wharfOwned = { StringLike: { [`acs:ResourceTag/${TENANT_TAG}`]: '*' } };
  return {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ecs:RunInstances', 'ecs:CreateSecurityGroup', 'ecs:TagResources'],
        Resource: '*',
        Condition: tagged,
      },
      { Effect: 'Allow', Action: ['ecs:DeleteInstances', 'ecs:AuthorizeSecurityGroup'], Resource: '*', Condition: wharfOwned },
      {
        Effect: 'Allow',
        Action: [
          'ecs:DescribeInstances',
          'ecs:DescribeRegions',
          'ecs:DescribeInstanceTypes',
          'ecs:DescribeImages',
          'ecs:DescribeSecurityGroups',
          'ecs:DescribeVSwitches',
        ],
        Resource: '*',
      },
    ],
  };
}

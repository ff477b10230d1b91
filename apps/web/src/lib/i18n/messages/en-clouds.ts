/** Cloud accounts: the AWS and Aliyun accounts a team connects to run hosts on; spread into `en`. */
export const enClouds = {
  'nav.cloudAccounts': 'Cloud accounts',
  'cloudProvider.aws': 'AWS',
  'cloudProvider.aliyun': 'Aliyun',

  'clouds.pageTitle': 'Cloud accounts',
  'clouds.pageDescription':
    'The AWS and Aliyun accounts {team} runs hosts in. Wharf checks each with the provider when it is connected; secrets are encrypted and never shown again.',
  'clouds.connect.open': 'Connect account',
  'clouds.listTitle': 'Connected accounts',
  'clouds.empty': 'No cloud accounts connected yet.',
  'clouds.emptyHint': 'Connect an AWS or Aliyun account to run hosts in it.',
  'clouds.col.provider': 'Provider',
  'clouds.col.name': 'Name',
  'clouds.col.access': 'How Wharf gets in',
  'clouds.col.account': 'Account',
  'clouds.col.verified': 'Verified',
  'clouds.access.role': 'Role',
  'clouds.access.keys': 'Access key',
  'clouds.delete': 'Delete',
  'clouds.delete.title': 'Delete cloud account {name}?',
  'clouds.delete.message':
    'Wharf forgets the {provider} account {name} ({account}) and deletes its stored secret. The role or key itself stays in your account: remove it there too.',
  'clouds.delete.confirm': 'Delete account',

  'clouds.connect.title': 'Connect a cloud account',
  'clouds.connect.description':
    'Give Wharf a way into an AWS or Aliyun account of {team}. Wharf checks it with the provider before saving it.',
  'clouds.connect.back': 'Back to cloud accounts',
  'clouds.connect.providerStep': '1. Provider',
  'clouds.connect.provider.awsHint': 'Amazon Web Services: EC2 instances in any region.',
  'clouds.connect.provider.aliyunHint': 'Alibaba Cloud: ECS instances in any region.',
  'clouds.connect.accessStep': '2. How Wharf gets in',
  'clouds.connect.auth.role': 'IAM role (recommended)',
  'clouds.connect.auth.roleHint':
    'Create a role in your account that Wharf assumes. No long-lived secret leaves your account; you can revoke it any time.',
  'clouds.connect.auth.ramRole': 'RAM role (recommended)',
  'clouds.connect.auth.keys': 'Access key',
  'clouds.connect.auth.keysHint': 'The access key of a user with the policy below. Stored encrypted; never shown again.',
  'clouds.connect.setupLoading': 'Loading the policies…',
  'clouds.connect.awsRoleSteps':
    'In the IAM console, create a role of type “Custom trust policy”: paste the trust policy, then attach the permissions policy below as an inline policy. Copy the role’s ARN from its summary page.',
  'clouds.connect.aliyunRoleSteps':
    'In the RAM console, create a role for a trusted Alibaba Cloud account, require the ExternalId below, and grant it a custom policy with the RAM policy below. Copy the role’s ARN from its details page.',
  'clouds.connect.awsKeySteps':
    'Create an IAM user with the permissions policy below, then an access key for it (type “Application running outside AWS”).',
  'clouds.connect.aliyunKeySteps': 'Create a RAM user with the RAM policy below, then an AccessKey for it.',
  'clouds.connect.externalId': 'ExternalId',
  'clouds.connect.externalIdHint':
    'Your team’s ExternalId: the role’s trust policy requires it, so only Wharf acting for {team} can assume the role.',
  'clouds.connect.trustPolicy': 'Trust policy',
  'clouds.connect.permissionsPolicy': 'Permissions policy',
  'clouds.connect.ramPolicy': 'RAM policy',
  'clouds.connect.roleArn': 'Role ARN',
  'clouds.connect.awsRoleArnHint': 'arn:aws:iam::<12-digit account>:role/<name>',
  'clouds.connect.aliyunRoleArnHint': 'acs:ram::<16-digit account>:role/<name>',
  'clouds.connect.awsAccessKeyId': 'Access key ID',
  'clouds.connect.awsSecretAccessKey': 'Secret access key',
  'clouds.connect.aliyunAccessKeyId': 'AccessKey ID',
  'clouds.connect.aliyunAccessKeySecret': 'AccessKey secret',
  'clouds.connect.secretHint': 'Stored encrypted; nobody can read it back.',
  'clouds.connect.nameStep': '3. Name and connect',
  'clouds.connect.name': 'Name',
  'clouds.connect.nameHint': 'How the team knows this account, e.g. “Production” or “AWS sandbox”.',
  'clouds.connect.submit': 'Connect account',
  'clouds.connect.verifying': 'Checking with the provider…',
  'clouds.copyBlock': 'Copy {label}',
} as const;

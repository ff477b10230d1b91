export { type AliyunCredentials, type AliyunProviderOptions, aliyunProvider } from './aliyun/aliyun.js';
export { type AwsCredentials, type AwsProviderOptions, awsProvider } from './aws/aws.js';
export { checkBootstrap, renderCloudInit } from './cloud-init.js';
export { ProviderError, type ProviderErrorKind } from './errors.js';
export {
  type CloudCredentials,
  type CloudKind,
  type ProviderFactory,
  SdkProviderFactory,
  type SdkProviderFactoryOptions,
} from './factory.js';
export { checkInstallBootstrap, type InstallBootstrap, renderInstallScript } from './install-script.js';
export {
  type LocalDatacenter,
  type LocalDatacenters,
  localDatacenters,
  localRegions,
  parseLocalDatacenters,
} from './local/datacenters.js';
export {
  LOCAL_INSTANCE_TYPE,
  LOCAL_REGION,
  type LocalAgentLauncher,
  type LocalEdgeLauncher,
  type LocalProvider,
  type LocalProviderOptions,
  localInstanceType,
  localProvider,
} from './local/local.provider.js';
export { bridgeAddArgs } from './local/network.js';
export { parseRelays, type TcpRelay, tcpRelay } from './local/relay.js';
export {
  type AccountIdentity,
  type CreateMachineRequest,
  type FirewallCapability,
  type HostBootstrap,
  hasFirewall,
  type InstanceType,
  type Machine,
  type MachineImage,
  type MachineProvider,
  type MachineState,
  type ProviderKind,
  type Region,
  TAG_KEYS,
  type WharfTags,
} from './types.js';

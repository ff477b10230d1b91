/*
 * The Docker Engine API objects this lib produces (Engine API v1.41+; see swarm.ts for fields newer engines need),
 * written out by hand and only as far as Wharf uses them. Internal: the public face of the lib never names them,
 * so nothing above the agent depends on Swarm's shapes.
 */

export type Labels = Record<string, string>;

export interface SwarmHealthConfig {
  /** `["NONE"]`, `["CMD", argv…]` (exec, no shell). `CMD-SHELL` is never produced. */
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

export interface SwarmMount {
  Type: 'volume' | 'bind' | 'tmpfs';
  /** Absent for tmpfs. */
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy?: boolean; Labels?: Labels };
  TmpfsOptions?: { SizeBytes?: number };
}

export interface SwarmFileReference {
  File: { Name: string; UID: string; GID: string; Mode: number };
  /** Filled by the agent once the object exists (`withObjectIds`); the engine requires it. */
  SecretID?: string;
  SecretName?: string;
  ConfigID?: string;
  ConfigName?: string;
}

export interface SwarmContainerSpec {
  Image: string;
  Labels?: Labels;
  Command?: string[];
  Args?: string[];
  Env?: string[];
  Init?: boolean;
  Privileges?: { NoNewPrivileges?: boolean };
  StopGracePeriod?: number;
  /** Spelled as the engine echoes it (Go's `Healthcheck`; the docs' `HealthCheck` is accepted but never returned). */
  Healthcheck?: SwarmHealthConfig;
  Mounts?: SwarmMount[];
  Secrets?: SwarmFileReference[];
  Configs?: SwarmFileReference[];
  User?: string;
  Dir?: string;
  Hostname?: string;
  StopSignal?: string;
  ReadOnly?: boolean;
  /** `IP host` lines added to /etc/hosts. */
  Hosts?: string[];
  /** Engine API ≥ 1.41. */
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
  Sysctls?: Record<string, string>;
}

export interface SwarmResourceObject {
  NanoCPUs?: number;
  MemoryBytes?: number;
  /** Limits only (API ≥ 1.41). */
  Pids?: number;
}

export interface SwarmNetworkAttachment {
  /** Network name or id (the engine stores the id). */
  Target: string;
  Aliases?: string[];
}

export interface SwarmUpdateConfig {
  Parallelism: number;
  Delay: number;
  FailureAction: 'continue' | 'pause' | 'rollback';
  Monitor: number;
  MaxFailureRatio: number;
  Order: 'stop-first' | 'start-first';
}

export interface SwarmPortConfig {
  Protocol: 'tcp' | 'udp';
  TargetPort: number;
  /** Never set: each task gets an ephemeral host port, read back from the task's `Status.PortStatus`. */
  PublishedPort?: number;
  PublishMode: 'host' | 'ingress';
}

export interface SwarmServiceSpec {
  Name: string;
  Labels: Labels;
  TaskTemplate: {
    ContainerSpec: SwarmContainerSpec;
    Resources: { Limits: SwarmResourceObject; Reservations: SwarmResourceObject };
    RestartPolicy: { Condition: 'none' | 'on-failure' | 'any'; Delay: number; MaxAttempts: number; Window: number };
    Placement: { Constraints?: string[]; MaxReplicas?: number };
    Networks: SwarmNetworkAttachment[];
    ForceUpdate?: number;
  };
  /** Jobs (API ≥ 1.41) run to completion; the engine refuses an update config for them, then echoes a default one. */
  Mode: { Replicated: { Replicas: number } } | { ReplicatedJob: { MaxConcurrent: number; TotalCompletions: number } };
  UpdateConfig?: SwarmUpdateConfig;
  RollbackConfig?: SwarmUpdateConfig;
  EndpointSpec: { Mode: 'dnsrr' | 'vip'; Ports?: SwarmPortConfig[] };
}

export interface SwarmNetworkSpec {
  Name: string;
  Driver: 'overlay';
  Attachable: boolean;
  Internal: boolean;
  Labels: Labels;
}

export interface SwarmSecretSpec {
  Name: string;
  Labels: Labels;
  /** Base64. */
  Data: string;
}

export type SwarmConfigSpec = SwarmSecretSpec;

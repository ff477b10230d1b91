import { z } from 'zod';

/*
 * The Docker Engine API answers the agent reads, parsed (loosely: unknown fields are kept, so a spec read back can
 * be sent again unchanged) as soon as they leave dockerode, whose typings are `any` in many places.
 */

const Labels = z
  .record(z.string(), z.string())
  .nullish()
  .transform((v) => v ?? {});

export const EngineServiceSpec = z.looseObject({
  Name: z.string(),
  Labels,
  TaskTemplate: z
    .looseObject({
      ContainerSpec: z
        .looseObject({
          Image: z.string().optional(),
          Secrets: z.array(z.looseObject({ SecretName: z.string().optional(), SecretID: z.string().optional() })).nullish(),
          Configs: z.array(z.looseObject({ ConfigName: z.string().optional(), ConfigID: z.string().optional() })).nullish(),
        })
        .optional(),
      RestartPolicy: z.looseObject({ Condition: z.string().optional() }).optional(),
    })
    .optional(),
  Mode: z
    .looseObject({
      Replicated: z.looseObject({ Replicas: z.number().optional() }).optional(),
      Global: z.unknown().optional(),
      ReplicatedJob: z.looseObject({ MaxConcurrent: z.number().optional(), TotalCompletions: z.number().optional() }).optional(),
    })
    .optional(),
});
export type EngineServiceSpec = z.output<typeof EngineServiceSpec>;

export const UpdateStatus = z.looseObject({
  State: z.string().optional(),
  StartedAt: z.string().optional(),
  CompletedAt: z.string().optional(),
  Message: z.string().optional(),
});
export type UpdateStatus = z.output<typeof UpdateStatus>;

export const EngineService = z.looseObject({
  ID: z.string(),
  Version: z.object({ Index: z.number() }),
  CreatedAt: z.string().optional(),
  UpdatedAt: z.string().optional(),
  Spec: EngineServiceSpec,
  PreviousSpec: EngineServiceSpec.nullish(),
  UpdateStatus: UpdateStatus.nullish(),
});
export type EngineService = z.output<typeof EngineService>;

export const PortStatus = z.looseObject({
  Protocol: z.string().optional(),
  TargetPort: z.number().optional(),
  PublishedPort: z.number().optional(),
  PublishMode: z.string().optional(),
});

export const EngineTask = z.looseObject({
  ID: z.string(),
  ServiceID: z.string(),
  NodeID: z.string().optional(),
  Slot: z.number().optional(),
  CreatedAt: z.string().optional(),
  UpdatedAt: z.string().optional(),
  DesiredState: z.string(),
  Spec: z.record(z.string(), z.unknown()),
  Status: z.looseObject({
    Timestamp: z.string().optional(),
    State: z.string(),
    Message: z.string().optional(),
    Err: z.string().optional(),
    ContainerStatus: z.looseObject({ ContainerID: z.string().optional(), ExitCode: z.number().optional() }).optional(),
    PortStatus: z.looseObject({ Ports: z.array(PortStatus).nullish() }).optional(),
  }),
});
export type EngineTask = z.output<typeof EngineTask>;

export const EngineNode = z.looseObject({
  ID: z.string(),
  Description: z
    .looseObject({
      Hostname: z.string().optional(),
      Resources: z.looseObject({ NanoCPUs: z.number().optional(), MemoryBytes: z.number().optional() }).optional(),
    })
    .optional(),
  Spec: z.looseObject({ Role: z.string().optional(), Availability: z.string().optional(), Labels }).optional(),
  Status: z.looseObject({ State: z.string().optional(), Addr: z.string().optional() }).optional(),
  ManagerStatus: z.looseObject({ Addr: z.string().optional() }).nullish(),
});
export type EngineNode = z.output<typeof EngineNode>;

export const EngineNetwork = z.looseObject({ Id: z.string(), Name: z.string(), Labels });
export type EngineNetwork = z.output<typeof EngineNetwork>;

/** Secrets and configs have the same shape. */
export const EngineFileObject = z.looseObject({
  ID: z.string(),
  Spec: z.looseObject({ Name: z.string(), Labels }),
});
export type EngineFileObject = z.output<typeof EngineFileObject>;

export const EngineVolume = z.looseObject({ Name: z.string(), Labels });
export type EngineVolume = z.output<typeof EngineVolume>;

export const EngineContainer = z.looseObject({ Id: z.string(), Labels, State: z.string().optional() });
export type EngineContainer = z.output<typeof EngineContainer>;

/** `GET /containers/{id}/stats?stream=false` (the fields the agent reads; an ended container's are missing). */
export const EngineContainerStats = z.looseObject({
  cpu_stats: z
    .looseObject({
      cpu_usage: z.looseObject({ total_usage: z.number().optional(), percpu_usage: z.array(z.number()).nullish() }).optional(),
      system_cpu_usage: z.number().optional(),
      online_cpus: z.number().optional(),
    })
    .optional(),
  memory_stats: z
    .looseObject({
      usage: z.number().optional(),
      limit: z.number().optional(),
      stats: z.record(z.string(), z.number()).nullish(),
    })
    .optional(),
});
export type EngineContainerStats = z.output<typeof EngineContainerStats>;

export const EngineVersion = z.looseObject({
  Version: z.string(),
  ApiVersion: z.string(),
  Os: z.string().optional(),
  KernelVersion: z.string().optional(),
});

export const EngineSystemInfo = z.looseObject({
  OperatingSystem: z.string().optional(),
  NCPU: z.number().optional(),
  MemTotal: z.number().optional(),
  Swarm: z
    .looseObject({
      NodeID: z.string().optional(),
      LocalNodeState: z.string().optional(),
      ControlAvailable: z.boolean().optional(),
      Cluster: z.looseObject({ ID: z.string().optional() }).nullish(),
    })
    .optional(),
});

/** One message of `GET /events`. */
export const EngineEventMessage = z.looseObject({
  Type: z.string(),
  Action: z.string(),
  Actor: z.looseObject({ ID: z.string().optional(), Attributes: z.record(z.string(), z.string()).nullish() }).optional(),
  time: z.number().optional(),
  timeNano: z.number().optional(),
});
export type EngineEventMessage = z.output<typeof EngineEventMessage>;

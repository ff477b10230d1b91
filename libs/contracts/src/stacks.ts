import { DnsLabel, Hostname, IpAddress } from '@wharf/engine';
import { z } from 'zod';
import { ComposeSource, ServiceStatus } from './apps.js';
import { Slug, TenantRef, Timestamp, Uuid } from './common.js';
import { EnvironmentName } from './params.js';

/*
 * Compose stacks and environments: an app's stack as YAML and as a form, problems at their lines, the diff a
 * deployment would make, and the bindings each environment gives the external resources the stack needs.
 */

const Port = z.number().int().min(1).max(65_535);

/** What an environment binds an external name of the stack to. */
export const Binding = z.discriminatedUnion('kind', [
  /** A host (name or IP address) and port. An IP address also becomes a DNS alias (the name resolves to it). */
  z.strictObject({ kind: z.literal('address'), host: z.union([Hostname, IpAddress]), port: Port }),
  /** A URL (database URLs included), given to the service as variables. */
  z.strictObject({
    kind: z.literal('url'),
    url: z
      .string()
      .max(2048)
      .refine((u) => URL.canParse(u) && new URL(u).hostname !== '', 'an absolute URL with a host'),
  }),
  /** A service of another app of the tenant, on the same cluster: the service joins that app's network. */
  z.strictObject({
    kind: z.literal('service'),
    app: Slug,
    service: DnsLabel,
    environment: EnvironmentName.default('production'),
    /** Default: the service's HTTP port, else its first port. */
    port: Port.optional(),
  }),
]);
export type Binding = z.output<typeof Binding>;

export const Bindings = z.record(DnsLabel, Binding).refine((b) => Object.keys(b).length <= 64, 'at most 64 bindings');

export const Environment = z.object({
  name: z.string(),
  status: z.enum(['created', 'deploying', 'running', 'failed']),
  currentDeploymentId: Uuid.nullable(),
  bindings: z.record(z.string(), Binding),
  /** External names the app's stack needs, and whether this environment binds each. */
  needs: z.array(z.object({ name: z.string(), services: z.array(z.string()), bound: z.boolean() })),
  urls: z.record(z.string(), z.string()),
  /** Per service, as the engine last reported it. */
  services: z.record(z.string(), ServiceStatus),
  /** The quota the environment holds. */
  usage: z.object({ services: z.number().int(), cpuMillis: z.number().int(), memoryMiB: z.number().int() }),
  createdAt: Timestamp,
});
export type Environment = z.infer<typeof Environment>;

export const CreateEnvironmentBody = z.strictObject({ name: EnvironmentName, bindings: Bindings.default({}) });
export const SetBindingsBody = z.strictObject({ bindings: Bindings });

/** A problem in a compose file, at its line and column (1-based). */
export const StackIssue = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  path: z.string(),
  message: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  rule: z.string().optional(),
});

export const DependencyGraph = z.object({
  order: z.array(z.string()),
  layers: z.array(z.array(z.string())),
  edges: z.array(z.object({ from: z.string(), to: z.string(), condition: z.string(), required: z.boolean() })),
});

/** The form model of a stack (libs/compose/form): JSON the dashboard edits. */
export const StackFormModel = z.record(z.string(), z.unknown());

export const StackView = z.object({
  yaml: z.string(),
  /** Null when the YAML cannot be read as a form (a syntax error). */
  form: StackFormModel.nullable(),
  graph: DependencyGraph.nullable(),
  /** Problems as production would deploy it now (errors appear when its variables changed since the save). */
  issues: z.array(StackIssue),
  updatedAt: Timestamp,
});

/** Save the stack from its YAML, or from the form (written back into the YAML, keeping everything else). */
export const SaveStackBody = z.union([z.strictObject({ yaml: ComposeSource }), z.strictObject({ form: StackFormModel })]);

export const ValidateStackBody = z.strictObject({
  yaml: ComposeSource,
  /** Check with this environment's variables (default production). */
  environment: EnvironmentName.optional(),
});
export const ValidateStackResult = z.object({
  ok: z.boolean(),
  errors: z.array(StackIssue),
  warnings: z.array(StackIssue),
  graph: DependencyGraph.nullable(),
  form: StackFormModel.nullable(),
});

const Change = z.object({ name: z.string(), changes: z.array(z.string()) });
/** What deploying the current stack to an environment would change, per kind of object. */
export const StackDiff = z.object({
  environment: z.string(),
  from: z.object({ deploymentId: Uuid, revision: z.number().int() }).nullable(),
  services: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(Change) }),
  networks: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  volumes: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  secrets: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  configs: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
});
export type StackDiff = z.infer<typeof StackDiff>;

/**
 * The compose policy rules a dedicated cluster's owner may relax: what libs/compose enforces (its POLICY_RULES is
 * this list) and what the API and the dashboard offer.
 */
export const CLUSTER_POLICY_RULES = [
  'privileged',
  'host-network',
  'service-network',
  'host-pid',
  'host-ipc',
  'host-userns',
  'bind-mounts',
  'docker-socket',
  'devices',
  'cap-add',
  'security-opt',
  'sysctls',
] as const;
export type ClusterPolicyRule = (typeof CLUSTER_POLICY_RULES)[number];

export const ClusterPolicyBody = z.strictObject({
  /** Policy rules to relax on this dedicated cluster (the full list; [] restores every rule). */
  relaxed: z.array(z.string().max(40)).max(20),
});

export const ClusterParams = z.strictObject({ tenant: TenantRef, cluster: z.union([Uuid, Slug]) });

import { z } from 'zod';

/*
 * The form model of a compose stack: the part of a compose file the dashboard edits through a form. Plain JSON (it
 * goes over HTTP): no `undefined` inside arrays, no class instances. Keyed collections (services, environment,
 * depends_on, top-level volumes) are ordered lists whose keys are unique.
 */

/** A compose service (or top-level volume) name: compose's own rule. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** An environment variable name: no `=`, no line break, no surrounding blanks. */
const ENV_KEY = /^[^\s=](?:[^=\r\n]*[^\s=])?$/;

export const ComposeName = z.string().regex(NAME, 'letters, digits, "_", "." and "-", starting with a letter or digit');

export const EnvVarForm = z.object({
  key: z.string().regex(ENV_KEY, 'no "=", no line break, no leading or trailing blanks'),
  /** `null`: no value, the variable is passed through from where the stack runs (`- KEY`, `KEY:`). */
  value: z.string().nullable(),
});
export type EnvVarForm = z.infer<typeof EnvVarForm>;

const PortNumber = z.number().int().min(1).max(65535);

export const PortForm = z.object({
  /** Container port. */
  target: PortNumber,
  /** Host (published) port; absent: not published on a fixed port. */
  published: PortNumber.optional(),
  protocol: z.enum(['tcp', 'udp']),
});
export type PortForm = z.infer<typeof PortForm>;

export const DEPENDENCY_CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;

export const DependencyForm = z.object({
  service: ComposeName,
  condition: z.enum(DEPENDENCY_CONDITIONS),
});
export type DependencyForm = z.infer<typeof DependencyForm>;

export const HealthcheckForm = z.object({
  /** `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`; empty: the image's own test. */
  test: z.array(z.string()),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  retries: z.number().int().min(0).optional(),
});
export type HealthcheckForm = z.infer<typeof HealthcheckForm>;

export const ServiceForm = z
  .object({
    name: ComposeName,
    image: z.string().optional(),
    command: z.array(z.string()).optional(),
    environment: z.array(EnvVarForm),
    ports: z.array(PortForm),
    /** `deploy.replicas`. */
    replicas: z.number().int().min(0).optional(),
    /** `deploy.resources.limits.cpus`, as written (`"0.5"`). */
    cpus: z.string().optional(),
    /** `deploy.resources.limits.memory`, as written (`"512M"`). */
    memory: z.string().optional(),
    dependsOn: z.array(DependencyForm),
    healthcheck: HealthcheckForm.optional(),
    /** Short syntax, as written: `source:target[:mode]`, or just `target` for an anonymous volume. */
    volumes: z.array(
      z
        .string()
        .min(1)
        .regex(/^[^\r\n]*$/, 'one line'),
    ),
  })
  .superRefine((service, ctx) => {
    unique(ctx, service.environment, (v) => v.key, 'environment');
    unique(ctx, service.dependsOn, (d) => d.service, 'dependsOn');
  });
export type ServiceForm = z.infer<typeof ServiceForm>;

export const StackForm = z
  .object({
    services: z.array(ServiceForm),
    /** Names of the top-level (named) volumes. */
    volumes: z.array(ComposeName),
  })
  .superRefine((form, ctx) => {
    unique(ctx, form.services, (s) => s.name, 'services');
    unique(ctx, form.volumes, (v) => v, 'volumes');
  });
export type StackForm = z.infer<typeof StackForm>;

function unique<T>(ctx: z.RefinementCtx, items: readonly T[], keyOf: (item: T) => string, path: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [path, index], message: `duplicate "${key}"` });
    seen.add(key);
  });
}

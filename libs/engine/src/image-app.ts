import type { StackSpecInput } from './model.js';

/** The "app from an image" form: one service, its settings, its variables, and the names of its secrets. */
export interface ImageAppForm {
  service: string;
  image: string;
  httpPort: number | null;
  command: string[] | null;
  healthcheck:
    | { type: 'http'; path: string; intervalSeconds: number }
    | { type: 'command'; command: string[]; intervalSeconds: number }
    | null;
  replicas: number;
  /** Per replica. */
  cpuMillis: number;
  memoryMiB: number;
  env: Record<string, string>;
  /** Keys of the app's secrets: each becomes a Swarm secret at /run/secrets/<KEY>, announced by `<KEY>_FILE`. */
  secretKeys: string[];
}

/** Update policy of image apps: start-first, one task at a time, rolled back on the first failure. */
const UPDATE = { order: 'start-first', failureAction: 'rollback', parallelism: 1, monitorMs: 5_000 } as const;

/** The one-service stack an image app runs. */
export function imageAppStack(form: ImageAppForm): StackSpecInput {
  const secretFiles = Object.fromEntries(form.secretKeys.map((k) => [`${k}_FILE`, `/run/secrets/${k}`]));
  const check = form.healthcheck;
  const timing = check
    ? {
        intervalMs: check.intervalSeconds * 1000,
        timeoutMs: Math.min(5000, check.intervalSeconds * 1000),
        startPeriodMs: 0,
        retries: 3,
      }
    : undefined;
  return {
    services: [
      {
        name: form.service,
        image: form.image,
        ...(form.command ? { command: form.command } : {}),
        env: { ...form.env, ...secretFiles },
        secrets: Object.fromEntries(form.secretKeys.map((k) => [k, k])),
        ports: form.httpPort ? [{ containerPort: form.httpPort, http: true }] : [],
        replicas: form.replicas,
        resources: { limits: { cpuMillis: form.cpuMillis, memoryMiB: form.memoryMiB } },
        ...(check?.type === 'http' ? { healthcheck: { type: 'http', path: check.path, ...timing } } : {}),
        ...(check?.type === 'command' ? { healthcheck: { type: 'command', command: check.command, ...timing } } : {}),
        update: UPDATE,
        stopGracePeriodMs: 5_000,
      },
    ],
    secrets: Object.fromEntries(form.secretKeys.map((k) => [k, {}])),
  };
}

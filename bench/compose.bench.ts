import { compileCompose } from '@wharf/compose';
import { it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';

/*
 * Compose compile time: parse + validate + normalise of a large, realistic compose file (anchors and merge keys,
 * depends_on chains with health conditions, health checks, environment maps, ports, volumes, deploy resources), in
 * process, no database. Compiles once to warm up, then ROUNDS times, and prints the figures. Asserts nothing.
 *
 *   npm run bench:compose            (BENCH_SERVICES=50,100 BENCH_ROUNDS=200 to change the sizes and the rounds)
 */
/**
 * 200 services as the goal asks, and 100 for comparison.
 */
const SIZES = (process.env.BENCH_SERVICES ?? '200,100').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const GOAL_MS = 50;

/**
 * A compose file of `n` services in groups of ten: a database with a health check and a volume, then an API that
 * waits for it to be healthy, then eight workers in a chain, each waiting for the one before it.
 */
function generateCompose(n: number): string {
  const out: string[] = [
    'x-common: &common',
    '  image: ghcr.io/acme/platform:2024.06.1',
    '  restart: unless-stopped',
    '  environment: &common-env',
    '    LOG_LEVEL: info',
    '    LOG_FORMAT: json',
    '    TZ: Europe/Paris',
    '    OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4317',
    '  deploy: &common-deploy',
    '    replicas: 2',
    '    resources:',
    '      limits:',
    '        cpus: "0.5"',
    '        memory: 256M',
    '      reservations:',
    '        cpus: "0.1"',
    '        memory: 64M',
    '    update_config:',
    '      parallelism: 1',
    '      delay: 10s',
    '      order: start-first',
    '    restart_policy:',
    '      condition: on-failure',
    '      max_attempts: 3',
    '',
    'x-healthcheck: &http-health',
    '  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost:8080/healthz"]',
    '  interval: 15s',
    '  timeout: 3s',
    '  retries: 3',
    '  start_period: 20s',
    '',
    'services:',
  ];
  const volumes: string[] = [];
  for (let i = 0; i < n; i++) {
    const group = Math.floor(i / 10);
    const kind = i % 10;
    const name = kind === 0 ? `db-${group}` : kind === 1 ? `api-${group}` : `worker-${group}-${kind}`;
    if (kind === 0) {
      volumes.push(`  db-${group}-data:`);
      out.push(
        `  ${name}:`,
        '    image: postgres:16-alpine',
        '    environment:',
        `      POSTGRES_DB: app${group}`,
        '      POSTGRES_USER: app',
        `      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-changeme}`,
        '      PGDATA: /var/lib/postgresql/data/pgdata',
        '    healthcheck:',
        `      test: ["CMD-SHELL", "pg_isready -U $\${POSTGRES_USER}"]`,
        '      interval: 5s',
        '      timeout: 3s',
        '      retries: 10',
        '    volumes:',
        `      - db-${group}-data:/var/lib/postgresql/data`,
        '    deploy:',
        '      resources:',
        '        limits:',
        '          cpus: "1"',
        '          memory: 1G',
        '',
      );
    } else if (kind === 1) {
      out.push(
        `  ${name}:`,
        '    <<: *common',
        '    command: ["node", "dist/api.js"]',
        '    ports:',
        `      - "${8000 + group}:8080"`,
        '      - target: 9464',
        '        protocol: tcp',
        '    environment:',
        '      <<: *common-env',
        `      DATABASE_URL: postgres://app:\${POSTGRES_PASSWORD:-changeme}@db-${group}:5432/app${group}`,
        `      SERVICE_NAME: ${name}`,
        '      HTTP_PORT: "8080"',
        '      FEATURE_FLAGS: search,billing,exports',
        '    healthcheck: *http-health',
        '    depends_on:',
        `      db-${group}:`,
        '        condition: service_healthy',
        '',
      );
    } else {
      const after = kind === 2 ? `api-${group}` : `worker-${group}-${kind - 1}`;
      out.push(
        `  ${name}:`,
        '    <<: *common',
        `    command: node dist/worker.js --queue q${group}-${kind} --concurrency 4`,
        '    environment:',
        '      <<: *common-env',
        `      QUEUE: q${group}-${kind}`,
        `      DATABASE_URL: postgres://app:\${POSTGRES_PASSWORD:-changeme}@db-${group}:5432/app${group}`,
        '      REDIS_URL: redis://cache:6379/0',
        `      SERVICE_NAME: ${name}`,
        '    expose:',
        '      - "9464"',
        '    tmpfs:',
        '      - /tmp',
        '    depends_on:',
        `      ${after}:`,
        `        condition: ${kind === 2 ? 'service_healthy' : 'service_started'}`,
        '    deploy:',
        '      <<: *common-deploy',
        `      replicas: ${1 + (kind % 3)}`,
        '',
      );
    }
  }
  out.push('volumes:', ...volumes, '');
  return out.join('\n');
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const percentile = (xs: number[], p: number) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))] ?? Number.NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Runs `fn` once to warm up, then ROUNDS times; the times in ms. */
function time(fn: () => unknown): number[] {
  fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

const summary = (times: number[]) =>
  `median ${ms(percentile(times, 0.5))}, p95 ${ms(percentile(times, 0.95))}, max ${ms(Math.max(...times))}`;

it.each(SIZES)('compiles a %i-service compose file', (services) => {
  const source = generateCompose(services);
  const options = { file: 'docker-compose.yml', cluster: { shared: true } } as const;
  const first = compileCompose(source, options);
  const compile = time(() => compileCompose(source, options));
  // the yaml package alone (parse with positions and merge keys), to see what the compiler adds to it
  const parse = time(() => parseDocument(source, { lineCounter: new LineCounter(), merge: true }).toJS());
  const lines = [
    `compose compile: ${services} services, ${(Buffer.byteLength(source) / 1024).toFixed(1)} KiB, ${source.split('\n').length} lines`,
    first.ok
      ? `  result: ok, ${first.stack.services.length} services, ${first.graph.layers.length} layers, ${first.warnings.length} warnings`
      : `  result: refused, ${first.errors.length} error(s), first: ${first.errors[0]?.code} at ${first.errors[0]?.line}:${first.errors[0]?.column}: ${first.errors[0]?.message}`,
    `  compileCompose, ${ROUNDS} rounds after 1 warm-up: ${summary(compile)}`,
    `  for comparison, the yaml package alone (parseDocument + toJS): ${summary(parse)}`,
    `  goal: median < ${GOAL_MS} ms: ${percentile(compile, 0.5) < GOAL_MS ? 'PASS' : 'MISS'}`,
  ];
  console.log(lines.join('\n'));
});

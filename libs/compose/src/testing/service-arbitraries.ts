import fc from 'fast-check';

/* Values for the keys of one compose service, valid or not: the parts compose-arbitraries.ts builds files from. */

/*
 * fast-check arbitraries of compose files, from token soup to valid stacks: the inputs of property.spec.ts.
 * Test code only (the lib's build leaves src/testing out).
 */

export const serviceName = fc.oneof(
  fc.constantFrom('web', 'db', 'api', 'worker', 'redis', 'a', 'test', 'Web', 'my_app', 'x-y', '0day', ''),
  fc.string({ maxLength: 10 }),
);

/** A value of a random type, to put where compose expects something specific. */
export const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double()) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3 }) },
);

const portEntry = fc.oneof(
  fc.constantFrom('80', '8080:80', '127.0.0.1:8080:80', '53:53/udp', '9000-9002:9000-9002', '70000', '0', ':', '80/sctp'),
  fc.integer({ min: -5, max: 70_000 }),
  fc.record(
    {
      target: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.string({ maxLength: 5 })),
      published: anyValue,
      protocol: anyValue,
    },
    { requiredKeys: ['target'] },
  ),
  anyValue,
);

const duration = fc.oneof(fc.constantFrom('10s', '1m30s', '500ms', '2h', '0s', '-1s', 'forever', '1.5s'), anyValue);

export const knownKeys = fc.record(
  {
    image: fc.oneof(fc.constantFrom('nginx', 'postgres:16', 'ghcr.io/acme/api:1.0', 'a@sha256:00', 'UPPER/case', ''), anyValue),
    command: fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }), anyValue),
    entrypoint: fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
    ports: fc.oneof(fc.array(portEntry, { maxLength: 4 }), anyValue),
    expose: fc.oneof(
      fc.array(fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.string({ maxLength: 6 })), { maxLength: 3 }),
      anyValue,
    ),
    environment: fc.oneof(
      fc.dictionary(
        fc.string({ maxLength: 8 }),
        fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
        {
          maxKeys: 4,
        },
      ),
      fc.array(fc.string({ maxLength: 16 }), { maxLength: 4 }),
      anyValue,
    ),
    depends_on: fc.oneof(
      fc.array(serviceName, { maxLength: 3 }),
      fc.dictionary(
        serviceName,
        fc.record(
          {
            condition: fc.oneof(
              fc.constantFrom('service_started', 'service_healthy', 'service_completed_successfully', 'sometimes'),
              anyValue,
            ),
            required: anyValue,
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 3 },
      ),
      anyValue,
    ),
    links: fc.array(fc.oneof(serviceName, fc.constant('db:database')), { maxLength: 2 }),
    healthcheck: fc.oneof(
      fc.record(
        {
          test: fc.oneof(
            fc.constant(['CMD', 'true']),
            fc.constant(['CMD-SHELL', 'exit 0']),
            fc.constant(['NONE']),
            fc.string({ maxLength: 10 }),
            anyValue,
          ),
          interval: duration,
          timeout: duration,
          retries: anyValue,
          start_period: duration,
          disable: anyValue,
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    deploy: fc.oneof(
      fc.record(
        {
          replicas: fc.oneof(fc.integer({ min: -2, max: 200 }), anyValue),
          resources: fc.record(
            {
              limits: fc.record(
                {
                  cpus: fc.oneof(fc.constantFrom('0.5', '2', '0.001', '-1', 'lots'), fc.double(), anyValue),
                  memory: fc.oneof(fc.constantFrom('512M', '1G', '1.5g', '6m', '100', '999999G', 'big'), anyValue),
                  pids: anyValue,
                },
                { requiredKeys: [] },
              ),
              reservations: anyValue,
            },
            { requiredKeys: [] },
          ),
          restart_policy: anyValue,
          update_config: anyValue,
          mode: fc.constantFrom('replicated', 'global', 'replicated-job', 'weird'),
        },
        { requiredKeys: [] },
      ),
      anyValue,
    ),
    volumes: fc.oneof(
      fc.array(
        fc.oneof(
          fc.constantFrom(
            'data:/data',
            'data:/data:ro',
            './x:/x',
            '/var/run/docker.sock:/var/run/docker.sock',
            '/tmp',
            'data:relative',
          ),
          anyValue,
        ),
        { maxLength: 3 },
      ),
      anyValue,
    ),
    profiles: fc.oneof(fc.array(fc.constantFrom('debug', 'test', 'x'), { maxLength: 2 }), anyValue),
    restart: fc.oneof(fc.constantFrom('always', 'no', 'on-failure', 'on-failure:3', 'unless-stopped', 'sometimes'), anyValue),
    privileged: anyValue,
    network_mode: fc.constantFrom('host', 'bridge', 'none', 'service:web'),
    cap_add: fc.array(fc.constantFrom('NET_BIND_SERVICE', 'SYS_ADMIN', 'ALL', 'lower'), { maxLength: 2 }),
    extends: fc.oneof(fc.record({ service: serviceName }), serviceName),
    env_file: anyValue,
    build: anyValue,
    secrets: fc.array(fc.oneof(fc.constantFrom('s1', 's2'), anyValue), { maxLength: 2 }),
    'x-wharf-test': anyValue,
    'x-wharf-http': anyValue,
    'x-wharf-external': anyValue,
  },
  { requiredKeys: [] },
);

export const unknownKeys = fc.dictionary(
  fc.oneof(fc.constantFrom('prots', 'enviroment', 'depends-on', '<<'), fc.string({ maxLength: 8 })),
  anyValue,
  {
    maxKeys: 2,
  },
);

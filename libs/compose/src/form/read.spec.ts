import { describe, expect, it } from 'vitest';
import type { ServiceForm, StackForm } from './form.schema.js';
import { formFromYaml } from './read.js';

function read(source: string): StackForm {
  const result = formFromYaml(source);
  if (!result.ok) throw new Error(result.message);
  return result.form;
}

function service(source: string, name: string): ServiceForm {
  const found = read(source).services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

const empty = { environment: [], ports: [], dependsOn: [], volumes: [] };

describe('formFromYaml', () => {
  it('reads every field the form models, in the short syntaxes', () => {
    const source = `services:
  web:
    image: nginx:1.27
    command: nginx -g 'daemon off;'
    environment:
      - A=1
      - EMPTY=
      - FROM_HOST
      - URL=postgres://db/x?a=b
    ports:
      - "8080:80"
      - 9090:90/udp
      - 127.0.0.1:5432:5432
      - 3000
      - 8000-8010:8000-8010
      - \${PORT}:80
    depends_on: [db]
    healthcheck:
      test: curl -f http://localhost
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - cache:/cache
    deploy:
      replicas: 2
      resources:
        limits:
          cpus: 0.50
          memory: 256M
volumes:
  cache:
`;
    expect(read(source)).toEqual({
      services: [
        {
          name: 'web',
          image: 'nginx:1.27',
          command: ['nginx', '-g', 'daemon off;'],
          environment: [
            { key: 'A', value: '1' },
            { key: 'EMPTY', value: '' },
            { key: 'FROM_HOST', value: null },
            { key: 'URL', value: 'postgres://db/x?a=b' },
          ],
          ports: [
            { target: 80, published: 8080, protocol: 'tcp' },
            { target: 90, published: 9090, protocol: 'udp' },
            { target: 5432, published: 5432, protocol: 'tcp' },
            { target: 3000, protocol: 'tcp' },
          ],
          replicas: 2,
          cpus: '0.50',
          memory: '256M',
          dependsOn: [{ service: 'db', condition: 'service_started' }],
          healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost'], interval: '30s', timeout: '5s', retries: 3 },
          volumes: ['./site:/usr/share/nginx/html:ro', 'cache:/cache'],
        },
      ],
      volumes: ['cache'],
    });
  });

  it('reads the long syntaxes', () => {
    const source = `services:
  api:
    command: ["node", "server.js", 8080]
    environment:
      PORT: 08080
      DEBUG: true
      TOKEN:
      NAME: "api"
    ports:
      - target: 80
        published: "8080"
        protocol: udp
        mode: host
      - target: 81
        published: 8000-8001
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache:
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
    volumes:
      - type: bind
        source: ./data
        target: /data
        read_only: true
      - type: volume
        target: /anonymous
      - type: volume
        source: opts
        target: /opts
        volume: {nocopy: true}
      - type: tmpfs
        target: /tmp
`;
    expect(service(source, 'api')).toEqual({
      name: 'api',
      command: ['node', 'server.js', '8080'],
      environment: [
        { key: 'PORT', value: '08080' },
        { key: 'DEBUG', value: 'true' },
        { key: 'TOKEN', value: null },
        { key: 'NAME', value: 'api' },
      ],
      ports: [{ target: 80, published: 8080, protocol: 'udp' }],
      dependsOn: [
        { service: 'db', condition: 'service_healthy' },
        { service: 'cache', condition: 'service_started' },
      ],
      healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost'] },
      volumes: ['./data:/data:ro', '/anonymous'],
    });
  });

  it('resolves merge keys, aliases and !reset the way compose does', () => {
    const source = `x-base: &base
  image: app:1
  environment: &env
    TZ: UTC
  deploy:
    replicas: 3
services:
  web:
    <<: *base
    deploy: !reset null
  worker:
    <<: *base
    image: app:2
    environment:
      <<: *env
      QUEUE: jobs
  copy: *base
`;
    const form = read(source);
    expect(form.services.map((s) => [s.name, s.image, s.environment, s.replicas])).toEqual([
      ['web', 'app:1', [{ key: 'TZ', value: 'UTC' }], undefined],
      [
        'worker',
        'app:2',
        [
          { key: 'QUEUE', value: 'jobs' },
          { key: 'TZ', value: 'UTC' },
        ],
        3,
      ],
      ['copy', 'app:1', [{ key: 'TZ', value: 'UTC' }], 3],
    ]);
  });

  it('reads an empty document, or services left empty, as an empty stack', () => {
    for (const source of ['', '# nothing yet\n', '~\n', 'services:\n', 'services: {}\n', 'name: x\n']) {
      expect(read(source)).toEqual({ services: [], volumes: [] });
    }
    expect(read('services:\n  web:\n')).toEqual({ services: [{ name: 'web', ...empty }], volumes: [] });
  });

  it.each([
    ['services:\n  web:\n    image: a: b\n', /nested mappings/i, 3],
    ['- a\n- b\n', /a compose file must be a mapping/, 1],
    ['services:\n  web:\n    ports: "80:80"\n', /services\.web\.ports must be a list/, 3],
    ['services:\n  web:\n    deploy:\n      replicas: two\n', /replicas must be a whole number/, 4],
    [`services:\n  web:\n    command: echo 'oops\n`, /unterminated single quote/, 3],
    ['services:\n  web:\n    environment: [A=1, A=2]\n', /environment\.1: duplicate "A"/, 2],
    ['services:\n  web:\n    image: *nowhere\n', /unknown alias \*nowhere/, 3],
    ['services:\n  "my app":\n    image: x\n', /services\.0\.name/, 2],
    ['services:\n  web:\n    depends_on:\n      db: {condition: sometimes}\n', /unknown condition "sometimes"/, 4],
  ])('reports what it cannot read, with its line: %j', (source, message, line) => {
    const result = formFromYaml(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(message);
    expect(result.line).toBe(line);
    expect(result.column).toBeGreaterThan(0);
  });
});

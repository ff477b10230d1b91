import { describe, expect, it } from 'vitest';
import { sameForm } from './compare.js';
import type { ServiceForm, StackForm } from './form.schema.js';
import { formFromYaml } from './read.js';
import { applyForm } from './write.js';

function edit(source: string, change: (form: StackForm) => void): string {
  const read = formFromYaml(source);
  if (!read.ok) throw new Error(read.message);
  const form = structuredClone(read.form);
  change(form);
  const written = applyForm(source, form);
  if (!written.ok) throw new Error(written.message);
  const back = formFromYaml(written.yaml);
  expect(back.ok && sameForm(back.form, form)).toBe(true);
  return written.yaml;
}

function svc(form: StackForm, name: string): ServiceForm {
  const found = form.services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

describe('applyForm on other layouts', () => {
  it('writes a new document from scratch', () => {
    const form = {
      services: [
        {
          name: 'web',
          image: 'nginx:1.27',
          command: ['nginx', '-g', 'daemon off;'],
          environment: [
            { key: 'A', value: '1' },
            { key: 'B', value: null },
          ],
          ports: [{ target: 80, published: 8080, protocol: 'tcp' as const }],
          dependsOn: [{ service: 'db', condition: 'service_healthy' as const }],
          healthcheck: { test: ['CMD', 'curl', '-f', 'http://localhost'], interval: '30s', retries: 3 },
          volumes: ['./html:/usr/share/nginx/html:ro'],
          replicas: 2,
          memory: '256M',
        },
      ],
      volumes: ['data'],
    };
    expect(applyForm('', form)).toEqual({
      ok: true,
      yaml: `services:
  web:
    image: nginx:1.27
    command: ["nginx", "-g", "daemon off;"]
    environment:
      A: "1"
      B:
    ports:
      - "8080:80"
    volumes:
      - ./html:/usr/share/nginx/html:ro
    depends_on:
      db:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost"]
      interval: 30s
      retries: 3
    deploy:
      replicas: 2
      resources:
        limits:
          memory: 256M
volumes:
  data:
`,
    });
    expect(applyForm('', { services: [], volumes: [] })).toEqual({ ok: true, yaml: 'services: {}\n' });
    expect(applyForm('# my stack', { services: [], volumes: [] })).toEqual({ ok: true, yaml: '# my stack\nservices: {}\n' });
  });

  it('adds services to a file that has none, after what is there', () => {
    const out = edit('name: shop\nservices:   # none yet\n', (f) => {
      f.services.push({ name: 'web', image: 'nginx', environment: [], ports: [], dependsOn: [], volumes: [] });
    });
    expect(out).toBe('name: shop\nservices:\n  web:\n    image: nginx\n');
    expect(
      edit('x-note: 1  # keep\n', (f) => {
        f.services.push({ name: 'web', environment: [], ports: [], dependsOn: [], volumes: [] });
      }),
    ).toBe('x-note: 1  # keep\nservices:\n  web: {}\n');
  });

  it('follows the file’s indentation for what it adds', () => {
    const four = 'services:\n    web:\n        image: nginx\n        ports:\n            - "80:80"\n';
    const out = edit(four, (f) => {
      const web = svc(f, 'web');
      web.environment = [{ key: 'A', value: 'b' }];
      web.volumes = ['data:/data'];
    });
    expect(out).toBe(`${four}        environment:\n            A: b\n        volumes:\n            - data:/data\n`);
    const flat = 'services:\n  web:\n    ports:\n    - "80:80"\n';
    expect(
      edit(flat, (f) => {
        svc(f, 'web').volumes = ['data:/data'];
      }),
    ).toBe(`${flat}    volumes:\n    - data:/data\n`);
  });

  it('edits a service written as a flow mapping on its line', () => {
    const source = 'services:\n  cache: { image: redis, ports: ["6379"] }   # small\n';
    expect(
      edit(source, (f) => {
        const cache = svc(f, 'cache');
        cache.image = 'redis:7';
        cache.environment = [{ key: 'A', value: 'b c' }];
      }),
    ).toBe('services:\n  cache: { image: redis:7, ports: ["6379"], environment: {A: b c} }   # small\n');
  });

  it('keeps long-syntax ports and volumes long', () => {
    const source = `services:
  web:
    ports:
      - target: 80   # http
        published: 8080
        mode: host
    volumes:
      - type: volume
        source: data
        target: /data
`;
    const out = edit(source, (f) => {
      const web = svc(f, 'web');
      web.ports = [
        { target: 80, protocol: 'udp' },
        { target: 443, published: 8443, protocol: 'tcp' },
      ];
      web.volumes = ['./data:/data:ro'];
    });
    expect(out).toBe(`services:
  web:
    ports:
      - target: 80   # http
        mode: host
        protocol: udp
      - target: 443
        published: 8443
    volumes:
      - type: bind
        source: ./data
        target: /data
        read_only: true
`);
  });

  it('edits the first key of a list item, and empties a command list', () => {
    const source = 'services:\n  web:\n    command:\n      - serve\n    ports:\n      - published: 8080\n        target: 80\n';
    const out = edit(source, (f) => {
      const web = svc(f, 'web');
      web.command = [];
      web.ports = [{ target: 80, protocol: 'tcp' }];
    });
    expect(out).toBe('services:\n  web:\n    command: []\n    ports:\n      - target: 80\n');
  });

  it('keeps Windows line breaks', () => {
    const source = 'services:\r\n  web:\r\n    image: nginx   # web\r\n    ports:\r\n      - "80:80"\r\n';
    const out = edit(source, (f) => {
      const web = svc(f, 'web');
      web.image = 'nginx:1.27';
      web.ports.push({ target: 443, published: 443, protocol: 'tcp' });
      web.environment = [{ key: 'A', value: 'b' }];
    });
    expect(out).toBe(
      'services:\r\n  web:\r\n    image: nginx:1.27   # web\r\n    ports:\r\n      - "80:80"\r\n      - "443:443"\r\n    environment:\r\n      A: b\r\n',
    );
  });

  it('stops at aliases that expand a small file into a huge value', () => {
    const levels = ['x-l0: &l0 ["1-2:1-2", "1-2:1-2", "1-2:1-2", "1-2:1-2", "1-2:1-2", "1-2:1-2", "1-2:1-2", "1-2:1-2"]'];
    for (let i = 1; i <= 6; i += 1)
      levels.push(
        `x-l${i}: &l${i} [${Array(8)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const source = `${levels.join('\n')}\nservices:\n  web:\n    ports: *l6\n`;
    const read = formFromYaml(source);
    if (!read.ok) throw new Error(read.message);
    svc(read.form, 'web').ports = [{ target: 80, protocol: 'tcp' }];
    const result = applyForm(source, read.form);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('aliases expand too far') });
    const merges = ['x-m0: &m0 {image: a}'];
    for (let i = 1; i <= 14; i += 1) merges.push(`x-m${i}: &m${i} {<<: [*m${i - 1}, *m${i - 1}]}`);
    expect(formFromYaml(`${merges.join('\n')}\nservices:\n  web: {<<: *m14}\n`)).toMatchObject({
      ok: false,
      message: expect.stringContaining('merge keys (<<) nest too deeply'),
    });
  });

  it('reports a file it cannot read, and a form that is not valid', () => {
    expect(applyForm('services:\n  web: [\n', { services: [], volumes: [] })).toMatchObject({ ok: false });
    const bad = applyForm('', {
      services: [{ name: 'a b', environment: [], ports: [], dependsOn: [], volumes: [] }],
      volumes: [],
    });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid form: services\.0\.name/) });
  });
});

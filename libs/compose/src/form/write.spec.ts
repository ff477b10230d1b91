import { describe, expect, it } from 'vitest';
import { sameForm } from './compare.js';
import type { ServiceForm, StackForm } from './form.schema.js';
import { formFromYaml } from './read.js';
import { applyForm } from './write.js';

/** Edit the form of `source` and write it back; the result must read back as the edited form. */
function edit(source: string, change: (form: StackForm) => void): string {
  const read = formFromYaml(source);
  if (!read.ok) throw new Error(read.message);
  const form = structuredClone(read.form);
  change(form);
  const written = applyForm(source, form);
  if (!written.ok) throw new Error(written.message);
  const back = formFromYaml(written.yaml);
  if (!back.ok) throw new Error(`${back.message}\n${written.yaml}`);
  expect(sameForm(back.form, form)).toBe(true);
  return written.yaml;
}

function svc(form: StackForm, name: string): ServiceForm {
  const found = form.services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

const SHOP = `# Stack for the shop, edited by hand and by the dashboard
version: "3.9"   # ignored by compose v2

services:

  # storefront
  web:
    image:   'shop/web:1.4'    # single quotes, extra spaces
    command: ["node", "server.js"]
    environment:
      NODE_ENV: production   # the usual
      PORT: 8080
      # secrets come from the platform
      API_KEY:
    ports:
      - "80:8080"
      - 127.0.0.1:9229:9229   # debugger, local only
    labels: {team: shop}

  db:
    image: postgres:16
    environment:
    - POSTGRES_DB=shop
    - POSTGRES_PASSWORD=dev
    volumes: [ "pg:/var/lib/postgresql/data" ]
    healthcheck:
      test: pg_isready -U postgres
      interval: 10s
      start_period: 30s

volumes:
  pg:    # database files
`;

/** `SHOP` with `from` replaced by `to` (each must occur once). */
function shop(...edits: [string, string][]): string {
  return edits.reduce((text, [from, to]) => {
    expect(text.split(from)).toHaveLength(2);
    return text.replace(from, to);
  }, SHOP);
}

describe('applyForm', () => {
  it('gives the file back byte for byte when the form did not change', () => {
    expect(edit(SHOP, () => undefined)).toBe(SHOP);
  });

  it('changes a scalar in place, keeping its quotes and comment', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'web').image = 'shop/web:1.5';
    });
    expect(out).toBe(shop(["'shop/web:1.4'", "'shop/web:1.5'"]));
  });

  it('edits an environment mapping key by key', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'web').environment = [
        { key: 'NODE_ENV', value: 'staging' },
        { key: 'API_KEY', value: 'k' },
        { key: 'NEW', value: '1' },
      ];
    });
    expect(out).toBe(
      shop(
        ['NODE_ENV: production   # the usual', 'NODE_ENV: staging   # the usual'],
        ['      PORT: 8080\n', ''],
        ['      API_KEY:\n', '      API_KEY: k\n      NEW: "1"\n'],
      ),
    );
  });

  it('edits an environment list as a list, in its own indentation', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'db').environment = [
        { key: 'POSTGRES_DB', value: 'shop' },
        { key: 'POSTGRES_PASSWORD', value: null },
        { key: 'PGDATA', value: '/data' },
      ];
    });
    expect(out).toBe(shop(['    - POSTGRES_PASSWORD=dev\n', '    - POSTGRES_PASSWORD\n    - PGDATA=/data\n']));
  });

  it('keeps ports in short syntax, with their quotes and host address', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'web').ports = [
        { target: 8080, published: 8000, protocol: 'tcp' },
        { target: 9229, published: 9229, protocol: 'udp' },
        { target: 8443, published: 443, protocol: 'tcp' },
      ];
    });
    expect(out).toBe(
      shop(
        ['"80:8080"', '"8000:8080"'],
        ['9229:9229   # debugger, local only\n', '9229:9229/udp   # debugger, local only\n      - "443:8443"\n'],
      ),
    );
  });

  it('rewrites a flow list on one line, keeping the entries that did not change', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'web').command = ['node', '--inspect', 'server.js'];
      svc(f, 'db').volumes = ['pg:/data'];
    });
    expect(out).toBe(
      shop(
        ['["node", "server.js"]', '["node", "--inspect", "server.js"]'],
        ['[ "pg:/var/lib/postgresql/data" ]', '[ "pg:/data" ]'],
      ),
    );
  });

  it('keeps a command written as a string a string', () => {
    const source = 'services:\n  web:\n    command: npm start   # dev\n';
    const out = edit(source, (f) => {
      svc(f, 'web').command = ['npm', 'run', 'serve', '--', '--host', '0.0.0.0', 'a b'];
    });
    expect(out).toBe("services:\n  web:\n    command: npm run serve -- --host 0.0.0.0 'a b'   # dev\n");
  });

  it('edits a healthcheck field by field and keeps what the form does not show', () => {
    const shell = edit(SHOP, (f) => {
      svc(f, 'db').healthcheck = { test: ['CMD-SHELL', 'pg_isready -U shop'], interval: '10s', retries: 5 };
    });
    expect(shell).toBe(
      shop(['pg_isready -U postgres', 'pg_isready -U shop'], ['start_period: 30s\n', 'start_period: 30s\n      retries: 5\n']),
    );
    const exec = edit(SHOP, (f) => {
      svc(f, 'db').healthcheck = { test: ['CMD', 'pg_isready'] };
    });
    expect(exec).toBe(shop(['test: pg_isready -U postgres\n      interval: 10s\n', 'test: ["CMD", "pg_isready"]\n']));
    const none = edit(SHOP, (f) => {
      svc(f, 'db').healthcheck = undefined;
    });
    expect(none).toBe(
      shop(['    healthcheck:\n      test: pg_isready -U postgres\n      interval: 10s\n      start_period: 30s\n', '']),
    );
  });

  it('adds new fields at the end of the service, in compose spelling', () => {
    const out = edit(SHOP, (f) => {
      const web = svc(f, 'web');
      web.replicas = 2;
      web.cpus = '0.5';
      web.dependsOn = [{ service: 'db', condition: 'service_started' }];
      web.volumes = ['./static:/srv/static:ro'];
    });
    expect(out).toBe(
      shop([
        '    labels: {team: shop}\n',
        `    labels: {team: shop}
    volumes:
      - ./static:/srv/static:ro
    depends_on:
      - db
    deploy:
      replicas: 2
      resources:
        limits:
          cpus: "0.5"
`,
      ]),
    );
  });

  it('turns a depends_on list into a mapping only when a condition needs it', () => {
    const source = 'services:\n  web:\n    depends_on:\n      - db\n  db: {}\n  cache: {}\n';
    expect(
      edit(source, (f) => {
        svc(f, 'web').dependsOn.push({ service: 'cache', condition: 'service_started' });
      }),
    ).toBe('services:\n  web:\n    depends_on:\n      - db\n      - cache\n  db: {}\n  cache: {}\n');
    expect(
      edit(source, (f) => {
        svc(f, 'web').dependsOn = [{ service: 'db', condition: 'service_healthy' }];
      }),
    ).toBe('services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n  db: {}\n  cache: {}\n');
  });

  it('edits a depends_on mapping, keeping restart and required', () => {
    const source = `services:
  web:
    depends_on:
      db:
        condition: service_healthy
        restart: true
      cache:
        condition: service_started
`;
    const out = edit(source, (f) => {
      svc(f, 'web').dependsOn = [{ service: 'db', condition: 'service_completed_successfully' }];
    });
    expect(out).toBe(`services:
  web:
    depends_on:
      db:
        condition: service_completed_successfully
        restart: true
`);
  });

  it('adds a service at the end, separated like the others, and removes one', () => {
    const added = edit(SHOP, (f) => {
      f.services.push({ name: 'cache', image: 'redis:7', environment: [], ports: [], dependsOn: [], volumes: [] });
    });
    expect(added).toBe(shop(['      start_period: 30s\n', '      start_period: 30s\n\n  cache:\n    image: redis:7\n']));
    const removed = edit(SHOP, (f) => {
      f.services = f.services.filter((s) => s.name !== 'web');
    });
    // the comment above a removed service stays: it may be about more than that service
    expect(removed).toBe(shop([SHOP.slice(SHOP.indexOf('  web:'), SHOP.indexOf('\n\n  db:') + 1), '']));
  });

  it('treats a renamed service as removed and added (at the end)', () => {
    const out = edit(SHOP, (f) => {
      svc(f, 'db').name = 'postgres';
    });
    expect(out).toContain('  # storefront\n  web:\n');
    expect(out).not.toContain('  db:');
    expect(out.slice(out.indexOf('\n  postgres:'))).toBe(`
  postgres:
    image: postgres:16
    environment:
      POSTGRES_DB: shop
      POSTGRES_PASSWORD: dev
    volumes:
      - pg:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 10s

volumes:
  pg:    # database files
`);
  });

  it('deletes the key of a cleared field', () => {
    const out = edit(SHOP, (f) => {
      const web = svc(f, 'web');
      web.command = undefined;
      web.environment = [];
      web.ports = [];
    });
    const start = SHOP.indexOf('    command:');
    expect(out).toBe(shop([SHOP.slice(start, SHOP.indexOf('    labels:')), '']));
  });

  it('adds and removes top-level volumes', () => {
    expect(
      edit(SHOP, (f) => {
        f.volumes.push('cache');
      }),
    ).toBe(`${SHOP}  cache:\n`);
    expect(
      edit(SHOP, (f) => {
        f.volumes = [];
        svc(f, 'db').volumes = [];
      }),
    ).toBe(shop(['    volumes: [ "pg:/var/lib/postgresql/data" ]\n', ''], ['volumes:\n  pg:    # database files\n', '']));
  });
});

import { describe, expect, it } from 'vitest';
import { compileCompose } from './compile.js';
import type { CompileOptions } from './types.js';

const compile = (lines: string[], options: CompileOptions = {}) => compileCompose(lines.join('\n'), options);
const issues = (r: ReturnType<typeof compileCompose>) => (r.ok ? [] : r.errors.map((e) => [e.code, e.path, e.line]));

describe('volumes', () => {
  it('mounts declared named volumes, short and long, and declares them on the stack', () => {
    const r = compile([
      'services:',
      '  db:',
      '    image: postgres',
      '    volumes:',
      '      - pgdata:/var/lib/postgresql/data',
      '      - conf:/etc/app:ro',
      '      - {type: volume, source: cache, target: /cache, read_only: true, volume: {nocopy: true}}',
      'volumes:',
      '  pgdata:',
      '  conf: {labels: [backup=daily]}',
      '  cache: {}',
      '  unused: {}',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.services[0]?.volumes).toEqual([
      { source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false },
      { source: 'conf', target: '/etc/app', readOnly: true },
      { source: 'cache', target: '/cache', readOnly: true },
    ]);
    expect(r.stack.volumes).toEqual({ pgdata: { labels: {} }, conf: { labels: { backup: 'daily' } }, cache: { labels: {} } });
  });

  it('refuses an undeclared volume with a suggestion', () => {
    const r = compile(['services:', '  db:', '    image: postgres', '    volumes: ["pgdta:/data"]', 'volumes:', '  pgdata: {}']);
    expect(r.ok ? [] : r.errors).toEqual([
      expect.objectContaining({
        code: 'reference',
        path: 'services.db.volumes[0]',
        line: 4,
        message: 'services.db.volumes[0]: volume "pgdta" is not declared under the top-level "volumes"; did you mean "pgdata"?',
      }),
    ]);
  });

  it('names anonymous volumes after the service, with a warning', () => {
    const r = compile(['services:', '  web:', '    image: nginx', '    volumes: [/data, {type: volume, target: /more}]']);
    expect(r.ok && r.stack.services[0]?.volumes).toEqual([
      { source: 'anon-web-1', target: '/data', readOnly: false },
      { source: 'anon-web-2', target: '/more', readOnly: false },
    ]);
    expect(r.ok && Object.keys(r.stack.volumes)).toEqual(['anon-web-1', 'anon-web-2']);
    expect(r.warnings[0]).toMatchObject({
      code: 'ignored',
      line: 4,
      message:
        'services.web.volumes[0]: the anonymous volume at "/data" becomes the named volume "anon-web-1", kept across deployments',
    });
  });

  it('turns tmpfs volumes into tmpfs mounts', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    volumes: [{type: tmpfs, target: /scratch, tmpfs: {size: 104857600}}]',
    ]);
    expect(r.ok && r.stack.services[0]?.tmpfs).toEqual([{ target: '/scratch', sizeMiB: 100 }]);
  });

  it('refuses other mount types, subpaths, malformed entries and mounts over /proc', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    volumes:',
      '      - {type: npipe, source: x, target: /x}',
      '      - {type: volume, source: d, target: /d, volume: {subpath: sub}}',
      '      - "a:b:c:d"',
      '      - "d:/proc/x"',
      '      - "d:/data:rx"',
      'volumes: {d: {}}',
    ]);
    expect(issues(r)).toEqual([
      ['unsupported', 'services.web.volumes[0].type', 5],
      ['unsupported', 'services.web.volumes[1].volume.subpath', 6],
      ['type', 'services.web.volumes[2]', 7],
      ['type', 'services.web.volumes[3]', 8],
      ['type', 'services.web.volumes[4]', 9],
    ]);
  });

  it('ignores driver settings and refuses external volumes', () => {
    const r = compile([
      'services:',
      '  web:',
      '    image: nginx',
      '    volumes: [a:/a, b:/b]',
      'volumes:',
      '  a: {driver: local, driver_opts: {type: none, o: bind, device: /srv}}',
      '  b: {external: true}',
    ]);
    expect(issues(r)).toEqual([['unsupported', 'volumes.b.external', 7]]);
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ['ignored', 'volumes.a.driver'],
      ['ignored', 'volumes.a.driver_opts'],
    ]);
  });
});

describe('secrets and configs', () => {
  const file = [
    'services:',
    '  api:',
    '    image: api',
    '    secrets:',
    '      - db_password',
    '      - {source: api_key, target: key.txt}',
    '      - {source: tls, target: /etc/tls/key.pem, mode: 0400}',
    '    configs:',
    '      - nginx_conf',
    '      - {source: app_conf, target: /etc/app.yml}',
    'secrets:',
    '  db_password: {environment: DB_PASSWORD}',
    '  api_key: {external: true}',
    '  tls: {external: true, name: prod_tls}',
    'configs:',
    '  nginx_conf: {content: "worker_processes 1;"}',
    '  app_conf: {environment: APP_CONF, labels: {a: b}}',
  ];

  it('mount each at its file and say where the values come from', () => {
    const r = compile(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stack.services[0]).toMatchObject({
      secrets: { db_password: '/run/secrets/db_password', api_key: '/run/secrets/key.txt', tls: '/etc/tls/key.pem' },
      configs: { nginx_conf: '/nginx_conf', app_conf: '/etc/app.yml' },
    });
    expect(r.secrets).toEqual({
      db_password: { kind: 'variable', name: 'DB_PASSWORD' },
      api_key: { kind: 'variable', name: 'api_key' },
      tls: { kind: 'variable', name: 'prod_tls' },
    });
    expect(r.configs).toEqual({
      nginx_conf: { kind: 'content', value: 'worker_processes 1;' },
      app_conf: { kind: 'variable', name: 'APP_CONF' },
    });
    expect(r.stack.configs).toEqual({ nginx_conf: { labels: {} }, app_conf: { labels: { a: 'b' } } });
    expect(r.warnings.map((w) => w.path)).toEqual(['services.api.secrets[2].mode']);
  });

  it('refuse files, undeclared names and declarations without a source', () => {
    const r = compile([
      'services:',
      '  api:',
      '    image: api',
      '    secrets: [from_file, nope, bare]',
      '    configs: [cfg]',
      'secrets:',
      '  from_file: {file: ./secret.txt}',
      '  bare: {labels: {a: b}}',
      'configs:',
      '  cfg: {file: ./app.conf}',
    ]);
    expect(issues(r)).toEqual([
      ['reference', 'services.api.secrets[1]', 4],
      ['unsupported', 'secrets.from_file.file', 7],
      ['type', 'secrets.bare', 8],
      ['unsupported', 'configs.cfg.file', 10],
    ]);
    if (!r.ok) expect(r.errors.find((e) => e.path === 'secrets.from_file.file')?.message).toContain('files are not uploaded');
  });
});

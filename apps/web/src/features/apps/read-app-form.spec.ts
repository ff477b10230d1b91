import { describe, expect, it } from 'vitest';
import {
  duplicateKeys,
  parseArgv,
  readCreateApp,
  readCreateComposeApp,
  readCreateSourceApp,
  type VariableRow,
} from './read-app-form';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

const row = (id: number, key: string, value: string, secret = false): VariableRow => ({ id, key, value, secret });

describe('parseArgv', () => {
  it('takes one argument per line, as written, and skips empty lines', () => {
    expect(parseArgv('node\r\nserver.js\n\n--title=a b "c"\n')).toEqual(['node', 'server.js', '--title=a b "c"']);
    expect(parseArgv('')).toEqual([]);
  });

  it('never splits a line on spaces: a shell string stays one argument', () => {
    expect(parseArgv('sh -c "rm -rf /"')).toEqual(['sh -c "rm -rf /"']);
  });
});

describe('duplicateKeys', () => {
  it('names keys given twice, ignoring empty rows', () => {
    expect([...duplicateKeys([row(1, 'A', '1'), row(2, ' A', '2', true), row(3, '', ''), row(4, '', '')])]).toEqual(['A']);
  });
});

describe('readCreateApp', () => {
  it('reads the fields, splits variables from secrets and leaves empty numbers to the defaults', () => {
    const body = readCreateApp(
      form({
        name: ' web ',
        image: 'nginx:1.27',
        port: '8080',
        replicas: '2',
        cpuMillis: '',
        memoryMiB: '256',
        command: 'httpd\n-f\n',
        healthcheck: 'http',
        healthPath: '/healthz',
        cluster: '',
        deploy: 'on',
      }),
      [row(1, 'MODE', 'prod'), row(2, 'TOKEN', 's3cret', true), row(3, '', 'ignored')],
    );
    expect(body).toEqual({
      name: 'web',
      image: 'nginx:1.27',
      port: 8080,
      replicas: 2,
      cpuMillis: undefined,
      memoryMiB: 256,
      command: ['httpd', '-f'],
      healthcheck: { type: 'http', path: '/healthz' },
      env: { MODE: 'prod' },
      secrets: { TOKEN: 's3cret' },
      cluster: undefined,
      deploy: true,
    });
  });

  it('sends no command or health check when none is given, and a command health check as argv', () => {
    const plain = readCreateApp(form({ name: 'a', image: 'b', healthcheck: 'none' }), []);
    expect(plain.command).toBeUndefined();
    expect(plain.healthcheck).toBeUndefined();
    expect(plain.deploy).toBe(false);
    const probe = readCreateApp(
      form({ name: 'a', image: 'b', healthcheck: 'command', healthCommand: 'wget\n-q\n-O-\nhttp://localhost:8080/' }),
      [],
    );
    expect(probe.healthcheck).toEqual({ type: 'command', command: ['wget', '-q', '-O-', 'http://localhost:8080/'] });
  });
});

describe('readCreateComposeApp', () => {
  it('sends the compose file as written with the name, cluster and variables, and no image settings', () => {
    const yaml = 'services:\n  web:\n    image: nginx # the front\n';
    const body = readCreateComposeApp(
      form({ name: ' shop ', image: 'ignored', port: '80', cluster: 'c1', deploy: 'on' }),
      [row(1, 'MODE', 'prod'), row(2, 'TOKEN', 's3cret', true)],
      yaml,
    );
    expect(body).toEqual({
      name: 'shop',
      compose: yaml,
      env: { MODE: 'prod' },
      secrets: { TOKEN: 's3cret' },
      cluster: 'c1',
      deploy: true,
    });
  });
});

describe('readCreateSourceApp', () => {
  const source = { repository: 'https://git.example.com/a/b.git', auth: { kind: 'none' as const } };

  it('sends the source with the port, resources, cluster and variables, and builds at once', () => {
    const body = readCreateSourceApp(
      form({ name: 'api', port: '8080', replicas: '2', cpuMillis: '', memoryMiB: '256', deploy: 'on' }),
      [row(1, 'MODE', 'prod')],
      source,
    );
    expect(body).toEqual({
      name: 'api',
      source,
      port: 8080,
      replicas: 2,
      cpuMillis: undefined,
      memoryMiB: 256,
      env: { MODE: 'prod' },
      secrets: {},
      cluster: undefined,
      deploy: true,
    });
  });

  it('builds nothing yet with a deploy key: the repository needs its public half first', () => {
    const body = readCreateSourceApp(form({ name: 'api', deploy: 'on' }), [], { ...source, auth: { kind: 'ssh' } });
    expect(body.deploy).toBe(false);
  });
});

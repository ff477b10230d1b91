import { describe, expect, it } from 'vitest';
import { type AppSettings, readAppSettings } from './read-app-settings';

const imageApp: AppSettings = {
  kind: 'image',
  displayName: 'Shop',
  image: 'docker.io/library/nginx:1.27',
  port: 8080,
  cpuMillis: 250,
  memoryMiB: 128,
  command: null,
  healthcheck: { type: 'http', path: '/health', intervalSeconds: 30 },
};

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const unchanged = {
  displayName: 'Shop',
  image: 'docker.io/library/nginx:1.27',
  port: '8080',
  cpuMillis: '250',
  memoryMiB: '128',
  command: '',
  healthcheck: 'http',
  healthPath: '/health',
};

describe('readAppSettings', () => {
  it('sends nothing when nothing changed (the health check keeps its interval)', () => {
    expect(readAppSettings(form(unchanged), imageApp)).toBeUndefined();
  });

  it('sends only what changed: an empty port and command clear them, a new command is one argument a line', () => {
    const body = readAppSettings(
      form({ ...unchanged, image: 'nginx:1.28', port: '', memoryMiB: '256', command: 'node\nserver.js --port=8080\n' }),
      imageApp,
    );
    expect(body).toEqual({ image: 'nginx:1.28', port: null, memoryMiB: 256, command: ['node', 'server.js --port=8080'] });
  });

  it('turns the health check off, or to a command with the default interval', () => {
    expect(readAppSettings(form({ ...unchanged, healthcheck: 'none' }), imageApp)).toEqual({ healthcheck: null });
    expect(readAppSettings(form({ ...unchanged, healthcheck: 'command', healthCommand: 'true' }), imageApp)).toEqual({
      healthcheck: { type: 'command', command: ['true'] },
    });
  });

  it('sends no image for an app built from source, and only the display name of a compose app', () => {
    const source = { ...imageApp, kind: 'source' as const, image: null };
    expect(readAppSettings(form({ ...unchanged, image: 'evil:1' }), source)).toBeUndefined();
    const compose = { ...imageApp, kind: 'compose' as const, image: null };
    expect(readAppSettings(form({ displayName: 'Shop 2', port: '1' }), compose)).toEqual({ displayName: 'Shop 2' });
  });
});

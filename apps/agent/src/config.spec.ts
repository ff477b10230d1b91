import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('loadConfig', () => {
  it('applies the defaults', () => {
    expect(loadConfig({ WHARF_API_URL: 'https://wharf.example.com/' })).toMatchObject({
      apiUrl: 'https://wharf.example.com',
      statePath: '/var/lib/wharf-agent/state.json',
      dockerSocket: '/var/run/docker.sock',
      caddyAdminUrl: 'http://127.0.0.1:2019',
      proxyListen: ':8088',
      heartbeatMs: 5000,
      statsIntervalMs: 15_000,
      rotate: false,
      hostAgent: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      WHARF_API_URL: 'http://127.0.0.1:4000',
      WHARF_JOIN_TOKEN: 'wharfj_abc',
      WHARF_AGENT_STATE: '/tmp/s.json',
      WHARF_AGENT_NAME: 'edge-1',
      DOCKER_SOCK: '/run/docker.sock',
      CADDY_ADMIN_URL: 'off',
      WHARF_PROXY_LISTEN: '127.0.0.1:9000',
      WHARF_HEARTBEAT_MS: '2000',
      WHARF_STATS_MS: '0',
      WHARF_AGENT_ROTATE: '1',
      WHARF_AGENT_HOST: '1',
      WHARF_AGENT_ADDR: '10.213.0.5',
    });
    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:4000',
      joinToken: 'wharfj_abc',
      statePath: '/tmp/s.json',
      name: 'edge-1',
      dockerSocket: '/run/docker.sock',
      proxyListen: '127.0.0.1:9000',
      heartbeatMs: 2000,
      statsIntervalMs: 0,
      rotate: true,
      hostAgent: true,
      advertiseAddr: '10.213.0.5',
    });
  });

  it('names every bad variable', () => {
    const bad = () =>
      loadConfig({
        WHARF_API_URL: 'ftp://x',
        WHARF_HEARTBEAT_MS: 'soon',
        WHARF_PROXY_LISTEN: 'everywhere',
        WHARF_AGENT_ADDR: '10.0.0.1; id',
        WHARF_STATS_MS: '50',
      });
    expect(bad).toThrow(ConfigError);
    for (const name of ['WHARF_API_URL', 'WHARF_HEARTBEAT_MS', 'WHARF_PROXY_LISTEN', 'WHARF_AGENT_ADDR', 'WHARF_STATS_MS'])
      expect(bad).toThrow(name);
    expect(() => loadConfig({})).toThrow(/WHARF_API_URL/);
  });
});

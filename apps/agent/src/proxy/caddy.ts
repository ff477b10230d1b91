import type { DockerRepository } from '../docker/repository.js';
import { errorMessage, ProxyError } from '../errors.js';
import { canonicalJson, clusterFilters } from '../executor/service-state.js';
import type { Logger } from '../logger.js';
import { adminListenOf, buildCaddyConfig, type ProxyRoute, proxyRoutes } from './caddy-config.js';
import type { UpstreamDns } from './upstream-dns.js';

export { adminListenOf, buildCaddyConfig, type CaddyConfigInput, type ProxyRoute, proxyRoutes } from './caddy-config.js';

/*
 * Keeps the cluster's edge proxy (Caddy) in step with the engine, entirely through Caddy's admin API: the routes are
 * rebuilt on container/service events (debounced) and every few seconds. Upstreams go to the agent's DNS
 * (UpstreamDns), which Caddy reads without a reload; the config is `POST /load`ed only when the routes themselves
 * change (an app added, removed, started from or stopped to nothing), when Caddy no longer has it (a restart), or —
 * to refresh the fallback upstreams Caddy uses while the agent is away — once upstreams have been quiet for a while.
 * A reload of Caddy 2.6 resets connections that arrive during it, so none happens in the middle of a rollout.
 */

/** Upstreams unchanged this long: the config's fallback upstreams are brought up to date (one reload). */
const QUIET_MS = 15_000;

/** What forces a reload: the hosts, and which of them have anything to route to (none: a static 503). */
const shapeOf = (routes: readonly ProxyRoute[]) => routes.map((r) => `${r.host}${r.upstreams.length > 0 ? '+' : '-'}`).join(' ');
const upstreamsOf = (routes: readonly ProxyRoute[]) => routes.map((r) => `${r.host}=${r.upstreams.join(',')}`).join(' ');

export interface CaddyProxyOptions {
  docker: DockerRepository;
  clusterId: string;
  /** Caddy's admin API, e.g. `http://127.0.0.1:2019`. */
  adminUrl: string;
  /** Where the edge server listens, e.g. `:8088`. */
  listen: string;
  log: Logger;
  resyncMs?: number;
  debounceMs?: number;
  /** The agent's upstream DNS; without it, every upstream change reloads Caddy. */
  dns?: UpstreamDns;
}

export class CaddyProxy {
  private readonly adminUrl: string;
  private loaded: string | undefined;
  /** Configurations loaded so far (each one a reload of Caddy's servers). */
  loads = 0;
  /** The routes of the loaded config (their upstreams are Caddy's fallback), and when upstreams last changed. */
  private loadedRoutes: ProxyRoute[] = [];
  private upstreams = '';
  private changedAt = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private debounce: NodeJS.Timeout | undefined;
  private periodic: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: CaddyProxyOptions) {
    this.adminUrl = options.adminUrl.replace(/\/+$/, '');
  }

  /** Starts the periodic resync (and a first one now). */
  start(): void {
    this.poke(0);
    const tick = () => {
      this.periodic = setTimeout(() => {
        void this.resync(true).finally(() => {
          if (!this.stopped) tick();
        });
      }, this.options.resyncMs ?? 5000);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearTimeout(this.periodic);
    await this.running;
  }

  /** Something changed on the engine: resync soon (events within the debounce window share one resync). */
  poke(delayMs = this.options.debounceMs ?? 25): void {
    if (this.stopped || this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.resync(false);
    }, delayMs);
  }

  /** Resyncs now (serialised: a call during a resync runs once more after it). Never rejects. */
  async resync(verify: boolean): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.sync(verify);
        } catch (err) {
          this.options.log.warn({ err: errorMessage(err) }, 'edge proxy sync failed');
        }
      } while (this.again && !this.stopped);
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Builds the config from the engine and loads it when it changed; returns whether it loaded. */
  async sync(verify = false): Promise<boolean> {
    const routes = await this.routes();
    const dns = this.options.dns;
    dns?.set(routes);
    const upstreams = upstreamsOf(routes);
    if (upstreams !== this.upstreams) {
      this.upstreams = upstreams;
      this.changedAt = Date.now();
    }
    if (verify && this.loaded !== undefined && (await this.current()) !== this.loaded) {
      this.options.log.info('the edge proxy lost its configuration; loading it again');
      this.loaded = undefined;
    }
    const due =
      this.loaded === undefined ||
      !dns ||
      shapeOf(routes) !== shapeOf(this.loadedRoutes) ||
      (upstreams !== upstreamsOf(this.loadedRoutes) && Date.now() - this.changedAt >= QUIET_MS);
    if (!due) return false;
    const config = buildCaddyConfig({
      adminListen: adminListenOf(this.adminUrl),
      listen: this.options.listen,
      routes,
      ...(dns ? { upstreamDns: dns.address } : {}),
    });
    const wanted = canonicalJson(config);
    if (wanted === this.loaded) return false;
    await this.load(config);
    this.loads++;
    this.loaded = wanted;
    this.loadedRoutes = routes;
    this.options.log.info(
      { routes: routes.map((r) => ({ host: r.host, upstreams: r.upstreams.length })) },
      'edge proxy configuration loaded',
    );
    return true;
  }

  /** The routes of what the Swarm runs. A host that is not (or no longer) a manager cannot see the Swarm's services:
   * its edge routes nothing rather than keep routes that may be stale. */
  private async routes(): Promise<ProxyRoute[]> {
    const { docker, clusterId } = this.options;
    try {
      const services = await docker.services(clusterFilters(clusterId));
      const [tasks, nodes] = await Promise.all([docker.tasks({ service: services.map((s) => s.ID) }), docker.nodes()]);
      return proxyRoutes(clusterId, services, tasks, nodes);
    } catch (err) {
      if (!(await docker.engine()).isManager) return [];
      throw err;
    }
  }

  private async load(config: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.adminUrl}/load`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(15_000),
    }).catch((err: unknown) => {
      throw new ProxyError(`cannot reach Caddy's admin API at ${this.adminUrl}: ${errorMessage(err)}`);
    });
    if (!res.ok) throw new ProxyError(`Caddy refused the configuration (${res.status}): ${(await res.text()).slice(0, 500)}`);
  }

  /** Caddy's current config, canonical (undefined when it cannot be read). */
  private async current(): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.adminUrl}/config/`, { signal: AbortSignal.timeout(5000) });
      return res.ok ? canonicalJson(await res.json()) : undefined;
    } catch (err) {
      this.options.log.warn({ err: errorMessage(err) }, "cannot read Caddy's configuration");
      return undefined;
    }
  }
}

import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamDns, upstreamName } from './upstream-dns.js';

let dns: UpstreamDns;
let resolver: Resolver;

beforeAll(async () => {
  dns = new UpstreamDns();
  const address = await dns.listen();
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([address]);
});
afterAll(() => dns.close());

describe('UpstreamDns', () => {
  it("answers a route's upstreams as SRV records whose targets resolve to the node addresses", async () => {
    dns.set([{ host: 'web.shop.acme.wharf.localhost', upstreams: ['127.0.0.1:30001', '10.0.0.7:30002'] }]);
    const srv = await resolver.resolveSrv(`_http._tcp.${upstreamName('web.shop.acme.wharf.localhost')}`);
    expect(srv.map((r) => `${r.name}:${r.port}`).sort()).toEqual(['n-10-0-0-7.node.wharf:30002', 'n-127-0-0-1.node.wharf:30001']);
    expect(await resolver.resolve4('n-10-0-0-7.node.wharf')).toEqual(['10.0.0.7']);
  });

  it('changes answers at once when the upstreams change, and a route with none has no records', async () => {
    const host = 'api.shop.acme.wharf.localhost';
    dns.set([{ host, upstreams: ['127.0.0.1:30003'] }]);
    expect((await resolver.resolveSrv(`_http._tcp.${upstreamName(host)}`)).map((r) => r.port)).toEqual([30003]);
    dns.set([{ host, upstreams: [] }]);
    await expect(resolver.resolveSrv(`_http._tcp.${upstreamName(host)}`)).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('knows nothing else, and ignores what is not a query', async () => {
    await expect(resolver.resolveSrv('_http._tcp.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('n-999-0-0-1.node.wharf')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(dns.answer(Buffer.from([1, 2, 3]))).toBeUndefined();
    expect(dns.answer(Buffer.alloc(12))).toBeUndefined();
    const hostile = Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([200, 1, 2])]);
    expect(dns.answer(hostile)).toBeUndefined();
  });

  it('names routes by a hash of their host: a DNS label whatever the host', () => {
    expect(upstreamName('a'.repeat(200))).toMatch(/^[0-9a-f]{20}\.upstreams\.wharf$/);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../../apps/api/src/app.js';
import { testConfig } from './config.js';
import { createTestDatabase } from './db.js';
/** `/a/{b}` with `{ b: 'x' }` → `/a/x` (values URL-encoded, so hostile ones stay inside their segment). */
export function pathOf(route, params = {}) {
    return route.path.replace(/\{(\w+)\}/g, (_, name) => {
        const value = params[name];
        if (value === undefined)
            throw new Error(`${route.id}: missing param ${name}`);
        return encodeURIComponent(value);
    });
}
/** The real API in-process (Fastify inject), on its own fresh database and the real Redis. */
export async function startTestApp(overrides = {}) {
    const db = await createTestDatabase();
    const app = await createApp(testConfig(db.appUrl, overrides));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const owner = new pg.Pool({ connectionString: db.ownerUrl, max: 2 });
    return {
        app,
        db,
        owner,
        async call(route, options = {}) {
            const query = Object.fromEntries(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
            const hasBody = options.payload !== undefined || options.body !== undefined;
            const res = await app.inject({
                method: route.method,
                url: pathOf(route, options.params),
                query,
                ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
                headers: {
                    ...(hasBody ? { 'content-type': 'application/json' } : {}),
                    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
                    ...options.headers,
                },
                ...(hasBody ? { payload: options.payload ?? JSON.stringify(options.body) } : {}),
            });
            const type = String(res.headers['content-type'] ?? '');
            const body = type.includes('json') && res.body ? JSON.parse(res.body) : res.body;
            return { status: res.statusCode, body, headers: res.headers };
        },
        async close() {
            await app.close();
            await owner.end();
            await db.drop();
        },
    };
}
export function uniqueEmail(tag = 'user') {
    return `${tag}-${randomBytes(5).toString('hex')}@example.test`;
}
export const PASSWORD = 'correct horse battery staple';
/** Factory: a new account with its personal tenant. */
export async function signup(t, name = 'Test User', email = uniqueEmail()) {
    const { authRoutes } = await import('@wharf/contracts');
    const res = await t.call(authRoutes.signup, { body: { email, password: PASSWORD, name } });
    if (res.status !== 201)
        throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...res.body, email, password: PASSWORD };
}
//# sourceMappingURL=app.js.map
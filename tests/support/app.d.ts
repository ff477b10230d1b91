import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteContract, SignupResult } from '@wharf/contracts';
import pg from 'pg';
import type { Config } from '../../apps/api/src/config.js';
import { type TestDatabase } from './db.js';
export interface CallOptions {
    params?: Record<string, string>;
    query?: Record<string, string | number>;
    body?: unknown;
    /** Raw payload instead of JSON-encoding `body`. */
    payload?: string | Buffer;
    token?: string;
    headers?: Record<string, string>;
    remoteAddress?: string;
}
export interface CallResult<T = unknown> {
    status: number;
    body: T;
    headers: Record<string, string | string[] | number | undefined>;
}
/** `/a/{b}` with `{ b: 'x' }` → `/a/x` (values URL-encoded, so hostile ones stay inside their segment). */
export declare function pathOf(route: RouteContract, params?: Record<string, string>): string;
export interface TestApp {
    app: NestFastifyApplication;
    db: TestDatabase;
    /** A pool as the owner role, for assertions that must see every row (bypasses RLS). */
    owner: pg.Pool;
    call<T = any>(route: RouteContract, options?: CallOptions): Promise<CallResult<T>>;
    close(): Promise<void>;
}
/** The real API in-process (Fastify inject), on its own fresh database and the real Redis. */
export declare function startTestApp(overrides?: Partial<Record<keyof Config, string>>): Promise<TestApp>;
export declare function uniqueEmail(tag?: string): string;
export declare const PASSWORD = "correct horse battery staple";
export type Account = SignupResult & {
    email: string;
    password: string;
};
/** Factory: a new account with its personal tenant. */
export declare function signup(t: TestApp, name?: string, email?: string): Promise<Account>;
//# sourceMappingURL=app.d.ts.map
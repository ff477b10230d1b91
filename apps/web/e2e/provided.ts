/** What the browser project's global setup hands to the tests (vitest `provide` / `inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The dashboard, e.g. `http://127.0.0.1:41234`. */
    webUrl: string;
    /** The API the dashboard proxies `/api/*` to. */
    apiUrl: string;
    /** The test database as its owner: for arranging what no API offers (making a platform admin). */
    ownerDatabaseUrl: string;
    /** The key prefix of the API's job queues (BullMQ): for putting jobs where the admin's queues page sees them. */
    queuePrefix: string;
    /** The cluster's edge proxy: apps answer at `http://<service>.<app>.<tenant>.<appsDomain>:<proxyPort>`. */
    proxyPort: number;
    /** The cluster's apps domain (`wharf.localhost`: Chromium resolves every `*.localhost` to the loopback). */
    appsDomain: string;
    /** The one token the fake GitHub, GitLab and Gitee (the API's hosting URLs) accept: for git connections. */
    gitHostingToken: string;
    /** The API's AWS STS (tests/support/fake-sts.ts): roles are made in it with `createRole`. */
    stsUrl: string;
    /** An AWS access key id the STS stand-in refuses (InvalidClientTokenId). */
    refusedAwsKeyId: string;
  }
}

export {};

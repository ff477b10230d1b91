import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Email, Password } from '@wharf/contracts';
import { hashPassword, type Keyring, randomSecret } from '@wharf/crypto';
import { type Database, UsersRepository } from '@wharf/db';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { rotateMasterKey } from './clouds/rotate-master-key.js';
import { ClustersService } from './clusters/clusters.service.js';
import { ConfigError, loadConfig } from './config.js';
import { DATABASE, KEYRING } from './core/tokens.js';

/**
 * `node apps/api/dist/cli.js create-admin`: makes sure a platform admin exists. ADMIN_EMAIL (default
 * admin@wharf.local), ADMIN_NAME and ADMIN_PASSWORD come from the environment; without ADMIN_PASSWORD a new
 * admin gets a generated password, printed once. Running it again keeps the existing password unless
 * ADMIN_PASSWORD is set.
 */
async function createAdmin(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const email = Email.parse(process.env.ADMIN_EMAIL ?? 'admin@wharf.local');
  const given = process.env.ADMIN_PASSWORD ? Password.parse(process.env.ADMIN_PASSWORD) : undefined;
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    const db = app.get<Database>(DATABASE);
    const users = new UsersRepository();
    const existing = await db.unscoped((trx) => users.findByEmail(trx, email));
    if (existing) {
      const passwordHash = given ? await hashPassword(given) : undefined;
      await db.unscoped((trx) =>
        users.update(trx, existing.id, { isPlatformAdmin: true, ...(passwordHash ? { passwordHash } : {}) }),
      );
      console.log(`admin: ${email} (${given ? 'password reset from ADMIN_PASSWORD' : 'exists; password unchanged'})`);
      return;
    }
    const password = given ?? randomSecret(15);
    await app
      .get(AuthService)
      .createAccount({ email, name: process.env.ADMIN_NAME ?? 'Platform Admin', password, isPlatformAdmin: true });
    console.log(`admin: ${email}`);
    if (!given) console.log(`password: ${password}   (generated; shown once — set ADMIN_PASSWORD to choose one)`);
  } finally {
    await app.close();
  }
}

/**
 * `node apps/api/dist/cli.js register-cluster <name> <domain> <proxy-port>`: makes sure the shared cluster exists
 * and prints `cluster=<id>` and a fresh one-time `join-token=<token>` for its agent.
 */
async function registerCluster(args: string[]): Promise<void> {
  const [name, domain, port] = args;
  if (
    !name ||
    !/^[a-z0-9-]{1,40}$/.test(name) ||
    !domain ||
    !/^[a-z0-9.-]{1,200}$/.test(domain) ||
    !/^\d{1,5}$/.test(port ?? '')
  ) {
    throw new ConfigError('usage: register-cluster <name> <domain> <proxy-port>');
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    const clusters = app.get(ClustersService);
    const cluster = await clusters.ensureShared({ name, domain, proxyPort: Number(port) });
    console.log(`cluster=${cluster.id}`);
    console.log(`join-token=${await clusters.issueJoinToken(cluster.id)}`);
  } finally {
    await app.close();
  }
}

/**
 * `node apps/api/dist/cli.js rotate-master-key`: after MASTER_KEY was replaced (the old key moved to
 * MASTER_KEYS_PREVIOUS), re-wraps every envelope-sealed secret (cloud account credentials) under the new MASTER_KEY.
 * Safe to run again; when it reports nothing re-wrapped, the previous keys can be removed.
 */
async function rotate(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
  try {
    const report = await rotateMasterKey(app.get<Database>(DATABASE), app.get<Keyring>(KEYRING));
    console.log(`re-wrapped=${report.rewrapped} already-current=${report.current} changed-meanwhile=${report.skipped}`);
  } finally {
    await app.close();
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'create-admin') await createAdmin();
  else if (command === 'register-cluster') await registerCluster(args);
  else if (command === 'rotate-master-key') await rotate();
  else {
    console.error('usage: wharf-api create-admin | register-cluster <name> <domain> <proxy-port> | rotate-master-key');
    process.exit(2);
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}

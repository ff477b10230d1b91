import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Email, Password } from '@wharf/contracts';
import { hashPassword, randomSecret } from '@wharf/crypto';
import { type Database, UsersRepository } from '@wharf/db';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { ConfigError, loadConfig } from './config.js';
import { DATABASE } from './core/tokens.js';

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

const [command] = process.argv.slice(2);
try {
  if (command === 'create-admin') await createAdmin();
  else {
    console.error('usage: wharf-api create-admin');
    process.exit(2);
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}

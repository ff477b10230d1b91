import type { Tx } from '../database.js';
import type { UserId, UserRow } from '../schema.js';

/** Users are global (not tenant-owned): a person can belong to many tenants. */
export class UsersRepository {
  async create(
    trx: Tx,
    user: { id?: UserId; email: string; name: string; passwordHash: string; isPlatformAdmin?: boolean },
  ): Promise<UserRow> {
    return trx.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  async findByEmail(trx: Tx, email: string): Promise<UserRow | undefined> {
    return trx.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }

  async findById(trx: Tx, id: UserId): Promise<UserRow | undefined> {
    return trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async update(
    trx: Tx,
    id: UserId,
    patch: { name?: string; passwordHash?: string; isPlatformAdmin?: boolean },
  ): Promise<UserRow> {
    return trx
      .updateTable('users')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}

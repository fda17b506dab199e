import type { Executor } from '../../db/database.ts';

export interface User { id: string; email: string; name: string }

export async function findUserById(db: Executor, id: string): Promise<User | undefined> {
  return db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').select(['id', 'email', 'name', 'password_hash']).where('email', '=', email).executeTakeFirst();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

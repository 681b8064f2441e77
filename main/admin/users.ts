// HR users: the people who sign in to this instance, and their roles.
import { randomUUID, randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { Role, SessionUser } from '../api/contract.ts';

export interface HrUser extends SessionUser {
  active: boolean;
  lastSignInAt: string | null;
}

interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: number;
  must_change_password: number;
  last_sign_in_at: string | null;
}

function toUser(row: UserRow): HrUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
    lastSignInAt: row.last_sign_in_at,
  };
}

export class UsersRepository {
  private readonly knex: Knex;

  constructor(knex: Knex) {
    this.knex = knex;
  }

  async list(): Promise<HrUser[]> {
    return ((await this.knex<UserRow>('hr_users').orderBy('name')) as UserRow[]).map(toUser);
  }

  async find(id: string): Promise<HrUser | null> {
    const row = (await this.knex<UserRow>('hr_users').where({ id }).first()) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async get(id: string): Promise<HrUser> {
    const user = await this.find(id);
    if (!user) throw new AppError('not-found', 'There is no HR user with that id.');
    return user;
  }

  async findByEmail(email: string): Promise<HrUser | null> {
    const row = (await this.knex<UserRow>('hr_users').where({ email: email.trim().toLowerCase() }).first()) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async insert(user: { name: string; email: string; role: Role; mustChangePassword: boolean }, now: string, db: Knex = this.knex): Promise<string> {
    const id = randomUUID();
    await db('hr_users').insert({
      id,
      name: user.name,
      email: user.email.trim().toLowerCase(),
      role: user.role,
      active: 1,
      must_change_password: user.mustChangePassword ? 1 : 0,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  async update(id: string, changes: Partial<{ role: Role; active: boolean; mustChangePassword: boolean; lastSignInAt: string }>, now: string): Promise<void> {
    const row: Record<string, unknown> = { updated_at: now };
    if (changes.role !== undefined) row.role = changes.role;
    if (changes.active !== undefined) row.active = changes.active ? 1 : 0;
    if (changes.mustChangePassword !== undefined) row.must_change_password = changes.mustChangePassword ? 1 : 0;
    if (changes.lastSignInAt !== undefined) row.last_sign_in_at = changes.lastSignInAt;
    const count = await this.knex('hr_users').where({ id }).update(row);
    if (count === 0) throw new AppError('not-found', 'There is no HR user with that id.');
  }

  async countActiveAdministrators(): Promise<number> {
    const row = (await this.knex('hr_users').where({ role: 'administrator', active: 1 }).count({ n: '*' }).first()) as { n: number };
    return Number(row.n);
  }
}

// Words for temporary passwords: four of them make a password that is easy to read out and type.
const WORDS = (
  'apple bridge candle dolphin ember forest garden harbour island jacket kettle lemon meadow ' +
  'needle orchard pebble quartz river saddle timber umbrella velvet willow yellow zebra anchor ' +
  'basket cedar daisy falcon glacier hazel indigo juniper lantern maple nectar olive parsley ' +
  'quill robin spruce thistle tulip violet walnut acorn beacon cobalt drift'
).split(' ');

/** A temporary password of four random words and a number: it must be changed at first sign-in. */
export function newTemporaryPassword(): string {
  const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]);
  return `${words.join('-')}-${randomInt(10, 100)}`;
}

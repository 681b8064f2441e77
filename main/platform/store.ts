// The encrypted store: SQLite in the SQLCipher 4 format (better-sqlite3-multiple-ciphers), driven
// by knex. The raw 256-bit key is applied before anything else on every connection, then a probe
// fails fast on a wrong key or a damaged file.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import type Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../errors.ts';
import { migrationSource, knownMigrationNames } from '../../migrations/index.ts';

const require = createRequire(import.meta.url);
// knex ships its dialects as CommonJS classes; we extend the better-sqlite3 one to use the
// SQLite3MultipleCiphers build and to key each connection before it is used.
const BetterSqliteClient = require('knex/lib/dialects/better-sqlite3/index.js') as typeof Knex.Client;

type RawDatabase = Database.Database;
type DatabaseConstructor = typeof Database;

export interface StoreOptions {
  filename: string;
  /** 32 random bytes; null opens a plain SQLite file (benchmarks compare the two). */
  key: Buffer | null;
  /** Open an existing file only; never create one. */
  mustExist: boolean;
}

export interface Store {
  readonly knex: Knex;
  readonly filename: string;
  close(): Promise<void>;
}

export const MIGRATIONS_TABLE = 'knex_migrations';

/** Apply the cipher and key, then prove the key by reading the schema. */
export function keyConnection(db: RawDatabase, key: Buffer | null, filename: string): void {
  if (key) {
    if (key.length !== 32) throw new AppError('internal', 'The database key has the wrong length.');
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
  }
  try {
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
  } catch (error) {
    db.close();
    throw new AppError(
      'store-corrupt',
      `The database file ${filename} could not be read. It is damaged, or it is not a Staff Passport database.`,
      { cause: error, detail: String(error) },
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // FULL: a commit is on disk before it returns, so what the app has acknowledged (an event from
  // an authoritative system answered 200, a delivery marked done) survives a power cut too, not
  // just a crash of the process. HR's volumes make the extra sync per commit cheap.
  db.pragma('synchronous = FULL');
}

function makeClient(options: StoreOptions): typeof Knex.Client {
  return class EncryptedSqliteClient extends BetterSqliteClient {
    _driver(): DatabaseConstructor {
      return require('better-sqlite3-multiple-ciphers') as DatabaseConstructor;
    }

    override async acquireRawConnection(): Promise<RawDatabase> {
      const Driver = this.driver as DatabaseConstructor;
      const db = new Driver(options.filename, { fileMustExist: options.mustExist });
      keyConnection(db, options.key, options.filename);
      return db;
    }
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.mustExist && !existsSync(options.filename)) {
    throw new AppError('store-corrupt', `The database file ${options.filename} is missing.`);
  }
  const knex = knexFactory({
    client: makeClient(options),
    connection: { filename: options.filename },
    useNullAsDefault: true,
    // Errors carry the SQL without its values: rows hold names and dates of birth, and errors are logged.
    compileSqlOnError: false,
    // knex would print connection errors to the console; they reach the caller as AppErrors instead.
    log: { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined },
    // One connection: SQLite serialises writers anyway, and one keyed handle is easier to reason about.
    pool: { min: 1, max: 1, idleTimeoutMillis: 2_147_483_647 },
    migrations: { migrationSource, tableName: MIGRATIONS_TABLE },
  });
  try {
    // The first query acquires the connection, which keys and probes it.
    await knex.raw('SELECT 1');
    const pending = await pendingMigrations(knex, options.filename);
    // knex's migrator takes and releases a lock with two writes even when there is nothing to do.
    if (pending > 0) await knex.migrate.latest();
  } catch (error) {
    await knex.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError('store-corrupt', `The database file ${options.filename} could not be opened.`, {
      cause: error,
      detail: String(error),
    });
  }
  return {
    knex,
    filename: options.filename,
    close: () => knex.destroy(),
  };
}

/** How many known migrations are still to run; refuses a database written by a newer app. */
async function pendingMigrations(knex: Knex, filename: string): Promise<number> {
  const known = knownMigrationNames();
  if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return known.length;
  const applied = new Set(((await knex(MIGRATIONS_TABLE).select('name')) as Array<{ name: string }>).map((row) => row.name));
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new AppError(
      'store-too-new',
      `The database file ${filename} was written by a newer version of Staff Passport Desktop. Install the newer version to open it.`,
      { detail: `unknown migrations: ${unknown.join(', ')}` },
    );
  }
  return known.filter((name) => !applied.has(name)).length;
}

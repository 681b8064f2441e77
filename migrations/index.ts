// The ordered list of migrations. Imported statically so the same list works under Node, in the
// compiled Electron build and in tests. Append only: a landed migration is never edited.
import type { Knex } from 'knex';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_staff_passports.ts';
import * as m0003 from './0003_signing_identity.ts';
import * as m0004 from './0004_trusted_issuers.ts';
import * as m0005 from './0005_issued_credentials.ts';
import * as m0006 from './0006_authoritative_systems.ts';
import * as m0007 from './0007_one_passport_per_record.ts';
import * as m0008 from './0008_wallet.ts';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: Migration[] = [
  { name: '0001_foundation', ...m0001 },
  { name: '0002_staff_passports', ...m0002 },
  { name: '0003_signing_identity', ...m0003 },
  { name: '0004_trusted_issuers', ...m0004 },
  { name: '0005_issued_credentials', ...m0005 },
  { name: '0006_authoritative_systems', ...m0006 },
  { name: '0007_one_passport_per_record', ...m0007 },
  { name: '0008_wallet', ...m0008 },
];

export function knownMigrationNames(): string[] {
  return migrations.map((migration) => migration.name);
}

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

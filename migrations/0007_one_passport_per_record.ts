// One staff record in a system is linked to at most one passport at a time: two passports linked
// to the same record would each receive that person's records. (The service refuses it with a
// plain message; this index is the guarantee when two HR users link at the same moment.)
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE UNIQUE INDEX links_one_passport_per_record ON links (connection_id, employee_id) WHERE removed_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX links_one_passport_per_record');
}

// Organisation, HR users, user settings, and the append-only, hash-chained audit log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisation', (table) => {
    table.integer('id').primary(); // always 1: one trust per instance
    table.text('ods_code').notNullable();
    table.text('name').notNullable();
    table.text('created_at').notNullable();
  });

  await knex.schema.createTable('hr_users', (table) => {
    table.text('id').primary();
    table.text('name').notNullable();
    table.text('email').notNullable().unique();
    table.text('role').notNullable(); // 'administrator' | 'hr'
    table.integer('active').notNullable().defaultTo(1);
    table.integer('must_change_password').notNullable().defaultTo(0);
    table.integer('failed_sign_ins').notNullable().defaultTo(0);
    table.text('last_sign_in_at');
    table.text('created_at').notNullable();
    table.text('updated_at').notNullable();
  });

  await knex.schema.createTable('user_settings', (table) => {
    table.text('key').primary();
    table.text('value').notNullable(); // JSON
    table.text('updated_at').notNullable();
    table.text('updated_by');
  });

  await knex.schema.createTable('audit_log', (table) => {
    table.increments('seq');
    table.text('at').notNullable();
    table.text('actor_user_id');
    table.text('operation').notNullable();
    table.text('record_ids').notNullable(); // JSON array of ids, never personal data
    table.text('outcome').notNullable(); // 'ok' | 'refused' | 'invalid' | 'failed'
    table.text('error_code');
    table.text('prev_hash').notNullable();
    table.text('hash').notNullable();
  });
  // The head records the last sequence number and hash, so that deleting the newest rows shows.
  await knex.schema.createTable('audit_head', (table) => {
    table.integer('id').primary();
    table.integer('seq').notNullable();
    table.text('hash').notNullable();
  });
  await knex.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`);
  await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_no_update');
  for (const table of ['audit_head', 'audit_log', 'user_settings', 'hr_users', 'organisation']) {
    await knex.schema.dropTableIfExists(table);
  }
}

// Authoritative systems: the connections to them (each with its own client key pair and event API
// key), links from passports to their records there, decisions made while matching, the inbox of
// event notifications, the records fetched for linked staff, and the outbox of records to deliver.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('connections', (table) => {
    table.text('id').primary();
    table.text('name').notNullable();
    table.text('kind').notNullable(); // 'esr' | 'learning' | 'recruitment' | 'occupational-health' | 'other'
    table.text('base_url').notNullable(); // ends in /dsp-api, no trailing slash
    table.text('organisation').notNullable(); // ODS code
    table.text('token_url').notNullable();
    table.text('client_id').notNullable();
    table.text('operations').notNullable(); // JSON array of enabled DSP operation ids
    // The client key pair for private-key-JWT: public JWK in clear, private key sealed.
    table.text('key_id').notNullable();
    table.text('public_jwk').notNullable();
    table.text('private_key_cipher').notNullable();
    table.binary('private_key_nonce').notNullable();
    table.binary('private_key_ciphertext').notNullable();
    table.binary('private_key_tag').notNullable();
    // The event API key is shown once; only its SHA-256 is kept.
    table.text('events_apikey_hash').notNullable().unique();
    table.text('status').notNullable().defaultTo('unknown'); // 'unknown' | 'pass' | 'warn' | 'fail'
    table.text('status_checked_at');
    table.text('status_detail');
    table.integer('version').notNullable().defaultTo(1);
    table.text('created_at').notNullable();
    table.text('updated_at').notNullable();
    table.text('removed_at'); // a removed connection keeps its history
  });

  await knex.schema.createTable('links', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('connection_id').notNullable().references('id').inTable('connections');
    table.text('employee_id').notNullable(); // the system's own id (ESR: the assignment number)
    table.text('method').notNullable(); // 'assignment-number' | 'search'
    table.text('details').notNullable(); // JSON: the personal details HR confirmed against
    table.text('linked_by').notNullable(); // hr_users.id
    table.text('linked_at').notNullable();
    table.text('removed_by');
    table.text('removed_at');
    table.text('removed_reason');
    table.index(['passport_id'], 'links_by_passport');
    table.index(['connection_id', 'employee_id'], 'links_by_employee');
  });
  // At most one active link per passport and connection.
  await knex.raw('CREATE UNIQUE INDEX links_one_active ON links (passport_id, connection_id) WHERE removed_at IS NULL');

  await knex.schema.createTable('match_decisions', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('connection_id').notNullable().references('id').inTable('connections');
    table.text('decision').notNullable(); // 'linked' | 'none-of-these'
    table.text('employee_id'); // when linked
    table.text('candidates').notNullable(); // JSON: the ranked candidates HR saw (ids, scores, bands)
    table.text('decided_by').notNullable();
    table.text('decided_at').notNullable();
    table.index(['passport_id', 'decided_at'], 'match_decisions_by_passport');
  });

  await knex.schema.createTable('system_events', (table) => {
    table.text('connection_id').notNullable().references('id').inTable('connections');
    table.text('event_id').notNullable();
    table.text('type').notNullable();
    table.text('source').notNullable();
    table.text('subject').notNullable();
    table.text('organisation').notNullable();
    table.text('dataref').notNullable();
    table.text('time').notNullable();
    table.text('received_at').notNullable();
    table.text('passport_id'); // set when the subject is linked
    table.text('state').notNullable(); // 'received' | 'fetched' | 'unlinked' | 'failed'
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('next_attempt_at').notNullable();
    table.text('last_error');
    table.text('handled_at');
    table.primary(['connection_id', 'event_id']);
    table.index(['state', 'next_attempt_at'], 'system_events_due');
  });

  await knex.schema.createTable('system_records', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('connection_id').notNullable().references('id').inTable('connections');
    table.text('employee_id').notNullable();
    table.text('record_type').notNullable();
    table.text('record').notNullable(); // JSON, validated and normalised
    table.text('record_hash').notNullable(); // SHA-256 of the canonical record, to keep each once
    table.text('first_fetched_at').notNullable();
    table.text('last_fetched_at').notNullable();
    table.unique(['passport_id', 'connection_id', 'record_hash'], { indexName: 'system_records_once' });
  });

  await knex.schema.createTable('deliveries', (table) => {
    table.text('id').primary(); // also the idempotency reference in logs
    table.text('connection_id').notNullable().references('id').inTable('connections');
    table.text('passport_id'); // no foreign key: a queued delivery outlives a deleted passport's row
    table.text('employee_id').notNullable();
    table.text('record_type').notNullable();
    table.text('record').notNullable(); // JSON, exactly what is posted
    // 'queued' | 'sending' | 'delivered' | 'duplicate' | 'rejected' | 'failed-will-retry'
    table.text('state').notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('next_attempt_at').notNullable();
    table.text('last_error'); // the system's reason for a rejection, or the last failure
    table.text('created_at').notNullable();
    table.text('created_by'); // hr_users.id, or null for the app itself
    table.text('updated_at').notNullable();
    table.text('delivered_at');
    table.index(['state', 'next_attempt_at'], 'deliveries_due');
    table.index(['passport_id'], 'deliveries_by_passport');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['deliveries', 'system_records', 'system_events', 'match_decisions', 'links', 'connections']) await knex.schema.dropTableIfExists(name);
}

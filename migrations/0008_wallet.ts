// Wallets: credential offers (OID4VCI, pre-authorised code) with the credentials each carries, the
// wallet key each passport collected with, presentation requests (OID4VP) and the credentials
// staff shared in answer, with HR's decision on each.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wallet_offers', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('state').notNullable();
    table.text('state_reason');
    // The unguessable part of the offer's address (credential_offer_uri) and the code it carries.
    table.text('reference').notNullable().unique();
    table.text('pre_authorized_code').notNullable().unique();
    table.text('tx_code');
    table.integer('tx_code_failures').notNullable().defaultTo(0);
    table.text('code_redeemed_at');
    table.text('token_hash').unique();
    table.text('token_expires_at');
    table.text('holder_did');
    table.text('renewed_from');
    table.text('created_by');
    table.text('created_at').notNullable();
    table.text('expires_at').notNullable();
    table.text('changed_at').notNullable();
    table.index(['passport_id', 'created_at']);
  });
  await knex.schema.createTable('wallet_offer_credentials', (table) => {
    table.text('id').primary();
    table.text('offer_id').notNullable().references('id').inTable('wallet_offers').onDelete('CASCADE');
    table.integer('position').notNullable();
    table.text('type_id').notNullable();
    table.text('summary').notNullable();
    table.text('claims').notNullable();
    table.text('provenance').notNullable();
    table.text('source_record_id');
    table.text('issued_credential_id');
    table.text('notification_id');
    table.text('state').notNullable();
    table.unique(['offer_id', 'position']);
    table.index(['notification_id']);
  });
  await knex.schema.createTable('wallet_holders', (table) => {
    table.text('passport_id').primary().references('id').inTable('passports').onDelete('CASCADE');
    table.text('holder_did').notNullable();
    table.text('bound_at').notNullable();
    table.text('offer_id');
  });
  await knex.schema.createTable('presentation_requests', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('state').notNullable();
    table.text('state_reason');
    table.text('nonce').notNullable().unique();
    table.text('response_state').notNullable().unique();
    table.text('client_id').notNullable();
    table.text('type_ids').notNullable();
    table.text('created_by');
    table.text('created_at').notNullable();
    table.text('expires_at').notNullable();
    table.text('changed_at').notNullable();
    table.text('answered_at');
    table.index(['passport_id', 'created_at']);
  });
  await knex.schema.createTable('shared_credentials', (table) => {
    table.text('id').primary();
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('request_id').notNullable().references('id').inTable('presentation_requests').onDelete('CASCADE');
    table.integer('position').notNullable();
    table.text('jwt').notNullable();
    table.text('type_id');
    table.text('display_name').notNullable();
    table.text('issuer_did').notNullable();
    table.text('issuer_ods_code');
    table.text('issuer_name');
    table.text('outcome').notNullable();
    table.text('summary').notNullable();
    table.text('checks').notNullable();
    table.text('claims').notNullable();
    table.text('issued_at');
    table.text('expires_at');
    table.text('received_at').notNullable();
    table.text('decision').notNullable();
    table.text('decided_at');
    table.text('decided_by');
    table.unique(['request_id', 'position']);
    table.index(['passport_id', 'received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shared_credentials');
  await knex.schema.dropTable('presentation_requests');
  await knex.schema.dropTable('wallet_holders');
  await knex.schema.dropTable('wallet_offer_credentials');
  await knex.schema.dropTable('wallet_offers');
}

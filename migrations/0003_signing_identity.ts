// The trust's signing identity: Veramo's key, private-key and DID stores (issuer_*), and the one
// record of which DID is the trust's and which of its keys signs now.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Public key metadata, as Veramo's key manager keeps it. Never holds private material.
  await knex.schema.createTable('issuer_keys', (table) => {
    table.text('kid').primary();
    table.text('kms').notNullable();
    table.text('type').notNullable(); // 'Ed25519' | 'Secp256r1'
    table.text('public_key_hex').notNullable();
    table.text('meta'); // JSON
    table.text('created_at').notNullable();
  });

  // Private keys, sealed with AES-256-GCM under a key derived from the database key (see
  // main/credentials/identity/private-key-cipher.ts): a copy of this table is useless without it.
  await knex.schema.createTable('issuer_private_keys', (table) => {
    table.text('alias').primary();
    table.text('type').notNullable();
    table.text('cipher').notNullable(); // names the sealing scheme and its version
    table.text('nonce').notNullable(); // base64, 12 bytes
    table.text('ciphertext').notNullable(); // base64
    table.text('tag').notNullable(); // base64, 16 bytes
    table.text('created_at').notNullable();
  });

  await knex.schema.createTable('issuer_dids', (table) => {
    table.text('did').primary();
    table.text('provider').notNullable();
    table.text('alias');
    table.text('controller_key_id');
    table.text('services').notNullable(); // JSON array
    table.text('created_at').notNullable();
    table.text('updated_at').notNullable();
    table.index(['alias'], 'issuer_dids_by_alias');
  });

  // A DID's keys in the order they were added (the order its document lists them).
  await knex.schema.createTable('issuer_did_keys', (table) => {
    table.text('did').notNullable().references('did').inTable('issuer_dids').onDelete('CASCADE');
    table.text('kid').notNullable().references('kid').inTable('issuer_keys').onDelete('CASCADE');
    table.integer('position').notNullable();
    table.primary(['did', 'kid']);
    table.index(['kid'], 'issuer_did_keys_by_kid');
  });

  // One row: the trust's own issuer DID. The fixed id makes a second one impossible.
  await knex.schema.createTable('issuer_identity', (table) => {
    table.text('id').primary(); // always 'trust'
    table.text('did').notNullable().unique().references('did').inTable('issuer_dids');
    table.text('host').notNullable();
    table.text('path');
    table.text('current_kid').notNullable().references('kid').inTable('issuer_keys');
    table.text('created_at').notNullable();
    table.text('rotated_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('issuer_identity');
  await knex.schema.dropTable('issuer_did_keys');
  await knex.schema.dropTable('issuer_dids');
  await knex.schema.dropTable('issuer_private_keys');
  await knex.schema.dropTable('issuer_keys');
}

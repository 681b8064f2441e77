// Issued credentials and their status: the Bitstring Status Lists (revocation and suspension, in
// pairs that share index allocation), which index each credential holds, and the record of every
// credential this trust has issued.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per list. Lists come in pairs (one per purpose) that share a generation: a credential
  // holds the same index in both lists of its generation.
  await knex.schema.createTable('status_lists', (table) => {
    table.text('id').primary();
    table.integer('generation').notNullable();
    table.text('purpose').notNullable(); // 'revocation' | 'suspension'
    table.text('url').notNullable().unique();
    table.integer('entries').notNullable(); // at least 131072, a multiple of 8
    table.binary('bits').notNullable(); // entries / 8 bytes, bit 0 the most significant bit of byte 0
    table.integer('allocated').notNullable().defaultTo(0); // indexes handed out in this generation
    table.text('created_at').notNullable();
    table.text('updated_at').notNullable();
    table.unique(['generation', 'purpose'], { indexName: 'status_lists_by_generation' });
  });

  await knex.schema.createTable('issued_credentials', (table) => {
    table.text('id').primary(); // urn:uuid:...
    table.text('type_id').notNullable(); // the catalogue's id, e.g. 'core-skill'
    table.text('vc_type').notNullable();
    // No foreign key: the record of what was issued outlives a deleted passport.
    table.text('passport_id').notNullable();
    table.text('holder_did').notNullable();
    table.text('kid').notNullable(); // the key that signed it
    table.integer('status_generation').notNullable();
    table.integer('status_index').notNullable();
    table.text('issued_at').notNullable();
    table.text('expires_at'); // null when only revocation ends it
    table.text('state').notNullable(); // 'issued' | 'suspended' | 'revoked'
    table.text('state_changed_at');
    table.text('state_reason');
    table.index(['passport_id', 'issued_at'], 'issued_credentials_by_passport');
  });

  // Which index a credential holds: unique per generation, one per credential.
  await knex.schema.createTable('status_list_allocations', (table) => {
    table.integer('generation').notNullable();
    table.integer('status_index').notNullable();
    table.text('credential_id').notNullable().unique().references('id').inTable('issued_credentials');
    table.primary(['generation', 'status_index']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('status_list_allocations');
  await knex.schema.dropTableIfExists('issued_credentials');
  await knex.schema.dropTableIfExists('status_lists');
}

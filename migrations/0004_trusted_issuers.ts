// The trusted-issuer list: NHS organisations whose credentials this trust accepts, with their DIDs
// and DID documents (so that did:web issuers resolve without the network).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('trusted_issuers', (table) => {
    table.text('ods_code').primary();
    table.text('name').notNullable();
    table.integer('is_this_trust').notNullable().defaultTo(0);
    table.text('added_at').notNullable();
    table.text('added_by');
  });
  await knex.schema.createTable('trusted_issuer_dids', (table) => {
    table.text('did').primary();
    table.text('ods_code').notNullable().references('ods_code').inTable('trusted_issuers').onDelete('CASCADE');
    table.text('did_document').notNullable(); // JSON
    table.text('added_at').notNullable();
    table.index(['ods_code'], 'trusted_issuer_dids_by_org');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('trusted_issuer_dids');
  await knex.schema.dropTableIfExists('trusted_issuers');
}

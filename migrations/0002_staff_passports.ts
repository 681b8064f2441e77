// Staff passports: the record of each staff member at this trust, its history, the face-to-face
// identity checks, the credentials a confirmed identity makes due, and the message outbox.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('passports', (table) => {
    table.text('id').primary();
    table.text('list').notNullable(); // 'identity' | 'pending' | 'reviewed'
    table.text('status').notNullable();
    table.text('status_before_disable');
    table.text('source').notNullable(); // 'invited' | 'self-sign-up'
    table.text('first_name').notNullable();
    table.text('last_name').notNullable();
    table.text('date_of_birth').notNullable(); // YYYY-MM-DD
    table.text('email').notNullable().unique();
    table.text('mobile').notNullable().unique(); // E.164
    table.text('staff_group').notNullable();
    table.text('job_role');
    table.text('employment_type').notNullable();
    table.text('employment_status').notNullable();
    table.text('oriel_pin');
    table.text('esr_assignment_number');
    table.text('professional_body');
    table.text('registration_number');
    table.text('decline_reason');
    table.text('decline_detail');
    // Lower-cased, accent-free "first last" for search, and "last first" for ordering.
    table.text('search_name').notNullable();
    table.text('sort_key').notNullable();
    table.text('created_at').notNullable();
    table.text('created_by');
    table.text('updated_at').notNullable();
    table.text('updated_by');
    table.text('updated_by_name');
    table.integer('version').notNullable().defaultTo(1);
    // With the id last, a page of any list is read from the index alone, however deep.
    table.index(['list', 'sort_key', 'id'], 'passports_by_list');
    table.index(['status', 'sort_key', 'id'], 'passports_by_status');
    table.index(['sort_key', 'id'], 'passports_by_name');
    table.index(['registration_number'], 'passports_by_registration');
  });

  await knex.schema.createTable('passport_events', (table) => {
    table.increments('seq');
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('at').notNullable();
    table.text('actor_user_id');
    table.text('actor_name'); // as it was when they acted
    table.text('kind').notNullable();
    table.text('summary').notNullable();
    table.text('detail'); // JSON: e.g. the fields a profile edit changed
    table.index(['passport_id', 'seq'], 'passport_events_by_passport');
  });

  await knex.schema.createTable('identity_checks', (table) => {
    table.increments('id');
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('method').notNullable(); // 'face-to-face'
    table.text('checked_at').notNullable();
    table.text('checked_by').notNullable();
    table.text('checked_by_name').notNullable();
    table.binary('photo').notNullable();
    table.text('photo_media_type').notNullable();
    table.text('first_name').notNullable();
    table.text('middle_names');
    table.text('last_name').notNullable();
    table.text('date_of_birth').notNullable();
    table.text('legal_gender').notNullable();
    table.text('nationality').notNullable();
    table.text('address_line1').notNullable();
    table.text('address_line2');
    table.text('town').notNullable();
    table.text('postcode').notNullable();
    // The document check is for this trust only: it never goes into a credential.
    table.text('document_type').notNullable();
    table.text('document_number').notNullable();
    table.text('document_issuing_country').notNullable();
    table.text('document_expiry_date').notNullable();
    table.text('document_notes');
    table.index(['passport_id'], 'identity_checks_by_passport');
  });

  await knex.schema.createTable('credentials_due', (table) => {
    table.increments('id');
    table.text('passport_id').notNullable().references('id').inTable('passports').onDelete('CASCADE');
    table.text('credential_type').notNullable(); // 'identity' | 'access-key'
    table.text('due_since').notNullable();
    table.text('reason').notNullable();
    table.unique(['passport_id', 'credential_type']);
  });

  await knex.schema.createTable('outbox_messages', (table) => {
    table.text('id').primary();
    table.text('passport_id').references('id').inTable('passports').onDelete('CASCADE');
    table.text('kind').notNullable(); // 'invitation'
    table.text('channel').notNullable(); // 'email' | 'sms'
    table.text('recipient').notNullable();
    table.text('subject');
    table.text('body').notNullable();
    table.text('created_at').notNullable();
    table.text('state').notNullable(); // 'queued' | 'sent' | 'failed'
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('next_attempt_at').notNullable();
    table.text('sent_at');
    table.text('last_error');
    table.index(['state', 'next_attempt_at'], 'outbox_due');
    table.index(['passport_id'], 'outbox_by_passport');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['outbox_messages', 'credentials_due', 'identity_checks', 'passport_events', 'passports']) {
    await knex.schema.dropTableIfExists(table);
  }
}

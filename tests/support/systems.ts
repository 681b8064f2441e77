// Test helpers for authoritative systems: connect a signed-in administrator's app to one of the
// sandbox systems (the connection made through the door, its public key registered with the
// sandbox as a system's administrators would), and link a passport without the matching screen.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { StaffPassportApp } from '../../main/app.ts';
import type { ConnectionKind, ConnectionOperation } from '../../main/systems/vocabulary.ts';
import { LinksRepository } from '../../main/systems/links.ts';
import type { Sandbox, SandboxSystem } from '../sandbox/server.ts';
import { call } from './app.ts';

export const ALL_OPERATIONS: ConnectionOperation[] = ['search-for-employee', 'get-employee-personal-details', 'get-employee-records', 'add-employee-record'];

const KINDS: Record<SandboxSystem, ConnectionKind> = { esr: 'esr', learning: 'learning', recruitment: 'recruitment', 'occupational-health': 'occupational-health' };
/** What an administrator would call each connection; the name appears in HR's messages. */
export const CONNECTION_NAMES: Record<SandboxSystem, string> = { esr: 'ESR', learning: 'Sandbox LMS', recruitment: 'Sandbox recruitment', 'occupational-health': 'Sandbox occupational health' };

export interface SandboxConnection {
  connectionId: string;
  /** The connection's name, as HR sees it. */
  name: string;
  clientId: string;
  eventsApiKey: string;
}

/** Adds a connection to a sandbox system and registers its key there for the given organisations. */
export async function connectToSandbox(
  app: StaffPassportApp,
  sandbox: Sandbox,
  system: SandboxSystem,
  options: { operations?: ConnectionOperation[]; organisation?: string; enabledAt?: string[]; clientId?: string } = {},
): Promise<SandboxConnection> {
  const operations = options.operations ?? ALL_OPERATIONS;
  const clientId = options.clientId ?? `staff-passport-${system}`;
  const added = await call(app, 'connections.add', {
    name: CONNECTION_NAMES[system],
    kind: KINDS[system],
    baseUrl: sandbox.systems[system].baseUrl,
    organisation: options.organisation ?? 'RHQ',
    tokenUrl: sandbox.tokenUrl,
    clientId,
    operations,
  });
  sandbox.registerClient({
    clientId,
    jwks: JSON.parse(added.jwks.content),
    permissions: (options.enabledAt ?? ['RHQ']).map((organisation) => ({ system, organisation, operations: [...operations] })),
  });
  return { connectionId: added.connectionId, name: CONNECTION_NAMES[system], clientId, eventsApiKey: added.eventsApiKey };
}

/** Links a passport to a system's employee id directly (tests of what links enable, not of matching). */
export async function linkDirectly(app: StaffPassportApp, passportId: string, connectionId: string, employeeId: string, userId: string): Promise<string> {
  const { linkId } = await new LinksRepository(app.vault.open.store.knex).link({
    passportId,
    connectionId,
    employeeId,
    method: 'search',
    details: { id: employeeId, firstName: 'Test', surname: 'Person' },
    userId,
    at: new Date().toISOString(),
  });
  return linkId;
}

/**
 * A learning-system connection written straight into a store, for tests of the outbox that run
 * without the app: its key pair is not sealed (those tests build the client from a key they hold).
 */
export async function insertLearningConnection(
  knex: Knex,
  connection: { id: string; name: string; baseUrl: string; tokenUrl: string; clientId: string; keyId: string; at?: string },
): Promise<void> {
  const at = connection.at ?? new Date().toISOString();
  await knex('connections').insert({
    id: connection.id,
    name: connection.name,
    kind: 'learning',
    base_url: connection.baseUrl,
    organisation: 'RHQ',
    token_url: connection.tokenUrl,
    client_id: connection.clientId,
    operations: JSON.stringify(['add-employee-record']),
    key_id: connection.keyId,
    public_jwk: '{}',
    private_key_cipher: 'none',
    private_key_nonce: Buffer.alloc(12),
    private_key_ciphertext: Buffer.alloc(1),
    private_key_tag: Buffer.alloc(16),
    events_apikey_hash: randomUUID(),
    created_at: at,
    updated_at: at,
  });
}

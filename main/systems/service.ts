// The authoritative systems as the rest of the app sees them: connections (with their client key
// pairs and event API keys), a DSP API client for each, "Test connection", and the status check
// that runs every minute while the app is unlocked.
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';
import { PrivateKeyCipher } from '../credentials/identity/private-key-cipher.ts';
import type { Settings } from '../api/contract.ts';
import { ConnectionsRepository, connectionOf, connectionView, hashApiKey, newEventsApiKey, type Connection, type ConnectionRow } from './connections.ts';
import type { ConnectionInput, ConnectionView } from './contract.ts';
import { DspClient, newClientKeyPair, publicJwks, type TransportSettings } from './client/index.ts';

const KEY_ALGORITHM = 'ES256';

/** How long a replaced client stays open for calls already under way: longer than any call may take. */
const RETIRED_CLIENT_GRACE_MS = 11 * 60_000;

export interface SystemsDeps {
  knex: () => Knex;
  databaseKey: () => Buffer;
  now: () => Date;
  log: Logger;
  settings: () => Settings;
  /** Called when a status check changes what the screens show. */
  healthChanged: () => void;
  /** Tests shorten the client's waits; the app uses the client's defaults. */
  clientOptions?: { timeoutMs?: number; retry?: { attempts?: number; baseDelayMs?: number } };
}

export interface TestStep {
  step: 'status' | 'token' | 'search';
  outcome: 'pass' | 'fail' | 'skipped';
  message: string;
}

const sealAlias = (connectionId: string) => `connection:${connectionId}`;

export class Systems {
  private readonly deps: SystemsDeps;
  private readonly clients = new Map<string, { version: number; transportKey: string; client: DspClient }>();
  private transportCache: { key: string; transport: Promise<TransportSettings> } | null = null;
  private checking: Promise<void> | null = null;

  constructor(deps: SystemsDeps) {
    this.deps = deps;
  }

  private repository(knex: Knex = this.deps.knex()): ConnectionsRepository {
    return new ConnectionsRepository(knex);
  }

  async list(): Promise<ConnectionView[]> {
    return (await this.repository().list()).map(connectionView);
  }

  async connection(id: string): Promise<Connection> {
    return connectionOf(await this.repository().get(id));
  }

  /** The connection whose event API key this is, if any (the key itself is never stored). */
  async connectionForApiKey(apiKey: string): Promise<Connection | undefined> {
    const row = await this.repository().byApiKeyHash(hashApiKey(apiKey));
    return row ? connectionOf(row) : undefined;
  }

  async add(input: ConnectionInput): Promise<{ connectionId: string; eventsApiKey: string; jwks: { fileName: string; content: string } }> {
    const id = randomUUID();
    const pair = await newClientKeyPair();
    const sealed = new PrivateKeyCipher(this.deps.databaseKey()).seal(sealAlias(id), KEY_ALGORITHM, Buffer.from(JSON.stringify(pair.privateJwk), 'utf8'));
    const apiKey = newEventsApiKey();
    const at = this.deps.now().toISOString();
    await this.repository().insert({ id, input, keyId: pair.kid, publicJwk: JSON.stringify(pair.publicJwk), sealed, apiKeyHash: apiKey.hash, at });
    return { connectionId: id, eventsApiKey: apiKey.key, jwks: await this.exportJwks(id) };
  }

  async update(id: string, version: number, input: ConnectionInput): Promise<void> {
    const before = await this.repository().get(id);
    const repointed = before.base_url !== input.baseUrl || before.organisation !== input.organisation || before.kind !== input.kind;
    // An employee id means a different person in another system or organisation.
    if (repointed && (await this.deps.knex()('links').where({ connection_id: id }).whereNull('removed_at').first('id'))) {
      throw new AppError('conflict', 'Staff are linked through this connection, so its system, kind and organisation cannot change. To use a different system or organisation, add a new connection.');
    }
    await this.repository().update(id, version, input, this.deps.now().toISOString());
    this.retire(id);
    this.deps.healthChanged();
  }

  /** Removes a connection; `alsoDo` runs in the same transaction (the links through it end). */
  async remove(id: string, version: number, alsoDo?: (trx: Knex, at: string) => Promise<void>): Promise<void> {
    const at = this.deps.now().toISOString();
    await this.deps.knex().transaction(async (trx) => {
      await this.repository(trx).remove(id, version, at);
      await alsoDo?.(trx, at);
    });
    this.retire(id);
    this.deps.healthChanged();
  }

  /** The public key set (JWKS) the system's administrators register for this client. */
  async exportJwks(id: string): Promise<{ fileName: string; content: string }> {
    const row = await this.repository().get(id);
    const safeName = row.name.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'connection';
    return { fileName: `${safeName}-staff-passport-jwks.json`, content: `${JSON.stringify(publicJwks(JSON.parse(row.public_jwk) as JWK), null, 2)}\n` };
  }

  async newEventsApiKey(id: string): Promise<string> {
    const apiKey = newEventsApiKey();
    await this.repository().setApiKeyHash(id, apiKey.hash, this.deps.now().toISOString());
    this.retire(id);
    return apiKey.key;
  }

  /** A client for this connection, built once per version of its settings (tokens are cached in it). */
  async client(connection: Connection | string): Promise<DspClient> {
    const row = await this.repository().get(typeof connection === 'string' ? connection : connection.id);
    const transportKey = this.transportKey();
    const current = () => {
      const cached = this.clients.get(row.id);
      return cached && cached.version === row.version && cached.transportKey === transportKey ? cached.client : undefined;
    };
    const cached = current();
    if (cached) return cached;
    const client = new DspClient({
      connection: { ...connectionOf(row), signingKey: { kid: row.key_id, privateKey: this.privateKey(row), alg: KEY_ALGORITHM } },
      transport: { ...(await this.transport()), ...(this.deps.clientOptions?.timeoutMs ? { timeoutMs: this.deps.clientOptions.timeoutMs } : {}) },
      now: this.deps.now,
      log: this.deps.log,
      ...(this.deps.clientOptions?.retry ? { retry: this.deps.clientOptions.retry } : {}),
    });
    // Another caller may have built the same client while this one awaited the transport settings.
    const raced = current();
    if (raced) {
      client.close();
      return raced;
    }
    this.retire(row.id);
    this.clients.set(row.id, { version: row.version, transportKey, client });
    return client;
  }

  /**
   * Forgets a connection's client and closes it once any call still using it has had time to
   * finish (closing at once would cut requests in flight).
   */
  private retire(id: string): void {
    const old = this.clients.get(id);
    if (!old) return;
    this.clients.delete(id);
    setTimeout(() => old.client.close(), RETIRED_CLIENT_GRACE_MS).unref();
  }

  private privateKey(row: ConnectionRow): KeyObject {
    const opened = new PrivateKeyCipher(this.deps.databaseKey()).open(sealAlias(row.id), KEY_ALGORITHM, {
      cipher: row.private_key_cipher,
      nonce: row.private_key_nonce,
      ciphertext: row.private_key_ciphertext,
      tag: row.private_key_tag,
    });
    return createPrivateKey({ key: JSON.parse(opened.toString('utf8')) as JWK & { kty: string }, format: 'jwk' });
  }

  private transportKey(): string {
    const values = this.deps.settings();
    return JSON.stringify([values.systemsCaBundleFile, values.systemsClientCertificateFile, values.systemsClientKeyFile, values.systemsProxyUrl, values.systemsNoProxy]);
  }

  /** IT's TLS and proxy settings, with the files they name read once per change of settings. */
  private transport(): Promise<TransportSettings> {
    const key = this.transportKey();
    if (this.transportCache?.key !== key) {
      const transport = readTransport(this.deps.settings());
      this.transportCache = { key, transport };
      // A file that could not be read is tried again next time rather than remembered.
      transport.catch(() => {
        if (this.transportCache?.key === key) this.transportCache = null;
      });
    }
    return this.transportCache.transport;
  }

  /** "Test connection": each step of reaching the system, in order, with a plain result. */
  async test(id: string): Promise<TestStep[]> {
    const connection = await this.connection(id);
    const steps: TestStep[] = [];
    let client: DspClient;
    try {
      client = await this.client(connection);
    } catch (error) {
      return [{ step: 'status', outcome: 'fail', message: messageOf(error) }];
    }
    try {
      const status = await client.status();
      await this.recordHealth(connection, status.status === 'pass' ? 'pass' : status.status, status.status === 'pass' ? null : `${connection.name} says it is not working properly (status "${status.status}").`);
      steps.push({ step: 'status', outcome: status.status === 'fail' ? 'fail' : 'pass', message: status.status === 'pass' ? `${connection.name} is up.` : `${connection.name} answered, but says it is not working properly (status "${status.status}").` });
    } catch (error) {
      await this.recordHealth(connection, 'fail', messageOf(error));
      steps.push({ step: 'status', outcome: 'fail', message: messageOf(error) });
    }
    try {
      await client.checkToken();
      steps.push({ step: 'token', outcome: 'pass', message: `${connection.name} accepted this connection's key and gave Staff Passport a token.` });
    } catch (error) {
      steps.push({ step: 'token', outcome: 'fail', message: messageOf(error) });
      steps.push({ step: 'search', outcome: 'skipped', message: 'Not tried, because there is no token.' });
      return steps;
    }
    if (!connection.operations.includes('search-for-employee')) {
      steps.push({ step: 'search', outcome: 'skipped', message: 'Not tried: this connection is not set up for searching.' });
      return steps;
    }
    try {
      // A search that finds nobody proves the permission without reading anyone's details.
      await client.search({ surname: 'Staff-Passport-Connection-Test', birthDate: '1900-01-01' });
      steps.push({ step: 'search', outcome: 'pass', message: `Staff Passport can search ${connection.name} at ${connection.organisation}.` });
    } catch (error) {
      steps.push({ step: 'search', outcome: 'fail', message: messageOf(error) });
    }
    return steps;
  }

  /** Checks every connection's open status endpoint; one run at a time. */
  checkHealth(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** Waits for a status check in progress, so that the store can close under it safely. */
  async idle(): Promise<void> {
    await this.checking?.catch(() => undefined);
  }

  private async checkAll(): Promise<void> {
    const connections = (await this.repository().list()).map(connectionOf);
    await Promise.all(
      connections.map(async (connection) => {
        try {
          const status = await (await this.client(connection)).status();
          await this.recordHealth(connection, status.status, status.status === 'pass' ? null : `${connection.name} says it is not working properly (status "${status.status}").`);
        } catch (error) {
          await this.recordHealth(connection, 'fail', messageOf(error));
        }
      }),
    );
  }

  private async recordHealth(connection: Connection, state: ConnectionRow['status'], message: string | null): Promise<void> {
    let changed: boolean;
    try {
      changed = await this.repository().setHealth(connection.id, state, message, this.deps.now().toISOString());
    } catch (error) {
      // The store closed under a check (locked, signed out): the next check will record it.
      this.deps.log.warn('could not record a system status', { connectionId: connection.id, detail: String(error) });
      return;
    }
    if (changed) {
      if (state !== 'pass') this.deps.log.warn('authoritative system not healthy', { connectionId: connection.id, state });
      this.deps.healthChanged();
    }
  }
}

/** A sentence for HR: the system's own plain-English error, or a general one. */
export function messageOf(error: unknown): string {
  // SystemError is an AppError: both carry a sentence written for HR.
  if (error instanceof AppError) return error.message;
  return 'Something went wrong while talking to the system. Try again, and tell your IT team if it keeps happening.';
}

async function readTransport(values: Settings): Promise<TransportSettings> {
  const read = async (path: string, what: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new AppError('config-invalid', `Staff Passport cannot read the ${what} file your IT team set (${path}). Ask them to check it.`, { cause: error, detail: String(error) });
    }
  };
  const transport: TransportSettings = {};
  if (values.systemsCaBundleFile) transport.caBundle = await read(values.systemsCaBundleFile, 'certificate authority');
  if (values.systemsClientCertificateFile || values.systemsClientKeyFile) {
    if (!values.systemsClientCertificateFile || !values.systemsClientKeyFile) {
      throw new AppError('config-invalid', 'Your IT team set a client certificate without its key, or a key without its certificate. Ask them to set both.');
    }
    transport.clientCertificate = { cert: await read(values.systemsClientCertificateFile, 'client certificate'), key: await read(values.systemsClientKeyFile, 'client key') };
  }
  if (values.systemsProxyUrl) transport.proxyUrl = values.systemsProxyUrl;
  const noProxy = values.systemsNoProxy.split(',').map((host) => host.trim()).filter(Boolean);
  if (noProxy.length > 0) transport.noProxy = noProxy;
  return transport;
}

// The composition root: builds the vault, configuration, services and the dispatcher for one
// instance. Electron's shell and the browser-mode host both start the core through createApp().
import { EventEmitter } from 'node:events';
import { AppError } from './errors.ts';
import { Dispatcher, type Caller, type Handlers } from './api/dispatcher.ts';
import { PASSWORD_POLICY, passwordProblems, type AppStatus, type EventName, type EventPayload, type Result } from './api/contract.ts';
import { Configuration, machineConfigPath, readWindowsPolicy, type ConfigSources } from './platform/config.ts';
import { DataFolder } from './platform/data-folder.ts';
import { DEFAULT_SCRYPT, type OsKeystore, type ScryptParams } from './platform/keyslots.ts';
import { consoleLogger, type Logger } from './platform/log.ts';
import { Vault } from './platform/vault.ts';
import { createBackup, restoreBackup } from './platform/backup.ts';
import { Sessions } from './admin/sessions.ts';
import { Setup } from './admin/setup.ts';
import { UsersRepository, newTemporaryPassword } from './admin/users.ts';
import { join } from 'node:path';
import { FolderSender, Outbox, type MessageSender } from './staff/outbox.ts';
import { StaffService } from './staff/service.ts';
import { staffHandlers } from './staff/handlers.ts';
import { credentialHandlers } from './credentials/handlers.ts';
import { Credentials } from './credentials/service.ts';
import { PublicServer, readPublicServerTls, tlsConfigured, type PublicServerAddress } from './platform/public-server.ts';
import { Systems, type SystemsDeps } from './systems/service.ts';
import { Linking } from './systems/linking.ts';
import { EventInbox } from './systems/events.ts';
import { DeliveryOutbox } from './systems/deliveries.ts';
import { systemsHandlers } from './systems/handlers.ts';
import { matchSubjectOf } from './systems/subject.ts';
import { keepRecords, recordsForPassport } from './systems/events.ts';
import { Wallet } from './wallet/service.ts';
import { walletHandlers } from './wallet/handlers.ts';

export interface AppOptions {
  dataDir: string;
  osKeystore?: OsKeystore;
  configSources?: ConfigSources;
  /** Tests lower the cost; the app uses the default. */
  scrypt?: ScryptParams;
  now?: () => Date;
  log?: Logger;
  /** How often to look for an inactive session to lock; 0 turns the timer off (tests tick by hand). */
  lockCheckMs?: number;
  /** Where messages to staff go; by default, files in the data folder's outbox/ folder. */
  sender?: MessageSender;
  /** How often each authoritative system's status is checked while unlocked; 0 turns the timer off. */
  systemsCheckMs?: number;
  /** Tests shorten the DSP client's waits. */
  systemsClient?: SystemsDeps['clientOptions'];
}

type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export class StaffPassportApp {
  readonly vault: Vault;
  readonly config: Configuration;
  private readonly sessions: Sessions;
  private readonly setup: Setup;
  readonly outbox: Outbox;
  private readonly staff: StaffService;
  readonly credentials: Credentials;
  readonly publicServer: PublicServer;
  readonly systems: Systems;
  readonly linking: Linking;
  readonly events: EventInbox;
  readonly deliveries: DeliveryOutbox;
  readonly wallet: Wallet;
  private readonly dispatcher: Dispatcher;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly emitter = new EventEmitter();
  private trust: { odsCode: string; name: string } | null = null;
  private lockTimer: NodeJS.Timeout | null = null;
  private systemsTimer: NodeJS.Timeout | null = null;

  private constructor(options: AppOptions) {
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? consoleLogger();
    this.vault = new Vault(new DataFolder(options.dataDir), options.scrypt ?? DEFAULT_SCRYPT, options.osKeystore ?? null);
    this.config = new Configuration(options.configSources ?? { machineFilePath: machineConfigPath(), readPolicy: readWindowsPolicy });
    this.sessions = new Sessions(this.vault, this.now, () => this.config.effective().values);
    this.setup = new Setup(this.vault, this.now, () => {
      const values = this.config.effective().values;
      return { host: values.issuerHost, path: values.issuerPath, keyType: values.issuerKeyType };
    });
    const knex = () => this.vault.open.store.knex;
    this.outbox = new Outbox(knex, options.sender ?? new FolderSender(join(options.dataDir, 'outbox')), this.now, this.log);
    this.staff = new StaffService({
      knex,
      now: this.now,
      trustName: () => this.trust?.name ?? 'Your NHS trust',
      messagesQueued: () => void this.deliverMessages(),
      assignmentNumberChanged: (trx, passportId, assignmentNumber, actor, at) => this.linking.assignmentNumberChanged(trx, passportId, assignmentNumber, actor, at),
    });
    this.publicServer = new PublicServer(this.log);
    this.credentials = new Credentials({
      knex,
      databaseKey: () => this.vault.open.key,
      now: this.now,
      log: this.log,
      publicBaseUrl: () => this.publicBaseUrl(),
      verifier: { didWeb: { enabled: () => this.config.effective().values.lookUpDidsOnline, timeoutMs: 5000, cacheSeconds: 3600 } },
    });
    for (const route of this.credentials.publicRoutes()) this.publicServer.route(route);
    this.systems = new Systems({
      knex,
      databaseKey: () => this.vault.open.key,
      now: this.now,
      log: this.log,
      settings: () => this.config.effective().values,
      healthChanged: () => this.emit('systems.healthChanged', {}),
      ...(options.systemsClient ? { clientOptions: options.systemsClient } : {}),
    });
    this.linking = new Linking({
      knex,
      now: this.now,
      connection: (id) => this.systems.connection(id),
      client: (connection) => this.systems.client(connection),
      subject: async (passportId) => matchSubjectOf(await this.staff.get(passportId)),
      assignmentConfirmed: (trx, passportId, assignmentNumber, actor, at) => this.staff.recordAssignmentNumber(trx, passportId, assignmentNumber, actor, at),
      history: (trx, passportId, event, actor, at) => this.staff.recordHistory(trx, passportId, event, actor, at),
      linked: () => void this.fetchEventRecords(),
    });
    this.events = new EventInbox({
      knex,
      now: this.now,
      log: this.log,
      connectionForApiKey: (apiKey) => this.systems.connectionForApiKey(apiKey),
      recordsOf: async (connectionId, employeeId) => {
        const connection = await this.systems.connection(connectionId);
        if (!connection.operations.includes('get-employee-records')) {
          throw new AppError('conflict', `The connection to ${connection.name} is not set up for getting records.`);
        }
        return (await (await this.systems.client(connection)).records(employeeId)).records;
      },
    });
    this.deliveries = new DeliveryOutbox({ knex, now: this.now, log: this.log, clientFor: (connectionId) => this.systems.client(connectionId) });
    const inbox = this.events.route();
    this.publicServer.route({
      ...inbox,
      handle: async (request, connection) => {
        const answer = await inbox.handle(request, connection);
        if (answer.status === 200) void this.fetchEventRecords();
        return answer;
      },
    });
    this.wallet = new Wallet({
      knex,
      now: this.now,
      log: this.log,
      credentials: this.credentials,
      publicBaseUrl: () => this.publicBaseUrl(),
      trust: () => this.trust,
      settings: () => {
        const values = this.config.effective().values;
        return { offerExpiryMinutes: values.offerExpiryMinutes, txCodeLength: values.txCodeLength, requestExpiryMinutes: values.presentationRequestExpiryMinutes, walletRequestsPerMinute: values.walletRequestsPerMinute };
      },
      audit: (entry) => this.vault.audit(entry),
      passport: (passportId) => this.staff.get(passportId),
      requirePassport: (passportId) => this.staff.requireExists(passportId),
      history: (trx, passportId, event, actor, at) => this.staff.recordHistory(trx, passportId, event, actor, at),
      collected: (trx, passportId, typeIds) => this.staff.credentialsCollected(trx, passportId, typeIds),
      records: (passportId) => this.passportRecords(passportId),
      refreshRecords: (passportId) => this.refreshRecords(passportId),
      offerChanged: (event) => this.emit('wallet.offerChanged', event),
      requestChanged: (event) => this.emit('wallet.requestChanged', event),
    });
    for (const route of this.wallet.routes()) this.publicServer.route(route);
    this.vault.onOpen(async (opened) => {
      const org = (await opened.store.knex('organisation').where({ id: 1 }).first()) as { ods_code: string; name: string } | undefined;
      this.trust = org ? { odsCode: org.ods_code, name: org.name } : null;
      await this.loadUserSettings();
      await this.wallet.resume();
    });
    this.dispatcher = new Dispatcher({
      handlers: this.handlers(),
      caller: () => this.caller(),
      audit: (entry) => this.vault.audit(entry),
      now: this.now,
      log: this.log,
    });
    const lockCheckMs = options.lockCheckMs ?? 15_000;
    if (lockCheckMs > 0) {
      this.lockTimer = setInterval(() => void this.tick(), lockCheckMs);
      this.lockTimer.unref();
    }
    const systemsCheckMs = options.systemsCheckMs ?? 60_000;
    if (systemsCheckMs > 0) {
      this.systemsTimer = setInterval(() => void this.checkSystems(), systemsCheckMs);
      this.systemsTimer.unref();
    }
  }

  static async create(options: AppOptions): Promise<StaffPassportApp> {
    const app = new StaffPassportApp(options);
    await app.vault.folder.ensure();
    await app.config.refresh();
    try {
      await app.vault.openWithOsKeystore();
    } catch (error) {
      // A keystore that changed (new PC, roaming profile) is not a lost database: passwords still work.
      app.log.warn('could not open the store with the OS keystore', { code: error instanceof AppError ? error.code : 'internal' });
    }
    return app;
  }

  /** The one entry point. Never throws: every answer is a Result. */
  async dispatch(operation: string, input: unknown): Promise<Result<unknown>> {
    try {
      const result = await this.dispatcher.dispatch(operation, input);
      // Reading the status is not activity; anything else the user does is.
      if (result.ok && operation !== 'app.status') this.sessions.touch();
      return result;
    } catch (error) {
      this.log.error('dispatch failed', { operation: String(operation).slice(0, 100), detail: String(error) });
      return { ok: false, error: new AppError('internal', 'Something went wrong. Try again, and tell your IT team if it keeps happening.').toWire() };
    }
  }

  onEvent(listener: EventListener): () => void {
    const wrapped = (name: EventName, payload: unknown) => listener(name, payload as never);
    this.emitter.on('event', wrapped);
    return () => this.emitter.off('event', wrapped);
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', name, payload);
  }

  /** Locks an idle session and picks up changed machine settings; runs on a timer. */
  async tick(): Promise<void> {
    if (this.sessions.applyInactivityLock()) {
      await this.vault.audit({ at: this.now().toISOString(), actorUserId: this.sessions.session()?.user.id ?? null, operation: 'session.autoLock', recordIds: [], outcome: 'ok', errorCode: null });
      this.emit('session.changed', this.status());
    }
    if (await this.config.refresh()) this.emit('settings.changed', {});
    if (this.vault.isOpen) {
      await this.deliverMessages();
      await this.fetchEventRecords();
      await this.deliverRecords();
    }
  }

  /** Sends records waiting in the delivery outbox; failures are retried later, never lost. */
  async deliverRecords(): Promise<void> {
    if (!this.vault.isOpen) return;
    try {
      await this.deliveries.deliver();
    } catch (error) {
      this.log.error('record delivery run failed', { detail: String(error) });
    }
  }

  /** Checks each authoritative system's status; only while someone is signed in and unlocked. */
  async checkSystems(): Promise<void> {
    if (this.status().state !== 'signed-in') return;
    try {
      await this.systems.checkHealth();
    } catch (error) {
      this.log.error('system status check failed', { detail: String(error) });
    }
  }

  /** Fetches the records that event notifications point at; failures are retried later, never lost. */
  async fetchEventRecords(): Promise<number> {
    if (!this.vault.isOpen) return 0;
    try {
      return await this.events.fetchDue();
    } catch (error) {
      this.log.error('fetching records for events failed', { detail: String(error) });
      return 0;
    }
  }

  /** Sends what waits in the outbox; a failure is logged and retried later, never lost. */
  async deliverMessages(): Promise<number> {
    try {
      return await this.outbox.deliver();
    } catch (error) {
      this.log.error('message delivery run failed', { detail: String(error) });
      return 0;
    }
  }

  /**
   * Starts the server the outside world talks to, where IT's configuration says (tests and
   * browser mode may override the port). Its failure to start is reported, not fatal: HR can
   * still work, and the problem is logged for IT. With a certificate set but unusable it does not
   * start at all, rather than serve wallets over plain HTTP.
   */
  async startPublicServer(override: Partial<PublicServerAddress> = {}): Promise<PublicServerAddress> {
    const values = this.config.effective().values;
    const tls = await readPublicServerTls(values);
    const bound = await this.publicServer.start({ address: override.address ?? values.publicServerAddress, port: override.port ?? values.publicServerPort }, { tls });
    this.log.info('public server started', { address: bound.address, port: bound.port, https: Boolean(tls) });
    return bound;
  }

  /** The address the outside world knows the public server by: IT's setting, or this computer's. */
  publicBaseUrl(): string {
    const configured = this.config.effective().values.publicBaseUrl;
    if (configured) return configured.replace(/\/+$/, '');
    const bound = this.publicServer.address;
    const https = bound ? this.publicServer.secure : tlsConfigured(this.config.effective().values);
    return `${https ? 'https' : 'http'}://localhost:${bound?.port ?? this.config.effective().values.publicServerPort}`;
  }

  async close(): Promise<void> {
    if (this.lockTimer) clearInterval(this.lockTimer);
    if (this.systemsTimer) clearInterval(this.systemsTimer);
    this.wallet.stop();
    await this.publicServer.close();
    await this.events.idle();
    await this.deliveries.stop();
    await this.systems.idle();
    this.emitter.removeAllListeners();
    await this.outbox.idle();
    await this.vault.close();
  }

  private caller(): Caller {
    const session = this.sessions.session();
    return { user: session?.user ?? null, locked: session?.locked ?? false };
  }

  status(): AppStatus {
    const folder = this.vault.folder.state();
    const session = this.sessions.session();
    let state: AppStatus['state'];
    if (folder.kind === 'empty') state = 'needs-setup';
    else if (folder.kind === 'broken') state = 'unavailable';
    else if (!session) state = 'signed-out';
    else state = session.locked ? 'locked' : 'signed-in';
    return {
      state,
      trust: this.trust,
      user: session?.user ?? null,
      problem: folder.kind === 'broken' ? folder.problem : null,
      autoLockMinutes: this.config.effective().values.autoLockMinutes,
      passwordPolicy: PASSWORD_POLICY.description,
    };
  }

  /** The settings administrators saved in the store become the configuration's user layer. */
  private async loadUserSettings(): Promise<void> {
    const rows = (await this.vault.open.store.knex('user_settings').select('key', 'value')) as Array<{ key: string; value: string }>;
    this.config.setUserLayer(Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown])));
  }

  /** The records kept for a passport, each with the name of the system it came from. */
  private async passportRecords(passportId: string) {
    const records = await recordsForPassport(this.vault.open.store.knex, passportId);
    const names = new Map<string, string>();
    for (const connectionId of new Set(records.map((record) => record.connectionId))) {
      names.set(connectionId, await this.systems.connection(connectionId).then((connection) => connection.name, () => 'A removed connection'));
    }
    return records.map((record) => ({ ...record, system: names.get(record.connectionId)! }));
  }

  /** Fetches each linked system's records for the passport again; what could not be fetched, in words. */
  private async refreshRecords(passportId: string): Promise<string[]> {
    const problems: string[] = [];
    for (const link of await this.linking.links(passportId)) {
      try {
        const connection = await this.systems.connection(link.connectionId);
        if (!connection.operations.includes('get-employee-records')) continue;
        const { records } = await (await this.systems.client(connection)).records(link.employeeId);
        const knex = this.vault.open.store.knex;
        await knex.transaction((trx) => keepRecords(trx, [passportId], link.connectionId, link.employeeId, records, this.now().toISOString()));
      } catch (error) {
        problems.push(`${link.connectionName}: ${error instanceof AppError ? error.message : 'the records could not be fetched.'}`);
      }
    }
    return problems;
  }

  private users(): UsersRepository {
    return new UsersRepository(this.vault.open.store.knex);
  }

  private handlers(): Handlers {
    const now = () => this.now().toISOString();
    return {
      'app.status': async () => this.status(),

      'setup.start': async (input) => this.setup.start(input),
      'setup.finish': async () => this.setup.finish(),
      'setup.restoreBackup': async (input) => {
        await restoreBackup(this.vault.folder, input.backupFolder, input.recoveryCode);
        return { ok: true as const };
      },

      'session.signIn': async (input) => {
        await this.sessions.signIn(input.email, input.password);
        // Systems' health is shown from the start of a session, not a minute into it.
        void this.checkSystems();
        return this.status();
      },
      'session.unlock': async (input) => {
        await this.sessions.unlock(input.password);
        void this.checkSystems();
        return this.status();
      },
      'session.lock': async () => {
        this.sessions.lock();
        return this.status();
      },
      'session.signOut': async () => {
        this.sessions.signOut();
        return this.status();
      },
      'session.heartbeat': async () => ({ ok: true as const }),
      'session.changePassword': async (input, caller) => {
        const email = caller.user!.email;
        const problems = passwordProblems(input.newPassword, email).map((message) => ({ field: 'newPassword', message }));
        if (input.newPassword !== input.confirmPassword) problems.push({ field: 'confirmPassword', message: 'Passwords do not match' });
        if (input.newPassword === input.currentPassword) problems.push({ field: 'newPassword', message: 'Your new password must be different from your current password' });
        if (problems.length > 0) throw new AppError('invalid-input', 'Some answers need correcting.', { fields: problems });
        await this.sessions.changePassword(input.currentPassword, input.newPassword);
        return this.status();
      },

      'users.list': async () => ({ users: await this.users().list() }),
      'users.add': async (input) => {
        const users = this.users();
        if (await users.findByEmail(input.email)) {
          throw new AppError('conflict', 'There is already an HR user with that email address.', { fields: [{ field: 'email', message: 'There is already an HR user with that email address' }] });
        }
        const temporaryPassword = newTemporaryPassword();
        const opened = this.vault.open;
        // The slot is written inside the transaction: if it fails, the user is not created.
        const userId = await opened.store.knex.transaction(async (trx) => {
          const id = await new UsersRepository(trx).insert({ ...input, mustChangePassword: true }, now(), trx);
          await opened.slots.setUserSlot(id, input.email, temporaryPassword, opened.key, this.vault.scrypt);
          return id;
        });
        return { userId, temporaryPassword };
      },
      'users.changeRole': async (input, caller) => {
        const users = this.users();
        const user = await users.get(input.userId);
        if (user.role === 'administrator' && input.role !== 'administrator' && user.active && (await users.countActiveAdministrators()) <= 1) {
          throw new AppError('conflict', 'This is the only Senior Portal Administrator. Make someone else an administrator first.');
        }
        await users.update(user.id, { role: input.role }, now());
        if (user.id === caller.user!.id) this.sessions.refreshUser({ ...caller.user!, role: input.role });
        return { ok: true as const };
      },
      'users.deactivate': async (input, caller) => {
        if (input.userId === caller.user!.id) throw new AppError('conflict', 'You cannot deactivate your own account.');
        const users = this.users();
        const user = await users.get(input.userId);
        if (user.role === 'administrator' && user.active && (await users.countActiveAdministrators()) <= 1) {
          throw new AppError('conflict', 'This is the only Senior Portal Administrator. Make someone else an administrator first.');
        }
        await users.update(user.id, { active: false }, now());
        // Without a slot the deactivated user's password no longer opens the database.
        await this.vault.open.slots.removeUserSlot(user.id);
        return { ok: true as const };
      },
      'users.resetPassword': async (input) => {
        const users = this.users();
        const user = await users.get(input.userId);
        if (!user.active) throw new AppError('conflict', 'This account is deactivated, so its password cannot be reset.');
        const temporaryPassword = newTemporaryPassword();
        const opened = this.vault.open;
        await opened.slots.setUserSlot(user.id, user.email, temporaryPassword, opened.key, this.vault.scrypt);
        await users.update(user.id, { mustChangePassword: true }, now());
        return { userId: user.id, temporaryPassword };
      },

      'settings.get': async () => {
        await this.config.refresh();
        const effective = this.config.effective();
        return { values: effective.values, sources: effective.sources, locked: effective.locked, problems: effective.problems };
      },
      'settings.update': async (input, caller) => {
        const effective = this.config.effective();
        const locked = Object.keys(input).filter((name) => effective.locked.includes(name as never));
        if (locked.length > 0) {
          throw new AppError('forbidden', 'Your IT team has set this, so it cannot be changed here.', {
            fields: locked.map((field) => ({ field, message: 'Set by your IT team' })),
          });
        }
        const knex = this.vault.open.store.knex;
        await knex.transaction(async (trx) => {
          for (const [key, value] of Object.entries(input)) {
            if (value === undefined) continue;
            await trx('user_settings')
              .insert({ key, value: JSON.stringify(value), updated_at: now(), updated_by: caller.user!.id })
              .onConflict('key')
              .merge();
          }
        });
        await this.loadUserSettings();
        this.emit('settings.changed', {});
        return { ok: true as const };
      },

      'audit.list': async (input) => ({ entries: await this.vault.open.audit.list({ limit: input.limit, ...(input.beforeSeq ? { beforeSeq: input.beforeSeq } : {}) }) }),
      'audit.verify': async () => this.vault.open.audit.verify(),

      'keystore.get': async () => {
        const keystore = this.vault.osKeystore;
        const available = keystore?.isAvailable() ?? false;
        return { available, backend: available ? keystore!.backend : null, enabled: this.vault.open.slots.hasOsKeystoreSlot() };
      },
      'keystore.set': async (input) => {
        const opened = this.vault.open;
        const keystore = this.vault.osKeystore;
        if (!input.enabled) await opened.slots.removeOsKeystoreSlot();
        else if (!keystore || !keystore.isAvailable()) {
          throw new AppError('conflict', 'This computer has no key store that Staff Passport can use, so the key cannot be kept here.');
        } else await opened.slots.setOsKeystoreSlot(keystore, opened.key);
        return { ok: true as const };
      },

      'backup.create': async (input) => ({ backupFolder: await createBackup(this.vault.open, input.folder, this.now()) }),

      ...staffHandlers(this.staff),
      ...credentialHandlers(this.credentials),
      ...systemsHandlers(this.systems, this.linking),
      ...walletHandlers(this.wallet),
    };
  }
}

export const createApp = (options: AppOptions) => StaffPassportApp.create(options);

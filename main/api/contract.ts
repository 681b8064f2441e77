// The one door between the renderer and the main side: every operation the renderer may call
// (name, input schema, output schema, who may call it) and every event the main side pushes.
// The renderer imports types only from here; the dispatcher enforces it at run time.
import { z } from 'zod';
import type { WireError } from '../errors.ts';

import { op, type Access } from './operation.ts';
import { staffOperations } from '../staff/contract.ts';
import { credentialOperations } from '../credentials/contract.ts';
import { systemsOperations } from '../systems/contract.ts';
import { walletEvents, walletOperations } from '../wallet/contract.ts';
import { odsCodeSchema } from './shared-schemas.ts';

export type { Access };

export const roleSchema = z.enum(['administrator', 'hr']);
export type Role = z.infer<typeof roleSchema>;
export const ROLE_NAMES: Record<Role, string> = {
  administrator: 'Senior Portal Administrator',
  hr: 'HR user',
};

// ---- Field rules shared by the screens' messages and the main side's checks ----------------

export const PASSWORD_POLICY = {
  minLength: 12,
  maxLength: 128,
  description:
    'Your password must be at least 12 characters long. Use 3 or more random words. It cannot be a commonly used password or contain your email address.',
} as const;

const COMMON_PASSWORDS = new Set([
  'password1234', 'password12345', 'password123456', '123456789012', 'qwertyuiop12', 'qwertyuiopas',
  'iloveyou1234', 'welcome12345', 'letmein12345', 'administrator', 'changeme1234', 'passw0rd1234',
  'nhspassword1', 'nhspassword123', 'abcdefghijkl', 'aaaaaaaaaaaa', '111111111111', 'password!234',
]);

/** Field error messages for a new password, in plain English; an empty list means it is acceptable. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_POLICY.minLength) problems.push('Password must be 12 characters or more');
  else if (password.length > PASSWORD_POLICY.maxLength) problems.push('Password must be 128 characters or fewer');
  else if (COMMON_PASSWORDS.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    problems.push('Password is too easy to guess. Use 3 or more random words');
  }
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  if (local.length >= 3 && password.toLowerCase().includes(local)) problems.push('Password must not contain your email address');
  return problems;
}

export { odsCodeSchema };

const nameSchema = (what: string) =>
  z.string().trim().min(1, `Enter ${what}`).max(200, `${what[0]!.toUpperCase()}${what.slice(6)} must be 200 characters or fewer`);
export const emailSchema = z.string().trim().toLowerCase().email('Enter an email address in the correct format, like name@nhs.net');
const passwordSchema = z.string().max(1024);
const idSchema = z.string().uuid();

// ---- Shapes that several operations return -------------------------------------------------

export const sessionUserSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const appStatusSchema = z.object({
  state: z.enum(['needs-setup', 'signed-out', 'signed-in', 'locked', 'unavailable']),
  /** Known once the store has been opened in this run. */
  trust: z.object({ odsCode: z.string(), name: z.string() }).nullable(),
  user: sessionUserSchema.nullable(),
  /** Why the app cannot open its store, naming the file (state 'unavailable'). */
  problem: z.string().nullable(),
  autoLockMinutes: z.number().int(),
  passwordPolicy: z.string(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

export const hrUserSchema = z.object({
  id: idSchema,
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lastSignInAt: z.string().nullable(),
});

export const settingSourceSchema = z.enum(['default', 'user', 'machine-file', 'policy']);
export const settingsSchema = z.object({
  autoLockMinutes: z.number().int().min(1).max(240),
  signInAttemptsBeforeDelay: z.number().int().min(3).max(20),
  signInDelaySeconds: z.number().int().min(5).max(3600),
  // Where the trust's issuer DID lives (did:web:<host>[:<path>]) and its key type. Read once, at
  // set-up, so they come from IT's configuration (file or policy), not from the screens.
  issuerHost: z.string().max(253).regex(/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/),
  issuerPath: z.string().max(200).regex(/^([A-Za-z0-9._~{}-]+(\/[A-Za-z0-9._~{}-]+)*)?$/),
  issuerKeyType: z.enum(['Ed25519', 'P-256']),
  // The one server the outside world talks to (DID document, status lists; later wallets and
  // event notifications): where it listens, and the address the outside world knows it by. An
  // empty base URL means http://localhost:<port>, for a single workstation.
  // Whether the verifier may fetch the DID document of an issuer that is not on the trusted-issuer
  // list from the issuer's website (did:web over HTTPS). Off: only the list is used, no network.
  lookUpDidsOnline: z.boolean(),
  publicServerAddress: z.string().max(64).regex(/^(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]*)$/, 'Enter an IP address such as 127.0.0.1 or 0.0.0.0'),
  publicServerPort: z.number().int().min(0).max(65535),
  publicBaseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(300).refine((url) => !/[?#]/.test(url), 'The public base URL cannot have a query or fragment')]),
  // The public server's TLS certificate: either a PEM certificate chain and its (unencrypted) PEM
  // private key, or a PFX/PKCS#12 file and its password; not both. All empty means plain HTTP.
  publicServerTlsCertificateFile: z.string().max(500),
  publicServerTlsKeyFile: z.string().max(500),
  publicServerTlsPfxFile: z.string().max(500),
  publicServerTlsPfxPassword: z.string().max(500),
  // How the app reaches the authoritative systems: the trust's CA bundle (PEM, added to the usual
  // roots), an optional client certificate and key (PEM files), and a proxy. Empty means none.
  /** Minutes a credential offer stays open for a wallet to collect it (fractions allowed: 0.5 is 30 seconds). */
  offerExpiryMinutes: z.number().min(0.1).max(60),
  /** Digits in the code the staff member types into their wallet to collect an offer; 0 for no code. */
  txCodeLength: z.number().int().min(0).max(8).refine((value) => value === 0 || value >= 4, 'A transaction code has 4 to 8 digits, or 0 for none'),
  /** Token requests a minute the wallet endpoints take from one address (credential requests: five times as many). */
  walletRequestsPerMinute: z.number().int().min(1).max(100_000),
  /** Minutes a request to share credentials stays open. */
  presentationRequestExpiryMinutes: z.number().min(0.1).max(60),
  systemsCaBundleFile: z.string().max(500),
  systemsClientCertificateFile: z.string().max(500),
  systemsClientKeyFile: z.string().max(500),
  systemsProxyUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(300)]),
  /** Host names reached directly, not through the proxy: comma-separated, e.g. "localhost,.nhs.uk". */
  systemsNoProxy: z.string().max(1000),
});
/** The settings an administrator may change in the screens; the issuer's and the server's are IT's. */
export const editableSettingsSchema = settingsSchema.omit({ issuerHost: true, issuerPath: true, issuerKeyType: true, lookUpDidsOnline: true, publicServerAddress: true, publicServerPort: true, publicBaseUrl: true, publicServerTlsCertificateFile: true, publicServerTlsKeyFile: true, publicServerTlsPfxFile: true, publicServerTlsPfxPassword: true, offerExpiryMinutes: true, txCodeLength: true, walletRequestsPerMinute: true, presentationRequestExpiryMinutes: true, systemsCaBundleFile: true, systemsClientCertificateFile: true, systemsClientKeyFile: true, systemsProxyUrl: true, systemsNoProxy: true });
export type Settings = z.infer<typeof settingsSchema>;
export type SettingName = keyof Settings;
/** The settings the Settings screen shows and saves. */
export type EditableSettingName = keyof z.infer<typeof editableSettingsSchema>;

const temporaryPasswordOutput = z.object({ userId: idSchema, temporaryPassword: z.string() });
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

// ---- The operations ------------------------------------------------------------------------

export const operations = {
  'app.status': op({ access: 'public', input: empty, output: appStatusSchema, audited: false }),

  'setup.start': op({
    access: 'public',
    input: z
      .object({
        odsCode: odsCodeSchema,
        trustName: nameSchema('the trust name'),
        adminName: nameSchema('your full name'),
        adminEmail: emailSchema,
        password: passwordSchema,
        confirmPassword: passwordSchema,
      })
      .strict()
      .superRefine((value, ctx) => {
        for (const message of passwordProblems(value.password, value.adminEmail)) {
          ctx.addIssue({ code: 'custom', path: ['password'], message });
        }
        if (value.password !== value.confirmPassword) {
          ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords do not match' });
        }
      }),
    output: z.object({ recoveryCode: z.string() }),
    audited: false, // nothing is stored until setup.finish
  }),
  'setup.finish': op({
    access: 'public',
    input: z.object({ recoveryCodeStored: z.literal(true, { error: 'Confirm that you have stored the recovery code' }) }).strict(),
    output: z.object({ adminUserId: idSchema }),
    audited: true,
    records: (_input, output) => [output.adminUserId],
  }),
  'setup.restoreBackup': op({
    access: 'public',
    input: z.object({ backupFolder: z.string().trim().min(1, 'Enter the folder of the backup'), recoveryCode: z.string().trim().min(1, 'Enter the recovery code') }).strict(),
    output: ok,
    audited: true,
  }),

  'session.signIn': op({
    access: 'public',
    input: z.object({ email: z.string().trim().toLowerCase().min(1, 'Enter your email address'), password: z.string().min(1, 'Enter your password').max(1024) }).strict(),
    output: appStatusSchema,
    audited: true,
    records: (_input, output) => (output.user ? [output.user.id] : []),
  }),
  'session.unlock': op({
    access: 'session',
    input: z.object({ password: z.string().min(1, 'Enter your password').max(1024) }).strict(),
    output: appStatusSchema,
    audited: true,
  }),
  /** Lock now, as when leaving the desk: the same lock as after inactivity. */
  'session.lock': op({ access: 'session', input: empty, output: appStatusSchema, audited: true }),
  'session.signOut': op({ access: 'public', input: empty, output: appStatusSchema, audited: true }),
  'session.heartbeat': op({ access: 'session', input: empty, output: ok, audited: false }),
  'session.changePassword': op({
    access: 'session',
    input: z.object({ currentPassword: z.string().min(1, 'Enter your current password').max(1024), newPassword: passwordSchema, confirmPassword: passwordSchema }).strict(),
    output: appStatusSchema,
    audited: true,
  }),

  'users.list': op({ access: 'administrator', input: empty, output: z.object({ users: z.array(hrUserSchema) }), audited: true }),
  'users.add': op({
    access: 'administrator',
    input: z.object({ name: nameSchema('their full name'), email: emailSchema, role: roleSchema }).strict(),
    output: temporaryPasswordOutput,
    audited: true,
    records: (_input, output) => [output.userId],
  }),
  'users.changeRole': op({
    access: 'administrator',
    input: z.object({ userId: idSchema, role: roleSchema }).strict(),
    output: ok,
    audited: true,
    records: (input) => [input.userId],
  }),
  'users.deactivate': op({
    access: 'administrator',
    input: z.object({ userId: idSchema }).strict(),
    output: ok,
    audited: true,
    records: (input) => [input.userId],
  }),
  'users.resetPassword': op({
    access: 'administrator',
    input: z.object({ userId: idSchema }).strict(),
    output: temporaryPasswordOutput,
    audited: true,
    records: (input) => [input.userId],
  }),

  'settings.get': op({
    access: 'hr',
    input: empty,
    output: z.object({
      // The PFX password is IT's secret: the screens may learn that it is set, never what it is.
      values: settingsSchema.extend({ publicServerTlsPfxPassword: settingsSchema.shape.publicServerTlsPfxPassword.transform((password): string => (password ? '(set)' : '')) }),
      sources: z.record(z.string(), settingSourceSchema),
      locked: z.array(z.string()),
      problems: z.array(z.string()),
    }),
    audited: false,
  }),
  'settings.update': op({
    access: 'administrator',
    input: editableSettingsSchema.partial().strict(),
    output: ok,
    audited: true,
  }),

  'audit.list': op({
    access: 'administrator',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50), beforeSeq: z.number().int().min(1).optional() }).strict(),
    output: z.object({
      entries: z.array(
        z.object({
          seq: z.number().int(),
          at: z.string(),
          actorUserId: z.string().nullable(),
          operation: z.string(),
          recordIds: z.array(z.string()),
          outcome: z.enum(['ok', 'refused', 'invalid', 'failed']),
          errorCode: z.string().nullable(),
        }),
      ),
    }),
    audited: true,
  }),
  'audit.verify': op({
    access: 'administrator',
    input: empty,
    output: z.object({ ok: z.boolean(), entries: z.number().int(), brokenAtSeq: z.number().int().optional(), reason: z.string().optional() }),
    audited: true,
  }),

  'keystore.get': op({
    access: 'administrator',
    input: empty,
    output: z.object({ available: z.boolean(), backend: z.string().nullable(), enabled: z.boolean() }),
    audited: false,
  }),
  /** Keep a copy of the database key protected by Windows (DPAPI), so the app opens without a password. */
  'keystore.set': op({
    access: 'administrator',
    input: z.object({ enabled: z.boolean() }).strict(),
    output: ok,
    audited: true,
  }),

  'backup.create': op({
    access: 'administrator',
    input: z.object({ folder: z.string().trim().min(1, 'Enter the folder to save the backup in') }).strict(),
    output: z.object({ backupFolder: z.string() }),
    audited: true,
  }),

  ...staffOperations,
  ...credentialOperations,
  ...systemsOperations,
  ...walletOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Operations[N]['output']>;

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name);
}

// ---- Events pushed to the renderer ---------------------------------------------------------

export const events = {
  /** The session changed without the renderer asking: it locked after inactivity, say. */
  'session.changed': appStatusSchema,
  /** Effective settings changed (a machine file or policy was edited, or an administrator saved). */
  'settings.changed': z.object({}),
  /** A system's status check changed its result: the connections screen and home page show it. */
  'systems.healthChanged': z.object({}),
  ...walletEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** The shape of every answer through the door. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

// Configuration in layers: built-in defaults < the user's settings (in the store) < a machine-wide
// JSON file < Windows policy. Every layer is validated value by value: a bad value is reported and
// ignored, and an unreadable layer keeps its last good values.
import { readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { settingsSchema, type SettingName, type Settings } from '../api/contract.ts';

export const PRODUCT_NAME = 'Staff Passport Desktop';
export const MACHINE_CONFIG_ENV = 'STAFF_PASSPORT_CONFIG';

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  signInAttemptsBeforeDelay: 5,
  signInDelaySeconds: 30,
  issuerHost: 'localhost',
  // "{ods}" is replaced by the trust's ODS code in lower case, so trusts on one host differ.
  issuerPath: 'trusts/{ods}',
  issuerKeyType: 'Ed25519',
  lookUpDidsOnline: false,
  publicServerAddress: '127.0.0.1',
  publicServerPort: 8543,
  publicBaseUrl: '',
  publicServerTlsCertificateFile: '',
  publicServerTlsKeyFile: '',
  publicServerTlsPfxFile: '',
  publicServerTlsPfxPassword: '',
  offerExpiryMinutes: 10,
  txCodeLength: 6,
  walletRequestsPerMinute: 60,
  presentationRequestExpiryMinutes: 10,
  systemsCaBundleFile: '',
  systemsClientCertificateFile: '',
  systemsClientKeyFile: '',
  systemsProxyUrl: '',
  systemsNoProxy: '',
};

export type SettingSource = 'default' | 'user' | 'machine-file' | 'policy';

export interface EffectiveSettings {
  values: Settings;
  sources: Record<SettingName, SettingSource>;
  /** Settings an HR user cannot change here because IT set them (file or policy). */
  locked: SettingName[];
  problems: string[];
}

/** Where the machine-wide file is: %ProgramData% on Windows, an environment variable elsewhere. */
export function machineConfigPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  if (env[MACHINE_CONFIG_ENV]) return env[MACHINE_CONFIG_ENV]!;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', PRODUCT_NAME, 'config.json');
  return null;
}

/** Reads HKLM\SOFTWARE\Policies\<product> ManagedSettings (a JSON string) on Windows; null elsewhere. */
export function readWindowsPolicy(): Promise<string | null> {
  if (process.platform !== 'win32') return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile('reg.exe', ['query', `HKLM\\SOFTWARE\\Policies\\${PRODUCT_NAME}`, '/v', 'ManagedSettings'], { windowsHide: true }, (error, stdout) => {
      // A missing key is the normal case on unmanaged machines.
      if (error) return resolve(null);
      const match = /ManagedSettings\s+REG_(?:SZ|EXPAND_SZ)\s+(.*)$/m.exec(stdout);
      resolve(match?.[1]?.trim() ?? null);
    });
  });
}

const names = Object.keys(settingsSchema.shape) as SettingName[];

/** Validates one layer value by value; returns the good values and a sentence per bad one. */
export function validateLayer(raw: unknown, label: string): { values: Partial<Settings>; problems: string[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { values: {}, problems: [`${label} is not a JSON object, so it was ignored.`] };
  }
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const schema = settingsSchema.shape[key as SettingName];
    if (!schema) {
      problems.push(`${label}: "${key}" is not a setting, so it was ignored.`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(`${label}: "${key}" has a value that is not allowed (${parsed.error.issues[0]?.message ?? 'invalid'}), so it was ignored.`);
  }
  return { values: values as Partial<Settings>, problems };
}

export interface ConfigSources {
  machineFilePath: string | null;
  readPolicy: () => Promise<string | null>;
}

export class Configuration {
  private readonly sources: ConfigSources;
  private userLayer: Partial<Settings> = {};
  private machineLayer: Partial<Settings> = {};
  private policyLayer: Partial<Settings> = {};
  private machineProblems: string[] = [];
  private policyProblems: string[] = [];
  private machineFileStamp: string | null = null;
  private lastPolicyText: string | null = null;

  constructor(sources: ConfigSources) {
    this.sources = sources;
  }

  /** Re-reads the machine file (when it changed) and the policy. Returns true when anything changed. */
  async refresh(): Promise<boolean> {
    const before = JSON.stringify([this.machineLayer, this.policyLayer]);
    this.refreshMachineFile();
    await this.refreshPolicy();
    return before !== JSON.stringify([this.machineLayer, this.policyLayer]);
  }

  setUserLayer(raw: Record<string, unknown>): void {
    this.userLayer = validateLayer(raw, 'Saved settings').values;
  }

  effective(): EffectiveSettings {
    const values = { ...DEFAULT_SETTINGS };
    const sources = Object.fromEntries(names.map((name) => [name, 'default'])) as Record<SettingName, SettingSource>;
    const layers: Array<[SettingSource, Partial<Settings>]> = [
      ['user', this.userLayer],
      ['machine-file', this.machineLayer],
      ['policy', this.policyLayer],
    ];
    for (const [source, layer] of layers) {
      for (const name of names) {
        const value = layer[name];
        if (value !== undefined) {
          (values as Record<SettingName, unknown>)[name] = value;
          sources[name] = source;
        }
      }
    }
    const locked = names.filter((name) => sources[name] === 'machine-file' || sources[name] === 'policy');
    return { values, sources, locked, problems: [...this.machineProblems, ...this.policyProblems] };
  }

  private refreshMachineFile(): void {
    const path = this.sources.machineFilePath;
    if (!path) return;
    let stamp: string;
    try {
      const info = statSync(path);
      stamp = `${info.mtimeMs}:${info.size}`;
    } catch {
      // No file is the normal case: IT has not set anything.
      this.machineLayer = {};
      this.machineProblems = [];
      this.machineFileStamp = null;
      return;
    }
    if (stamp === this.machineFileStamp) return;
    this.machineFileStamp = stamp;
    const label = `The settings file ${path}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      // Keep the last good values: a half-saved file must not undo what IT set.
      this.machineProblems = [`${label} could not be read as JSON (${(error as Error).message}). The last good values are still in use.`];
      return;
    }
    const layer = validateLayer(raw, label);
    this.machineLayer = layer.values;
    this.machineProblems = layer.problems;
  }

  private async refreshPolicy(): Promise<void> {
    const text = await this.sources.readPolicy();
    if (text === this.lastPolicyText) return;
    this.lastPolicyText = text;
    if (text === null) {
      this.policyLayer = {};
      this.policyProblems = [];
      return;
    }
    const label = 'The Windows policy ManagedSettings';
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      this.policyProblems = [`${label} is not valid JSON (${(error as Error).message}). The last good values are still in use.`];
      return;
    }
    const layer = validateLayer(raw, label);
    this.policyLayer = layer.values;
    this.policyProblems = layer.problems;
  }
}

// The Electron shell's rules and the packaging settings, checked in plain Node: these run on every
// machine, Electron or not.
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { settingsSchema } from '../../main/api/contract.ts';
import config from '../../build/electron-builder.config.ts';
import { CONTENT_SECURITY_POLICY, isAppUrl, isExternalWebUrl, resolveRendererFile } from '../../electron/window-policy.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER = join(ROOT, 'dist', 'renderer');

test.describe('which file app:// serves', () => {
  test('files inside dist/renderer, with / meaning index.html', () => {
    expect(resolveRendererFile(RENDERER, '/')).toBe(join(RENDERER, 'index.html'));
    expect(resolveRendererFile(RENDERER, '/index.html')).toBe(join(RENDERER, 'index.html'));
    expect(resolveRendererFile(RENDERER, '/assets/index-abc123.js')).toBe(join(RENDERER, 'assets', 'index-abc123.js'));
    expect(resolveRendererFile(RENDERER, '/assets/a%20b.css')).toBe(join(RENDERER, 'assets', 'a b.css'));
  });

  test('nothing outside it, however the path is spelt', () => {
    for (const path of [
      '/../package.json',
      '/..%2F..%2Fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2F..%2F..%2Fpackage.json',
      '/..%5C..%5Cpackage.json',
      '/%2F%2Fetc/passwd/..%2F..%2F..%2F..',
      '/index.html%00.js',
      '/%E0%A4%A', // malformed escape
    ]) {
      const file = resolveRendererFile(RENDERER, path);
      if (file !== null) expect(file.startsWith(RENDERER + sep), `${path} -> ${file}`).toBe(true);
    }
    expect(resolveRendererFile(RENDERER, '/../package.json')).toBeNull();
    expect(resolveRendererFile(RENDERER, '/..%2F..%2Fpackage.json')).toBeNull();
    expect(resolveRendererFile(RENDERER, '/index.html%00.js')).toBeNull();
    expect(resolveRendererFile(RENDERER, '/%E0%A4%A')).toBeNull();
  });
});

test.describe('which URLs are ours, and which may open in the system browser', () => {
  test('only app://staff-passport is the app', () => {
    expect(isAppUrl('app://staff-passport/index.html#/sign-in')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///C:/index.html')).toBe(false);
    expect(isAppUrl('https://staff-passport/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  test('only http(s) without credentials opens outside', () => {
    expect(isExternalWebUrl('https://www.nhs.uk/')).toBe(true);
    expect(isExternalWebUrl('http://intranet.trust.nhs.uk/help')).toBe(true);
    expect(isExternalWebUrl('https://user:secret@example.org/')).toBe(false);
    expect(isExternalWebUrl('file:///C:/Windows/System32/calc.exe')).toBe(false);
    expect(isExternalWebUrl('ms-msdt:/id PCWDiagnostic')).toBe(false);
    expect(isExternalWebUrl('javascript:alert(1)')).toBe(false);
    expect(isExternalWebUrl('app://staff-passport/')).toBe(false);
  });

  test('the CSP allows nothing but our own origin', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((directive): [string, string] => {
        const [name = '', ...sources] = directive.split(' ');
        return [name, sources.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'font-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:/);
  });
});

test.describe('packaging', () => {
  test('every fuse is stated, and each one locks the app down', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  test('a per-machine MSI for Windows x64 with a fixed upgrade code', () => {
    expect(config.win?.target).toEqual([{ target: 'msi', arch: ['x64'] }]);
    expect(config.msi).toMatchObject({ perMachine: true, oneClick: false, runAfterFinish: false });
    expect(config.msi?.upgradeCode).toBe('2F409492-05B0-49FC-909D-DAD6B1D5F1BF');
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**/*', 'dist/renderer/**/*']));
  });

  test('the managed-config schema matches the settings the app accepts', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'build', 'managed-config.schema.json'), 'utf8')) as {
      type: string;
      additionalProperties: boolean;
      properties: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    const fromContract = z.toJSONSchema(settingsSchema) as { properties: Record<string, Record<string, unknown>> };
    expect(file.type).toBe('object');
    expect(file.additionalProperties).toBe(false);
    // Every key is optional in a managed file: IT sets only what it wants to lock.
    expect(file.required ?? []).toEqual([]);
    expect(Object.keys(file.properties).sort()).toEqual(Object.keys(fromContract.properties).sort());
    for (const [name, rule] of Object.entries(fromContract.properties)) {
      // Descriptions are for IT staff reading the file; the rules themselves must match exactly.
      const shape = Object.fromEntries(Object.entries(file.properties[name] ?? {}).filter(([key]) => key !== 'description'));
      expect(shape, name).toEqual(rule);
    }
  });
});

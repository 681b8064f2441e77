// Configuration layers: defaults < user settings < machine file < Windows policy.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, refused, removeDir, setUpTrust, signInAdmin, startApp, tempDir } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { Configuration, machineConfigPath } from '../../main/platform/config.ts';

describe('configuration', () => {
  let dir: string;
  let file: string;
  let policy: string | null;
  let app: StaffPassportApp;

  beforeEach(async () => {
    dir = tempDir();
    file = join(dir, 'machine-config.json');
    policy = null;
    app = await startApp(join(dir, 'data'), { configSources: { machineFilePath: file, readPolicy: async () => policy } });
    await setUpTrust(app);
    await signInAdmin(app);
  });
  afterEach(async () => {
    await app.close();
    removeDir(dir);
  });

  it('layers defaults, user settings, the machine file and policy, and locks what IT set', async () => {
    expect((await call(app, 'settings.get', {})).values.autoLockMinutes).toBe(15);
    await call(app, 'settings.update', { autoLockMinutes: 20, signInDelaySeconds: 60 });
    let settings = await call(app, 'settings.get', {});
    expect(settings.values).toMatchObject({ autoLockMinutes: 20, signInDelaySeconds: 60 });
    expect(settings.sources).toMatchObject({ autoLockMinutes: 'user', signInAttemptsBeforeDelay: 'default' });
    expect(settings.locked).toEqual([]);

    writeFileSync(file, JSON.stringify({ autoLockMinutes: 10 }));
    settings = await call(app, 'settings.get', {});
    expect(settings.values.autoLockMinutes).toBe(10);
    expect(settings.sources.autoLockMinutes).toBe('machine-file');
    expect(settings.locked).toEqual(['autoLockMinutes']);

    policy = JSON.stringify({ autoLockMinutes: 5 });
    settings = await call(app, 'settings.get', {});
    expect(settings.values.autoLockMinutes).toBe(5);
    expect(settings.sources.autoLockMinutes).toBe('policy');

    const error = await refused(app, 'settings.update', { autoLockMinutes: 30 });
    expect(error.code).toBe('forbidden');
    expect(error.fields).toEqual([{ field: 'autoLockMinutes', message: 'Set by your IT team' }]);
    // Unlocked settings are still the user's to change.
    await call(app, 'settings.update', { signInDelaySeconds: 90 });
    expect((await call(app, 'settings.get', {})).values.signInDelaySeconds).toBe(90);
  });

  it('reports and ignores a bad value, keeping the good ones', async () => {
    writeFileSync(file, JSON.stringify({ autoLockMinutes: 0, signInDelaySeconds: 45, colour: 'blue' }));
    const settings = await call(app, 'settings.get', {});
    expect(settings.values).toMatchObject({ autoLockMinutes: 15, signInDelaySeconds: 45 });
    expect(settings.problems).toHaveLength(2);
    expect(settings.problems.join(' ')).toMatch(/"autoLockMinutes" has a value that is not allowed/);
    expect(settings.problems.join(' ')).toMatch(/"colour" is not a setting/);
  });

  it('keeps the last good values when the file becomes unreadable', async () => {
    writeFileSync(file, JSON.stringify({ autoLockMinutes: 7 }));
    expect((await call(app, 'settings.get', {})).values.autoLockMinutes).toBe(7);
    writeFileSync(file, '{ "autoLockMinutes": 3,'); // half-saved
    const settings = await call(app, 'settings.get', {});
    expect(settings.values.autoLockMinutes).toBe(7);
    expect(settings.problems[0]).toMatch(/could not be read as JSON.*last good values/);
  });

  it('refuses invalid values from the screens, changing nothing', async () => {
    const error = await refused(app, 'settings.update', { autoLockMinutes: 100000 });
    expect(error.code).toBe('invalid-input');
    expect((await refused(app, 'settings.update', { notASetting: 1 })).code).toBe('invalid-input');
    expect((await call(app, 'settings.get', {})).values.autoLockMinutes).toBe(15);
  });

  it('finds the machine file in ProgramData on Windows and through an environment variable elsewhere', () => {
    expect(machineConfigPath({ ProgramData: 'D:\\ProgramData' }, 'win32')).toBe(join('D:\\ProgramData', 'Staff Passport Desktop', 'config.json'));
    expect(machineConfigPath({ STAFF_PASSPORT_CONFIG: '/etc/dsp.json' }, 'linux')).toBe('/etc/dsp.json');
    expect(machineConfigPath({}, 'linux')).toBeNull();
  });

  it('ignores policy that is not JSON, keeping the last good policy', async () => {
    let text: string | null = JSON.stringify({ signInAttemptsBeforeDelay: 4 });
    const config = new Configuration({ machineFilePath: null, readPolicy: async () => text });
    await config.refresh();
    expect(config.effective().values.signInAttemptsBeforeDelay).toBe(4);
    text = 'not json';
    await config.refresh();
    expect(config.effective().values.signInAttemptsBeforeDelay).toBe(4);
    expect(config.effective().problems[0]).toMatch(/Windows policy/);
  });
});

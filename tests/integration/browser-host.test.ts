// Browser mode's door: the same dispatcher over HTTP, only with this run's token and origin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { removeDir, setUpTrust, startApp, tempDir, ADMIN } from '../support/app.ts';
import type { StaffPassportApp } from '../../main/app.ts';
import { startBrowserHost, type BrowserHost } from '../../main/api/browser-host.ts';

function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode host', () => {
  let dir: string;
  let app: StaffPassportApp;
  let host: BrowserHost;
  let base: string;

  beforeEach(async () => {
    dir = tempDir();
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Staff Passport</title>');
    app = await startApp(join(dir, 'data'));
    host = await startBrowserHost(app, { port: 0, rendererDir });
    base = `http://127.0.0.1:${host.port}`;
  });
  afterEach(async () => {
    await host.close();
    await app.close();
    removeDir(dir);
  });

  const post = (op: string, body: unknown, headers: Record<string, string> = {}) =>
    raw(`${base}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers }, body: JSON.stringify(body) });

  it('prints a URL with the token, swaps it for a cookie, and serves the renderer with a strict CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
    const exchange = await raw(host.url, {});
    expect(exchange.status).toBe(303);
    const cookie = String(exchange.headers['set-cookie']).split(';')[0]!;
    expect(String(exchange.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await raw(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const status = await raw(`${base}/api/app.status`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(JSON.parse(status.body)).toMatchObject({ ok: true, value: { state: 'needs-setup' } });
  });

  it('serves nothing outside the renderer folder', async () => {
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
    const auth = { authorization: `Bearer ${host.token}` };
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/index.html%00.txt']) {
      const response = await raw(`${base}${path}`, { headers: auth });
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain('not for the browser');
    }
  });

  it('refuses requests without the token, with a wrong token, from another origin or host', async () => {
    expect((await raw(`${base}/`, {})).status).toBe(401);
    expect((await raw(`${base}/?token=wrong`, {})).status).toBe(401);
    expect((await post('app.status', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post('app.status', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('app.status', {}, { host: 'evil.example' })).status).toBe(421);
    expect((await post('app.status', {}, { origin: base })).status).toBe(200);
  });

  it('answers bad input with typed errors and changes nothing', async () => {
    const unknown = await post('no.such.operation', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('unknown-operation');
    const badJson = await raw(`${base}/api/app.status`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: '{oops' });
    expect(badJson.status).toBe(400);
    const invalid = await post('setup.start', { odsCode: '!' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.fields.length).toBeGreaterThan(1);
    expect(JSON.parse((await post('app.status', {})).body).value.state).toBe('needs-setup');
  });

  it('streams events pushed by the core', async () => {
    await setUpTrust(app);
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      const req = request(`${base}/api/events`, { headers: { authorization: `Bearer ${host.token}` } }, (res) => {
        res.on('data', (chunk: Buffer) => {
          events.push(chunk.toString());
          if (events.join('').includes('event: settings.changed')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await post('session.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
    await post('settings.update', { autoLockMinutes: 20 });
    await done;
    expect(events.join('')).toContain('data: {}');
  });
});

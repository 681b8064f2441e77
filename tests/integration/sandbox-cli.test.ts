// npm run sandbox as people use it: it starts, prints where everything is, takes --faults and the
// events options, hands out a token for the test client (the `token` command), and stops on SIGTERM.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CLI = join(import.meta.dirname, '../sandbox/cli.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function startCli(args: string[]): Promise<{ child: ChildProcess; output: () => string; ready: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The CLI did not start: ${output}${errors}`)), 60_000);
    const check = () => {
      if (output.includes('Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output: () => output, ready: output });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`The CLI exited (${code}): ${output}${errors}`)));
  });
}

describe('npm run sandbox', () => {
  it('prints the systems, organisations and test client, serves with --faults, gives a token, and stops on SIGTERM', { timeout: 90_000 }, async () => {
    const { child, output, ready } = await startCli(['--port', '0', '--size', '300', '--seed', '3', '--faults', '{"kind":"statusFail","system":"esr","note":"Down for the test"}', '--events-to', 'http://127.0.0.1:9/events', '--events-apikey', 'k']);
    const url = /DSP sandbox at (http:\/\/127\.0\.0\.1:\d+)/.exec(ready)![1]!;
    for (const system of ['esr', 'learning', 'recruitment', 'occupational-health']) expect(ready).toContain(`${url}/${system}/dsp-api`);
    expect(ready).toMatch(/RHQ\s+Sheffield Teaching Hospitals/);
    expect(ready).toMatch(/RCB\s+York and Scarborough/);
    expect(ready).toContain('sandbox-test-client');
    expect(ready).toContain(`${url}/oauth2/token`);
    const keyFile = /key file\s+(\S+)/.exec(ready)![1]!;
    expect(existsSync(keyFile)).toBe(true);
    expect(ready).toContain('Events go to http://127.0.0.1:9/events');

    const esr = (await (await fetch(`${url}/esr/dsp-api/organisations/RHQ/_status`)).json()) as { status: string; notes: string[] };
    expect(esr).toMatchObject({ status: 'fail', notes: ['Down for the test'] });
    expect(await (await fetch(`${url}/learning/dsp-api/organisations/RHQ/_status`)).json()).toEqual({ status: 'pass' });

    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'token', '--url', url]);
    const token = stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const search = await fetch(`${url}/esr/dsp-api/organisations/RHQ/employees?surname=smith`, { headers: { authorization: `Bearer ${token}` } });
    expect(search.status).toBe(200);
    // The request log line is printed once the answer has gone.
    const logged = /GET \/esr\/dsp-api\/organisations\/RHQ\/employees 200 \d+ ms/;
    for (let waited = 0; !logged.test(output()) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output()).toMatch(logged);

    const { stdout: assertion } = await promisify(execFile)(process.execPath, [CLI, 'assertion', '--url', url]);
    const viaForm = await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion.trim() }) });
    expect(viaForm.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/esr/dsp-api/organisations/RHQ/_status`)).rejects.toThrow();
  });

  it('refuses bad options with a usage message', { timeout: 60_000 }, async () => {
    for (const args of [['--port', 'abc'], ['--faults', '{"kind":"explode"}'], ['--events-to', 'http://x/events']]) {
      const result = await promisify(execFile)(process.execPath, [CLI, ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain('Usage:');
    }
  });
});

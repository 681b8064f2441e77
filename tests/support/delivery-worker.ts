// Runs the delivery outbox against the sandbox learning system until it is killed, or until nothing
// due remains. Used by the kill test: the parent kills it with SIGKILL at random moments, or at a
// moment it asks for (the worker then stops there and waits to be killed), and reads its markers:
//   loaded                 modules loaded and schemas compiled; waiting for "go <pauseAt or null>"
//                          on stdin (the parent starts the next worker while this one runs, so
//                          that loading, the slow part, overlaps the life before it)
//   ready                  the store is open; delivering starts now
//   posting <n>            a record is marked sending (committed) and about to be posted
//   posted <n> <outcome>   the system answered; the outcome is not yet committed
//   paused <marker>        stopped at the moment asked for, waiting to be killed
//   done <summary>         nothing due remains
// <n> is the record's competency name, which the kill test makes unique per record.
import { readFileSync } from 'node:fs';
import { openStore } from '../../main/platform/store.ts';
import { silentLogger } from '../../main/platform/log.ts';
import { DspClient } from '../../main/systems/client/index.ts';
import { DeliveryOutbox, type RecordSender } from '../../main/systems/deliveries.ts';
import { dspStandard } from '../../main/systems/dsp-schema.ts';
import type { EmployeeRecordPost } from '../../main/systems/dsp-types.ts';

export interface WorkerOptions {
  filename: string;
  keyHex: string;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  keyFile: string;
  concurrency: number;
}

/** Stop (and wait to be killed) at the count-th marker of this kind. */
export type PauseAt = { marker: 'posting' | 'posted'; count: number } | null;

const options = JSON.parse(process.argv[2]!) as WorkerOptions;
const say = (line: string) => process.stdout.write(`${line}\n`);

// What the first post would otherwise spend compiling: the standard's schemas.
dspStandard().checkRequest('add-employee-record', {});
dspStandard().checkResponse('add-employee-record', 201, {});
say('loaded');
const pauseAt = await new Promise<PauseAt>((resolve) => {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    const line = /^go (.*)\n/.exec(input);
    if (line) {
      process.stdin.destroy();
      resolve(JSON.parse(line[1]!) as PauseAt);
    }
  });
});

const store = await openStore({ filename: options.filename, key: Buffer.from(options.keyHex, 'hex'), mustExist: true });
const privateJwk = JSON.parse(readFileSync(options.keyFile, 'utf8')) as { kid: string; kty: string; crv: string; d: string };
const client = new DspClient({
  connection: {
    name: 'the learning management system',
    kind: 'learning',
    baseUrl: options.baseUrl,
    organisation: 'RHQ',
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    signingKey: { kid: privateJwk.kid, privateKey: privateJwk, alg: 'ES256' },
  },
  transport: { timeoutMs: 10_000 },
  retry: { attempts: 1 },
});

const seen = { posting: 0, posted: 0 };
async function marker(kind: 'posting' | 'posted', line: string): Promise<void> {
  say(line);
  seen[kind] += 1;
  if (pauseAt?.marker === kind && pauseAt.count === seen[kind]) {
    say(`paused ${kind}`);
    // Keeps the process alive with this record held exactly here until the parent kills it.
    setInterval(() => undefined, 1000);
    await new Promise(() => undefined);
  }
}

const sender: RecordSender = {
  async addRecord(employeeId: string, record: EmployeeRecordPost) {
    const name = record.recordType === 'CoreSkillsTraining' ? record.competencyName : record.recordType;
    await marker('posting', `posting ${name}`);
    const result = await client.addRecord(employeeId, record);
    await marker('posted', `posted ${name} ${result.outcome}`);
    return result;
  },
};

const outbox = new DeliveryOutbox({ knex: () => store.knex, now: () => new Date(), log: silentLogger, clientFor: async () => sender, concurrency: options.concurrency });
say('ready');
const summary = await outbox.deliver();
say(`done ${JSON.stringify(summary)}`);
client.close();
await store.close();

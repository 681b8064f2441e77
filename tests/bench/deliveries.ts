// Benchmark cases for the delivery outbox: 1,000 queued core skills delivered to the sandbox
// learning system through the outbox (encrypted store, real DSP client, commits before and after
// each post), beside a plain axios loop posting records of the same shape with one token, in the
// same run. Rounds of 250 alternate between them so that both see the same machine. The sandbox
// answers in the same process at once, the outbox's worst case (its commits are all there is to
// see); a third case gives the system 20 ms per answer, as across a network.
import { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { openStore } from '../../main/platform/store.ts';
import { silentLogger } from '../../main/platform/log.ts';
import { DspClient } from '../../main/systems/client/index.ts';
import { DeliveryOutbox, type NewDelivery } from '../../main/systems/deliveries.ts';
import type { CoreSkillsTraining } from '../../main/systems/dsp-types.ts';
import { insertLearningConnection } from '../support/systems.ts';
import { startSandbox } from '../sandbox/server.ts';
import { requestAccessToken } from '../sandbox/oauth.ts';
import { timeMs, type BenchCase } from './measure.ts';

const RECORDS = 1000;
const ROUND = 250;
const LATENCY_MS = 20;
const CONNECTION_ID = 'bench-lms';

function skill(name: string): CoreSkillsTraining {
  return { recordType: 'CoreSkillsTraining', competencyFramework: 'CSTF', subjectName: 'Fire Safety', competencyName: name, subjectLevel: '1', attainmentStatus: 'ACHIEVED', awardingOrganisation: 'RHQ', dateLastAwarded: '2026-10-01' };
}

export async function benchDeliveries(dir: string): Promise<BenchCase[]> {
  const sandbox = await startSandbox({ port: 0, seed: 11, size: 2000 });
  const store = await openStore({ filename: join(dir, 'deliveries.db'), key: randomBytes(32), mustExist: false });
  const privateJwk = JSON.parse(readFileSync(sandbox.testClient.keyFile, 'utf8')) as { kid: string; kty: string; crv: string; d: string };
  const clients: DspClient[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  try {
    await insertLearningConnection(store.knex, {
      id: CONNECTION_ID,
      name: 'Sandbox learning',
      baseUrl: sandbox.systems.learning.baseUrl,
      tokenUrl: sandbox.testClient.tokenUrl,
      clientId: sandbox.testClient.clientId,
      keyId: privateJwk.kid,
    });
    const learners = sandbox.population.people.filter((person) => person.organisation === 'RHQ' && person.systems.learning && !person.systems.learning.leaver).map((person) => person.systems.learning!.id);
    // Distinct names per path and record, so that every post creates a record (none is a duplicate).
    let serial = 0;
    const batch = (path: string, size: number) =>
      Array.from({ length: size }, () => {
        const n = serial++;
        return { employeeId: learners[n % learners.length]!, record: skill(`Bench ${path} ${n}`) };
      });

    const outboxOf = (concurrency: number) => {
      const client = new DspClient({
        connection: { name: 'the learning management system', kind: 'learning', baseUrl: sandbox.systems.learning.baseUrl, organisation: 'RHQ', tokenUrl: sandbox.testClient.tokenUrl, clientId: sandbox.testClient.clientId, signingKey: { kid: privateJwk.kid, privateKey: privateJwk, alg: 'ES256' } },
      });
      clients.push(client);
      return new DeliveryOutbox({ knex: () => store.knex, now: () => new Date(), log: silentLogger, clientFor: async () => client, concurrency });
    };
    /** Queues a round (not timed: queueing belongs to accepting), then times delivering it. */
    const outboxRound = async (outbox: DeliveryOutbox, path: string): Promise<number> => {
      const items: NewDelivery[] = batch(path, ROUND).map(({ employeeId, record }) => ({ connectionId: CONNECTION_ID, passportId: null, employeeId, record, createdBy: null }));
      await store.knex.transaction((trx) => DeliveryOutbox.enqueue(trx, items, new Date().toISOString()));
      let delivered = 0;
      const ms = await timeMs(async () => {
        const summary = await outbox.deliver();
        delivered = summary.delivered;
      });
      if (delivered !== ROUND) throw new Error(`the outbox delivered ${delivered} of ${ROUND}`);
      return ms;
    };

    const token = await requestAccessToken({ clientId: sandbox.testClient.clientId, tokenUrl: sandbox.testClient.tokenUrl, privateJwk });
    const http = axios.create({ httpAgent: agent, headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json' }, timeout: 30_000 });
    const recordsUrl = (employeeId: string) => `${sandbox.systems.learning.baseUrl}/organisations/RHQ/employees/${encodeURIComponent(employeeId)}/records`;
    const axiosRound = async (): Promise<number> => {
      const items = batch('axios', ROUND);
      return timeMs(async () => {
        for (const { employeeId, record } of items) {
          const response = await http.post(recordsUrl(employeeId), record);
          if (response.status !== 201) throw new Error(`the sandbox answered ${response.status}`);
        }
      });
    };

    const parallel = outboxOf(6);
    const serialOutbox = outboxOf(1);
    // Warm both paths (JIT, token, schemas, sockets) before timing.
    await outboxRound(parallel, 'warm');
    await outboxRound(serialOutbox, 'warm');
    await axiosRound();

    const times = { parallel: 0, serial: 0, axios: 0 };
    for (let round = 0; round < RECORDS / ROUND; round++) {
      times.parallel += await outboxRound(parallel, 'outbox');
      times.axios += await axiosRound();
      times.serial += await outboxRound(serialOutbox, 'outbox-serial');
    }
    // With a system that takes 20 ms to answer each post, as a real one across a network does.
    const latency = sandbox.faults.add({ kind: 'latency', ms: LATENCY_MS, system: 'learning', operation: 'add-employee-record' });
    const slow = { parallel: await outboxRound(parallel, 'outbox-latency'), axios: await axiosRound() };
    sandbox.faults.remove(latency);

    const baseline = { name: `plain axios loop, one post at a time, token fetched once (${RECORDS.toLocaleString('en-GB')} records)`, value: times.axios };
    return [
      { name: `deliver ${RECORDS.toLocaleString('en-GB')} queued core skills to the sandbox LMS through the outbox (6 in flight; SQLCipher commits before and after each post; real DSP client)`, value: times.parallel, unit: 'ms', baseline, ratio: times.parallel / times.axios },
      { name: `deliver ${RECORDS.toLocaleString('en-GB')} queued core skills through the outbox, one in flight (per-record overhead)`, value: times.serial, unit: 'ms', baseline, ratio: times.serial / times.axios },
      {
        name: `deliver ${ROUND} queued core skills through the outbox (6 in flight) to a sandbox LMS that takes ${LATENCY_MS} ms to answer`,
        value: slow.parallel,
        unit: 'ms',
        baseline: { name: `plain axios loop, one post at a time (${ROUND} records)`, value: slow.axios },
        ratio: slow.parallel / slow.axios,
      },
    ];
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
    await store.close();
    await sandbox.close();
  }
}

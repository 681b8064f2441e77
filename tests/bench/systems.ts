// Benchmark cases for the authoritative systems (issue 4): ranked candidates for one person against
// the 30,000-person sandbox (search round trips plus scoring), matching quality on a labelled set,
// and events accepted per second by the public server, each beside its baseline in the same run.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { DspClient } from '../../main/systems/client/index.ts';
import { rankCandidates } from '../../main/matching/rank.ts';
import { searchPlan } from '../../main/matching/searches.ts';
import type { MatchSubject } from '../../main/matching/types.ts';
import type { EmployeePersonalDetails } from '../../main/systems/dsp-types.ts';
import { generatePopulation } from '../sandbox/population.ts';
import { buildEvent, deliverEvent } from '../sandbox/events.ts';
import { startSandbox, type Sandbox, type SandboxSystem } from '../sandbox/server.ts';
import type { Person, Population } from '../sandbox/model.ts';
import { buildMatchingSet, type PassportQuery } from '../sandbox/matching-set.ts';
import { setUpTrust, signInAdmin, startApp } from '../support/app.ts';
import { connectToSandbox } from '../support/systems.ts';
import type { BenchCase } from './measure.ts';

const SEARCHES_AT_ONCE = 4;

/** A client of one sandbox system as the documented test client. */
export function testClient(sandbox: Sandbox, system: SandboxSystem): DspClient {
  const privateJwk = JSON.parse(readFileSync(sandbox.testClient.keyFile, 'utf8')) as JWK & { kid: string };
  return new DspClient({
    connection: {
      name: sandbox.systems[system].name,
      kind: system,
      baseUrl: sandbox.systems[system].baseUrl,
      organisation: 'RHQ',
      tokenUrl: sandbox.testClient.tokenUrl,
      clientId: sandbox.testClient.clientId,
      signingKey: { kid: privateJwk.kid, privateKey: privateJwk, alg: 'ES256' },
    },
  });
}

/** What the app does for "connect by search": the plan's searches, four at a time, then ranking. */
export async function rankedCandidates(client: DspClient, subject: MatchSubject): Promise<{ found: EmployeePersonalDetails[]; ranked: ReturnType<typeof rankCandidates> }> {
  const plan = searchPlan(subject);
  const found: EmployeePersonalDetails[] = [];
  for (let i = 0; i < plan.length; i += SEARCHES_AT_ONCE) {
    for (const answer of await Promise.all(plan.slice(i, i + SEARCHES_AT_ONCE).map((parameters) => client.search(parameters)))) found.push(...answer);
  }
  return { found, ranked: rankCandidates(subject, found) };
}

const subjectOf = (person: Person | PassportQuery): MatchSubject => ({
  firstName: person.legalFirstName,
  middleNames: person.middleNames,
  surname: person.surname,
  previousSurname: person.previousSurname,
  knownAs: person.knownAs,
  birthDate: person.birthDate,
  email: person.email,
});

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function benchRankedCandidates(sandbox: Sandbox, population: Population): Promise<BenchCase[]> {
  const client = testClient(sandbox, 'learning');
  const people = population.people.filter((person) => person.organisation === 'RHQ' && person.systems.learning).filter((_, i) => i % 97 === 0).slice(0, 150);
  await rankedCandidates(client, subjectOf(people[0]!)); // token and warm-up
  const whole: number[] = [];
  const scoring: number[] = [];
  for (const person of people) {
    const start = performance.now();
    const { found } = await rankedCandidates(client, subjectOf(person));
    whole.push(performance.now() - start);
    const scoreStart = performance.now();
    rankCandidates(subjectOf(person), found);
    scoring.push(performance.now() - scoreStart);
  }
  const median = percentile(whole, 0.5);
  const scoringMedian = percentile(scoring, 0.5);
  return [
    {
      name: `ranked candidates for one person against the ${population.size.toLocaleString('en-GB')}-person sandbox (every search of the plan over HTTP, then scoring); median of ${people.length}, p95 ${percentile(whole, 0.95).toFixed(1)} ms`,
      value: median,
      unit: 'ms',
      baseline: { name: 'scoring alone, same candidates', value: scoringMedian },
      ratio: median / scoringMedian,
    },
  ];
}

/**
 * Matching quality on a labelled set: people from the sandbox population as HR's passports would
 * have them, with realistic slips (typos, swapped names, married names, nicknames, transposed
 * dates...), searched and ranked exactly as the app does. Top-1: the true record ranked first.
 */
async function benchMatchingQuality(sandbox: Sandbox, population: Population): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  for (const system of ['learning', 'occupational-health'] as const) {
    const client = testClient(sandbox, system);
    const set = buildMatchingSet(population, { seed: 42, count: 3000, system }).filter((entry) => entry.expectedId !== null && population.people[entry.personKey]!.organisation === 'RHQ');
    let first = 0;
    let missing = 0;
    for (const entry of set) {
      const { ranked } = await rankedCandidates(client, subjectOf(entry.query));
      if (!ranked.some((candidate) => candidate.candidate.id === entry.expectedId)) missing++;
      else if (ranked[0]!.candidate.id === entry.expectedId) first++;
    }
    const accuracy = (100 * first) / set.length;
    cases.push({
      name: `matching quality in the ${system} system: top-1 accuracy over ${set.length} labelled passports with realistic slips (true record missing from the candidates: ${missing}, ${((100 * missing) / set.length).toFixed(2)}%)`,
      value: accuracy,
      unit: '%',
      goal: '>= 99%',
      met: accuracy >= 99,
    });
  }
  return cases;
}

async function benchEvents(dir: string, sandbox: Sandbox, population: Population): Promise<BenchCase[]> {
  const app = await startApp(dir);
  await setUpTrust(app);
  await signInAdmin(app);
  const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  const learning = await connectToSandbox(app, sandbox, 'learning');
  const employees = population.people.filter((person) => person.organisation === 'RHQ' && person.systems.learning).map((person) => person.systems.learning!.id);
  const events = (count: number) =>
    Array.from({ length: count }, (_, i) => buildEvent(sandbox.systems.learning.baseUrl, { system: 'learning', organisation: 'RHQ', employeeId: employees[i % employees.length]!, type: 'employee-elearning-completed' }, new Date()));
  const COUNT = 2000;
  const CONCURRENCY = 16;
  const send = async (url: string, list: ReturnType<typeof events>) => {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < list.length) {
          const delivery = await deliverEvent(list[next++]!, url, learning.eventsApiKey);
          if (delivery.status !== 200) throw new Error(`event refused: ${delivery.status} ${JSON.stringify(delivery.body)}`);
        }
      }),
    );
    return (list.length / (performance.now() - start)) * 1000;
  };

  // The baseline: a bare node:http server that reads the body, parses it and answers 200.
  const bare = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/events`;
  try {
    await send(bareUrl, events(200));
    const baseline = await send(bareUrl, events(COUNT));
    const accepted = await send(`http://127.0.0.1:${bound.port}/events`, events(COUNT));
    return [
      {
        name: `events accepted per second by POST /events (apikey, CloudEvents checks, dataref check, stored before 200), ${COUNT} events, ${CONCURRENCY} senders`,
        value: accepted,
        unit: 'events/s',
        baseline: { name: 'a bare node:http server parsing the JSON and answering 200', value: baseline },
        ratio: baseline / accepted,
      },
    ];
  } finally {
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await app.close();
  }
}

export async function benchSystems(dir: string): Promise<BenchCase[]> {
  const population = generatePopulation({ seed: 1, size: 30_000 });
  const sandbox = await startSandbox({ population });
  try {
    return [...(await benchRankedCandidates(sandbox, population)), ...(await benchMatchingQuality(sandbox, population)), ...(await benchEvents(dir, sandbox, population))];
  } finally {
    await sandbox.close();
  }
}

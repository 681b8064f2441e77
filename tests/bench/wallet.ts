// Benchmark cases for the wallet protocols, each beside its baseline in the same run:
// - one issuance as the server does it (token, nonce, credential request with its proof checked,
//   signing, recording), the server's own time with the wallet in a worker thread, beside raw jose
//   verifying one proof and signing one credential, and beside a bare server doing only the
//   essentials on the same store (the floor any server with durable commits stands on);
// - verifying a presentation of 30 credentials with caches warm, beside raw jose checking the
//   same 31 signatures;
// - 50 test wallets collecting at once through the OpenWallet Foundation client.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { SignJWT, compactVerify, decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createApp, type StaffPassportApp } from '../../main/app.ts';
import { silentLogger } from '../../main/platform/log.ts';
import type { InputOf, OperationName, OutputOf } from '../../main/api/contract.ts';
import { coreSkillRequest } from '../support/credentials.ts';
import { identityCheck, person } from '../support/staff.ts';
import { TestWallet } from '../wallet/wallet.ts';
import { median, timeMs, type BenchCase } from './measure.ts';
import type { IssuanceClientData, IssuanceJob } from './issuance-client.ts';
import { startFloorServer } from './issuance-floor.ts';

const ISSUANCES = 200;
const PRESENTATION_SIZE = 30;
const VERIFICATIONS = 50;
const WALLETS = 50;

async function call<N extends OperationName>(app: StaffPassportApp, op: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await app.dispatch(op, input);
  if (!result.ok) throw new Error(`${op}: ${result.error.message}`);
  return result.value as OutputOf<N>;
}

async function holder() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, privateJwk: await exportJWK(privateKey), jwk, did: `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}` };
}

/**
 * Runs the issuances from a wallet in a worker thread and returns each one's time inside the server
 * at `base` (token + nonce + credential, each from its request arriving to its answer sent), read from
 * node:http's diagnostics channels, so that the wallet's own work is not counted.
 */
async function serverSideIssuances(base: string, jobs: IssuanceJob[]): Promise<number[]> {
  const port = Number(new URL(base).port);
  // The requests the server at `base` answers (diagnostics channels are per thread: the wallet's own fetches are not seen).
  const ours = (server: Server) => (server.address() as AddressInfo | null)?.port === port;
  const started = new WeakMap<object, bigint>();
  const spent: number[] = [];
  const onStart = (message: unknown) => {
    const { server, response } = message as { server: Server; response: object };
    if (ours(server)) started.set(response, process.hrtime.bigint());
  };
  const onFinish = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: object };
    const start = started.get(response);
    if (start === undefined) return;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // Each issuance begins with its token request.
    if (request.url === '/oid4vci/token') spent.push(ms);
    else spent[spent.length - 1]! += ms;
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);
  try {
    const worker = new Worker(new URL('./issuance-client.ts', import.meta.url), { workerData: { base, configurationId: 'NHSIdentityCredential', jobs } satisfies IssuanceClientData });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the wallet worker stopped with ${code}`))));
    });
  } finally {
    diagnostics.unsubscribe('http.server.request.start', onStart);
    diagnostics.unsubscribe('http.server.response.finish', onFinish);
  }
  if (spent.length !== jobs.length) throw new Error(`expected ${jobs.length} issuances, saw ${spent.length}`);
  return spent;
}

export async function benchWallet(dir: string): Promise<BenchCase[]> {
  const app = await createApp({ dataDir: join(dir, 'wallet'), log: silentLogger, lockCheckMs: 0, systemsCheckMs: 0, configSources: { machineFilePath: null, readPolicy: async () => JSON.stringify({ txCodeLength: 0, walletRequestsPerMinute: 100_000 }) }, sender: { name: 'bench', send: async () => undefined } });
  const bound = await app.startPublicServer({ address: '127.0.0.1', port: 0 });
  const base = `http://localhost:${bound.port}`;
  const results: BenchCase[] = [];
  try {
    await call(app, 'setup.start', { odsCode: 'RHQ', trustName: 'Sheffield Teaching Hospitals NHS Foundation Trust', adminName: 'Bench Admin', adminEmail: 'bench.admin@nhs.net', password: 'bench lantern orchard river', confirmPassword: 'bench lantern orchard river' });
    await call(app, 'setup.finish', { recoveryCodeStored: true });
    await call(app, 'session.signIn', { email: 'bench.admin@nhs.net', password: 'bench lantern orchard river' });

    // Passports with their identity confirmed, one per offer; offers of the access key alone, so one credential each.
    const passports: string[] = [];
    for (let n = 0; n < ISSUANCES + WALLETS + 5; n++) {
      const p = person(n);
      const { passportId } = await call(app, 'staff.invite', { profile: p });
      await call(app, 'staff.confirmIdentity', { passportId, version: 1, identity: identityCheck(p) });
      passports.push(passportId);
    }
    const offerFor = async (passportId: string) => {
      const offer = await call(app, 'wallet.offerIdentity', { passportId });
      const reference = decodeURIComponent(offer.offerUri!.split('credential_offer_uri=')[1]!);
      const object = (await (await fetch(reference)).json()) as { grants: Record<string, { 'pre-authorized_code': string }> };
      return object.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'];
    };

    // ---- One issuance, the server's own time, beside raw jose and beside a bare server's floor ----
    const signer = await app.credentials.identity.signingKey();
    const trustKey = await app.credentials.identity.privateKey(signer.kid);
    const jobs: IssuanceJob[] = [];
    const holders: Array<Awaited<ReturnType<typeof holder>>> = [];
    for (let n = 0; n < ISSUANCES; n++) {
      const wallet = await holder();
      holders.push(wallet);
      jobs.push({ code: await offerFor(passports[n]!), privateJwk: wallet.privateJwk, did: wallet.did });
    }
    const server = await serverSideIssuances(base, jobs);
    const floorCodes = jobs.map(() => randomBytes(32).toString('base64url'));
    const floor = await startFloorServer(app.vault.open.store.knex, floorCodes, { privateKey: trustKey, algorithm: signer.algorithm, kid: signer.kid, did: signer.did });
    let floorTimes: number[];
    try {
      floorTimes = await serverSideIssuances(floor.base, jobs.map((job, n) => ({ ...job, code: floorCodes[n]! })));
    } finally {
      floor.server.close();
    }
    // Baseline: verify a proof like the wallets' and sign a credential like ours with the trust's key.
    const raw: number[] = [];
    for (const wallet of holders) {
      const proof = await new SignJWT({ nonce: 'n' }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${wallet.did}#0` }).setAudience(base).setIssuedAt().sign(wallet.privateKey);
      raw.push(
        await timeMs(async () => {
          await compactVerify(proof, await importJWK(wallet.jwk as JWK, 'ES256'));
          await new SignJWT({ vc: { type: ['VerifiableCredential', 'NHSIdentityCredential'], credentialSubject: { id: wallet.did, firstName: 'Amy' } } }).setProtectedHeader({ alg: signer.algorithm, kid: signer.kid, typ: 'JWT' }).setIssuer(signer.did).sign(trustKey);
        }),
      );
    }
    const issuance = median(server.slice(10));
    const floorIssuance = median(floorTimes.slice(10));
    const baseline = median(raw.slice(10));
    const rawJose = { name: 'raw jose: verify one proof, sign one credential', value: baseline };
    results.push({
      name: "one issuance, the server's own time (token, nonce, credential: proof checked, signed, recorded, offer updated; two durable commits)",
      value: issuance,
      unit: 'ms',
      baseline: rawJose,
      ratio: issuance / baseline,
      goal: '<= 4x',
      met: issuance / baseline <= 4,
    });
    results.push({
      name: "the floor: a bare node:http server doing only the essentials of one issuance on the same store (code redeemed once, nonce, proof checked, signed, recorded; two durable commits), the server's own time",
      value: floorIssuance,
      unit: 'ms',
      baseline: rawJose,
      ratio: floorIssuance / baseline,
    });
    results.push({
      name: 'one issuance at the server, beside the bare server\u2019s floor',
      value: issuance,
      unit: 'ms',
      baseline: { name: 'the floor above', value: floorIssuance },
      ratio: issuance / floorIssuance,
    });

    // ---- Verifying a presentation of 30 credentials, warm ------------------------------------
    const wallet = await TestWallet.create(undefined, 'ES256');
    const theirPassport = passports.at(-1)!;
    const credentials = (await app.credentials.issuer.issueAll(Array.from({ length: PRESENTATION_SIZE }, () => coreSkillRequest(theirPassport, wallet.did)))).map((credential) => credential.jwt);
    const audience = `decentralized_identifier:${signer.did}`;
    const presentation = await wallet.signPresentation(credentials, { nonce: 'bench-nonce', audience });
    const first = await app.credentials.verifier.verify(presentation, { nonce: 'bench-nonce', audience });
    if (first.outcome !== 'pass') throw new Error(`the bench presentation does not verify: ${first.summary}`);
    const verifying: number[] = [];
    const rawVerifying: number[] = [];
    const trustPublic = await importJWK((await app.credentials.didDocument()).verificationMethod![0]!.publicKeyJwk as JWK, signer.algorithm);
    const holderJwk = JSON.parse(Buffer.from(wallet.did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as JWK;
    for (let n = 0; n < VERIFICATIONS; n++) {
      verifying.push(await timeMs(() => app.credentials.verifier.verify(presentation, { nonce: 'bench-nonce', audience })));
      rawVerifying.push(
        await timeMs(async () => {
          await compactVerify(presentation, await importJWK(holderJwk, 'ES256'));
          for (const jwt of (decodeJwt(presentation).vp as { verifiableCredential: string[] }).verifiableCredential) await compactVerify(jwt, trustPublic);
        }),
      );
    }
    const verified = median(verifying);
    results.push({
      name: `verify a presentation of ${PRESENTATION_SIZE} credentials, caches warm (every check: signatures, trust, dates, status lists, claims, holder)`,
      value: verified,
      unit: 'ms',
      baseline: { name: `raw jose: ${PRESENTATION_SIZE + 1} signatures`, value: median(rawVerifying) },
      ratio: verified / median(rawVerifying),
      goal: '< 150 ms',
      met: verified < 150,
    });

    // ---- 50 wallets collecting at once -------------------------------------------------------
    const offers: Array<OutputOf<'wallet.offerIdentity'>> = [];
    for (const passportId of passports.slice(ISSUANCES, ISSUANCES + WALLETS)) offers.push(await call(app, 'wallet.offerIdentity', { passportId }));
    const wallets = await Promise.all(offers.map(() => TestWallet.create(undefined, 'ES256')));
    const one = await TestWallet.create(undefined, 'ES256');
    const single = await call(app, 'wallet.offerIdentity', { passportId: passports[ISSUANCES + WALLETS]! });
    const alone = await timeMs(() => one.collect(single.offerUri!));
    let collected = 0;
    const together = await timeMs(async () => {
      const all = await Promise.all(wallets.map((each, n) => each.collect(offers[n]!.offerUri!)));
      collected = all.reduce((sum, credentials) => sum + credentials.length, 0);
    });
    if (collected !== WALLETS * 2) throw new Error(`${WALLETS} wallets collected ${collected} credentials, not ${WALLETS * 2}`);
    results.push({
      name: `${WALLETS} test wallets collecting at once (identity credential and access key each, every one collected)`,
      value: together,
      unit: 'ms',
      baseline: { name: 'one wallet alone', value: alone },
      ratio: together / alone,
    });
  } finally {
    await app.close();
  }
  return results;
}

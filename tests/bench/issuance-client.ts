// A wallet's side of one issuance after another, run in a worker thread so that the server's time
// is its own: token, nonce, then the credential request with a proof made for that nonce.
import { parentPort, workerData } from 'node:worker_threads';
import { SignJWT, importJWK, type JWK } from 'jose';

export interface IssuanceJob {
  code: string;
  privateJwk: JWK;
  did: string;
}

export interface IssuanceClientData {
  base: string;
  configurationId: string;
  jobs: IssuanceJob[];
}

async function post(url: string, init: RequestInit): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', ...init });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

const { base, configurationId, jobs } = workerData as IssuanceClientData;
for (const job of jobs) {
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': job.code });
  const { access_token: token } = (await post(`${base}/oid4vci/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })) as { access_token: string };
  const { c_nonce: nonce } = (await post(`${base}/oid4vci/nonce`, {})) as { c_nonce: string };
  const proof = await new SignJWT({ nonce }).setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${job.did}#0` }).setAudience(base).setIssuedAt().sign(await importJWK(job.privateJwk, 'ES256'));
  await post(`${base}/oid4vci/credential`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ credential_configuration_id: configurationId, proof: { proof_type: 'jwt', jwt: proof } }) });
}
parentPort!.postMessage('done');

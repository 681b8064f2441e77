// The least a server can do for one issuance over HTTP with every step kept: a bare node:http
// server on the same encrypted store that redeems the code once (one durable write), hands out a
// nonce, checks the proof's signature and signs a credential with jose, and records it (one durable
// write). No protocol library, no offer, holder, status list or history: a floor to measure against.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { Knex } from 'knex';

async function bodyOf(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

export async function startFloorServer(knex: Knex, codes: string[], trust: { privateKey: Parameters<SignJWT['sign']>[0]; algorithm: string; kid: string; did: string }): Promise<{ base: string; server: Server }> {
  await knex.schema.createTable('floor_codes', (table) => {
    table.text('code').primary();
    table.text('token');
  });
  await knex.schema.createTable('floor_credentials', (table) => {
    table.text('id').primary();
    table.text('holder');
    table.text('jwt');
  });
  for (const code of codes) await knex('floor_codes').insert({ code, token: null });
  const server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      let answer: unknown;
      if (request.url === '/oid4vci/token') {
        const token = randomBytes(32).toString('base64url');
        const redeemed = await knex('floor_codes').where({ code: new URLSearchParams(body).get('pre-authorized_code') ?? '' }).whereNull('token').update({ token });
        if (redeemed !== 1) throw new Error('code not redeemable');
        answer = { access_token: token, token_type: 'Bearer' };
      } else if (request.url === '/oid4vci/nonce') {
        answer = { c_nonce: randomBytes(32).toString('base64url') };
      } else {
        const proof = (JSON.parse(body) as { proof: { jwt: string } }).proof.jwt;
        const did = String(decodeProtectedHeader(proof).kid).split('#')[0]!;
        const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as JWK;
        await compactVerify(proof, await importJWK(jwk, 'ES256'));
        const credential = await new SignJWT({ vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', 'NHSIdentityCredential'], credentialSubject: { id: did, firstName: 'Amy' } } })
          .setProtectedHeader({ alg: trust.algorithm, kid: trust.kid, typ: 'JWT' })
          .setIssuer(trust.did)
          .sign(trust.privateKey);
        await knex('floor_credentials').insert({ id: randomBytes(16).toString('hex'), holder: did, jwt: credential });
        answer = { credentials: [{ credential }] };
      }
      const text = JSON.stringify(answer);
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      response.end(text);
    })().catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { base: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

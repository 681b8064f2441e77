// The credentials engine as the rest of the app sees it: the trust's signing identity and its
// rotation, issuing, revocation and suspension, the trusted-issuer list, the verifier, and the
// public documents (DID document, status lists) the app's server publishes.
import type { Knex } from 'knex';
import { exportJWK, SignJWT } from 'jose';
import { AppError } from '../errors.ts';
import type { Logger } from '../platform/log.ts';
import { jsonResponse, type PublicRoute } from '../platform/public-server.ts';
import { SigningIdentity, type DidDocument, type IssuerIdentity, type SigningKeyType } from './identity/signing-identity.ts';
import { Issuer } from './issuing/issuer.ts';
import type { IssuedCredential } from './issuing/issued-credentials.ts';
import { StatusLists } from './status/status-lists.ts';
import { TrustedIssuers, type TrustedIssuer, type TrustedIssuerEntry } from './trusted-issuers.ts';
import { Verifier, type VerifierOptions } from './verifying/verifier.ts';

export interface CredentialsDeps {
  knex(): Knex;
  databaseKey(): Buffer;
  now(): Date;
  log: Logger;
  /** The public server's base URL: status lists are published under it. */
  publicBaseUrl(): string;
  verifier?: Partial<VerifierOptions>;
}

export class Credentials {
  readonly identity: SigningIdentity;
  readonly statusLists: StatusLists;
  readonly issuer: Issuer;
  readonly verifier: Verifier;
  private readonly deps: CredentialsDeps;

  constructor(deps: CredentialsDeps) {
    this.deps = deps;
    this.identity = new SigningIdentity(deps);
    this.statusLists = new StatusLists(deps);
    this.issuer = new Issuer({ ...deps, statusLists: this.statusLists });
    this.verifier = new Verifier({
      trustedIssuer: (did) => this.trustedIssuers().byDid(did),
      now: deps.now,
      log: deps.log,
      ...deps.verifier,
    });
  }

  trustedIssuers(): TrustedIssuers {
    return new TrustedIssuers(this.deps.knex());
  }

  async listTrustedIssuers(): Promise<TrustedIssuerEntry[]> {
    return this.trustedIssuers().list();
  }

  async addTrustedIssuer(issuer: TrustedIssuer, addedBy: string | null): Promise<void> {
    await this.trustedIssuers().add(issuer, this.at(), addedBy);
    this.verifier.forgetIssuers();
  }

  async removeTrustedIssuer(odsCode: string): Promise<void> {
    await this.trustedIssuers().remove(odsCode);
    this.verifier.forgetIssuers();
  }

  async importTrustedIssuers(content: string, addedBy: string | null): Promise<{ organisations: number }> {
    const result = await this.trustedIssuers().importFile(content, this.at(), addedBy);
    this.verifier.forgetIssuers();
    return result;
  }

  async exportTrustedIssuers(): Promise<string> {
    return this.trustedIssuers().exportFile();
  }

  /**
   * A new signing key: the DID document gains it (earlier keys stay, so what they signed still
   * verifies), and this trust's own entry on its trusted-issuer list follows, in one transaction.
   */
  async rotateKey(options: { keyType?: SigningKeyType }, rotatedBy: string | null): Promise<IssuerIdentity> {
    await this.deps.knex().transaction(async (trx) => {
      const identity = new SigningIdentity({ ...this.deps, knex: () => trx });
      const rotated = await identity.rotate(options);
      const document = await identity.didDocument();
      const list = new TrustedIssuers(trx);
      const own = await list.thisTrust();
      if (!own) throw new AppError('internal', 'This trust is missing from its own list of trusted issuers.', { detail: 'no is_this_trust row' });
      await list.add({ odsCode: own.odsCode, name: own.name, dids: [{ did: rotated.did, didDocument: document as TrustedIssuer['dids'][number]['didDocument'] }] }, this.at(), rotatedBy, { isThisTrust: true });
    });
    this.verifier.forgetIssuers();
    return (await this.identity.get())!;
  }

  async didDocument(): Promise<DidDocument> {
    return this.identity.didDocument();
  }

  async revoke(credentialId: string, reason: string): Promise<IssuedCredential> {
    const changed = await this.statusLists.revoke(credentialId, reason);
    this.verifier.forgetStatusLists();
    return changed;
  }

  async suspend(credentialId: string, reason: string): Promise<IssuedCredential> {
    const changed = await this.statusLists.suspend(credentialId, reason);
    this.verifier.forgetStatusLists();
    return changed;
  }

  async reinstate(credentialId: string, reason: string | null): Promise<IssuedCredential> {
    const changed = await this.statusLists.reinstate(credentialId, reason);
    this.verifier.forgetStatusLists();
    return changed;
  }

  /**
   * Signs a JWT other than a credential (a presentation request object) with the trust's current
   * key; the header names the key. `expectedKid`, when given, must be that key.
   */
  async signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, expectedKid?: string): Promise<{ jwt: string; kid: string; publicJwk: Record<string, unknown> }> {
    const key = await this.identity.signingKey();
    if (expectedKid !== undefined && expectedKid !== key.kid) throw new AppError('internal', 'Only the current signing key signs.', { detail: `asked for ${expectedKid}, current ${key.kid}` });
    const privateKey = await this.identity.privateKey(key.kid);
    const jwt = await new SignJWT(payload).setProtectedHeader({ ...header, alg: key.algorithm, kid: key.kid }).sign(privateKey);
    const { d: _private, ...publicJwk } = await exportJWK(privateKey);
    return { jwt, kid: key.kid, publicJwk };
  }

  async issuedCredential(id: string): Promise<IssuedCredential | null> {
    return this.issuer.record(id);
  }

  /**
   * What the public server publishes: the DID document where did:web puts it for this DID (the
   * path below /.well-known when the DID has no path), and each status list at /status/<id>.
   */
  publicRoutes(): PublicRoute[] {
    return [
      {
        method: 'GET',
        pattern: /^\/(?:\.well-known|(?<path>[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]+)*))\/did\.json$/,
        handle: async (request) => {
          const identity = await this.identity.get();
          const asked = request.params.path ?? null;
          if (!identity || asked !== identity.path) throw new AppError('not-found', 'There is no DID document at this address.');
          return { ...jsonResponse(200, await this.didDocument()), contentType: 'application/did+json', headers: { 'Access-Control-Allow-Origin': '*' } };
        },
      },
      {
        method: 'GET',
        pattern: /^\/status\/(?<id>[0-9a-f-]{36})$/,
        handle: async (request) => ({
          status: 200,
          contentType: 'application/vc+jwt',
          body: await this.statusLists.statusListCredential(request.params.id!),
          headers: { 'Access-Control-Allow-Origin': '*' },
        }),
      },
    ];
  }

  private at(): string {
    return this.deps.now().toISOString();
  }
}

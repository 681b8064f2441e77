// The verifier (being written): one function for a credential or presentation JWT.
import type { Logger } from '../../platform/log.ts';
import type { DidDocument } from '../trusted-issuers.ts';

export interface VerifierOptions {
  trustedIssuer(did: string): Promise<{ odsCode: string; name: string; didDocument: DidDocument } | undefined>;
  now(): Date;
  log: Logger;
}

export class Verifier {
  private readonly options: VerifierOptions;
  constructor(options: VerifierOptions) {
    this.options = options;
  }
  forgetIssuers(): void {}
}

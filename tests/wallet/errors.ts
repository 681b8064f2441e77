// The test wallet's one error type, and the translation of what the OpenWallet Foundation
// libraries throw into it, so a test asserts on a code (`invalid_grant`, `invalid_proof`) and a
// person reads a sentence.
import { InvalidFetchResponseError, Oauth2ClientErrorResponseError, Oauth2JwtVerificationError, Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import { Openid4vciRetrieveCredentialsError, Openid4vciSendNotificationError } from '@openid4vc/openid4vci';
import { ValidationError, formatZodError } from '@openid4vc/utils';

export class WalletError extends Error {
  /** The server's OAuth error code when it sent one (`invalid_grant`), otherwise the wallet's own. */
  readonly code: string;
  /** The server's `error_description`, or the wallet's sentence. */
  readonly description: string;
  /** The HTTP status of the response that carried the error, when there was one. */
  readonly status: number | undefined;

  constructor(code: string, description: string, options: { status?: number; cause?: unknown } = {}) {
    super(`${description} (${code})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WalletError';
    this.code = code;
    this.description = description;
    this.status = options.status;
  }
}

interface OauthErrorBody {
  error: string;
  error_description?: string;
}

function oauthErrorBody(value: unknown): OauthErrorBody | null {
  if (typeof value !== 'object' || value === null) return null;
  const { error, error_description: description } = value as Record<string, unknown>;
  if (typeof error !== 'string' || error.length === 0) return null;
  return typeof description === 'string' ? { error, error_description: description } : { error };
}

function fromText(text: string): OauthErrorBody | null {
  try {
    return oauthErrorBody(JSON.parse(text));
  } catch {
    return null; // not JSON: the caller says what came back instead
  }
}

function fromBody(body: OauthErrorBody, status: number | undefined, what: string, cause: unknown): WalletError {
  return new WalletError(body.error, body.error_description ?? `${what}: the server answered ${body.error}.`, { status, cause });
}

/**
 * Any failure during a wallet operation as a WalletError. `what` names the step in plain words
 * ("Collecting the offer") for messages that have nothing better to say.
 */
export function toWalletError(error: unknown, what: string): WalletError {
  // The libraries wrap a failed fetch (and so the wallet's own refusals) in a FetchError.
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof WalletError) return cause;
  }
  if (error instanceof Oauth2ClientErrorResponseError) {
    const body = oauthErrorBody(error.errorResponse);
    if (body) return fromBody(body, error.response.status, what, error);
  }
  if (error instanceof Openid4vciRetrieveCredentialsError) {
    const status = error.response.response.status;
    const result = error.response.credentialErrorResponseResult;
    if (result?.success) {
      const body = oauthErrorBody(result.data);
      if (body) return fromBody(body, status, what, error);
    }
    if (error.response.credentialResponseResult && !error.response.credentialResponseResult.success) {
      return new WalletError('invalid_credential_response', `The credential endpoint answered ${status} with something that is not a credential response: ${formatZodError(error.response.credentialResponseResult.error)}`, { status, cause: error });
    }
    return new WalletError('unexpected_response', `The credential endpoint answered ${status} without an OAuth error.`, { status, cause: error });
  }
  if (error instanceof Openid4vciSendNotificationError) {
    const status = error.response.response.status;
    const result = error.response.notificationErrorResponseResult;
    if (result?.success) return fromBody(result.data, status, what, error);
    return new WalletError('unexpected_response', `The notification endpoint answered ${status}.`, { status, cause: error });
  }
  if (error instanceof InvalidFetchResponseError) {
    const status = error.response.status;
    const body = fromText(error.textResponse);
    if (body) return fromBody(body, status, what, error);
    return new WalletError('unexpected_response', `${error.message} It said: ${error.textResponse.slice(0, 200) || '(nothing)'}`, { status, cause: error });
  }
  if (error instanceof Oauth2ServerErrorResponseError) {
    const body = oauthErrorBody(error.errorResponse);
    if (body) return fromBody(body, error.status, what, error);
  }
  if (error instanceof Oauth2JwtVerificationError) {
    return new WalletError('invalid_request_object', `The request's signature or dates did not check out: ${error.message}`, { cause: error });
  }
  if (error instanceof ValidationError) {
    return new WalletError('invalid_response', `${error.message}: ${formatZodError(error.zodError)}`, { cause: error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  const network = error instanceof Error && /fetch/i.test(message) && error.cause instanceof Error;
  return new WalletError(network ? 'network_error' : 'wallet_error', `${what} failed: ${message}${cause}`, { cause: error });
}

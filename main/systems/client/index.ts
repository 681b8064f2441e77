// The DSP API client: what the rest of the app imports.
export { DspClient, MAX_REQUEST_BYTES, type AddRecordOptions, type AddRecordResult, type DspClientOptions, type DspConnection } from './client.ts';
export { SystemError, isSystemError, messageFor, type Asked, type SystemErrorReason } from './errors.ts';
export { newClientKeyPair, publicJwks, type ClientKeyPair } from './keys.ts';
export type { ClientSigningKey } from './tokens.ts';
export type { RetrySettings } from './retry.ts';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, bypassesProxy, type TransportSettings } from './transport.ts';

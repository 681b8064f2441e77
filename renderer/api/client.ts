// The typed client every screen and store uses: `api.call(op, input)` resolves to the operation's
// output or throws a DoorError carrying the code, the sentence for the user and the field errors.
import type { EventName, EventPayload, InputOf, OperationName, OutputOf, Result } from '../../main/api/contract.ts';
import { currentDoor, type Door } from './door.ts';

type WireError = Extract<Result<unknown>, { ok: false }>['error'];
export type ErrorCode = WireError['code'];
export type FieldError = WireError['fields'][number];

export class DoorError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[];
  readonly retryAfterSeconds: number | undefined;
  readonly operation: OperationName;

  constructor(operation: OperationName, wire: WireError) {
    super(wire.message);
    this.name = 'DoorError';
    this.operation = operation;
    this.code = wire.code;
    this.fields = Array.isArray(wire.fields) ? wire.fields : [];
    this.retryAfterSeconds = wire.retryAfterSeconds;
  }
}

export function isDoorError(value: unknown): value is DoorError {
  return value instanceof DoorError;
}

/** Codes that mean the session is no longer what the screens think it is. */
const SESSION_CODES: ReadonlySet<ErrorCode> = new Set(['not-signed-in', 'locked', 'password-change-required']);

export interface ApiClient {
  call<N extends OperationName>(op: N, input: InputOf<N>): Promise<OutputOf<N>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
  /** Called whenever an operation is refused because the session changed under the screen. */
  onSessionRefused(handler: (error: DoorError) => void): () => void;
}

export function createApiClient(door: Door): ApiClient {
  const sessionRefusedHandlers = new Set<(error: DoorError) => void>();
  return {
    async call(op, input) {
      const result = await door.invoke(op, input);
      if (result.ok) return result.value;
      const error = new DoorError(op, result.error);
      if (SESSION_CODES.has(error.code)) for (const handler of sessionRefusedHandlers) handler(error);
      throw error;
    },
    on(event, handler) {
      return door.on(event, handler);
    },
    onSessionRefused(handler) {
      sessionRefusedHandlers.add(handler);
      return () => sessionRefusedHandlers.delete(handler);
    },
  };
}

export const api: ApiClient = createApiClient(currentDoor());

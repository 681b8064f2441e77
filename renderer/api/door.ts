// The one door to the main side, as the renderer sees it: the same `invoke`/`on` pair whether the
// Electron preload provides it (window.dsp) or browser mode does over HTTP and server-sent events.
import type { EventName, EventPayload, InputOf, OperationName, OutputOf, Result } from '../../main/api/contract.ts';

export interface Door {
  invoke<N extends OperationName>(op: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

declare global {
  interface Window {
    /** Exposed by electron/preload; absent in browser mode. */
    dsp?: Door;
  }
}

type WireError = Extract<Result<unknown>, { ok: false }>['error'];

function unreachable(message: string): { ok: false; error: WireError } {
  return { ok: false, error: { code: 'internal', message, fields: [] } };
}

const NO_ANSWER =
  'Staff Passport is not responding. Check that it is still running, then try again. If it keeps happening, contact your IT service desk.';

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const candidate = value as { ok: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in value;
  if (candidate.ok !== false || typeof candidate.error !== 'object' || candidate.error === null) return false;
  const error = candidate.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

/** Browser mode: `POST /api/<op>` with the input as JSON; the body is always a Result. */
export function createHttpDoor(base = '/api'): Door {
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function eventSource(): EventSource {
    if (!source) source = new EventSource(`${base}/events`, { withCredentials: false });
    return source;
  }

  async function post(op: OperationName, input: unknown): Promise<Result<unknown>> {
    let response: Response;
    try {
      response = await fetch(`${base}/${encodeURIComponent(op)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
        body: JSON.stringify(input ?? {}),
      });
    } catch (error) {
      // fetch rejects only when nothing answered; the reason is for the log, not for HR staff.
      console.error(`No answer to ${op}`, error);
      return unreachable(NO_ANSWER);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      console.error(`The answer to ${op} is not JSON`, error);
      return unreachable(`${NO_ANSWER} (The answer could not be read: HTTP ${response.status}.)`);
    }
    if (!isResult(body)) return unreachable(`${NO_ANSWER} (Unexpected answer: HTTP ${response.status}.)`);
    if (!body.ok && !Array.isArray(body.error.fields)) body.error.fields = [];
    return body;
  }

  return {
    async invoke<N extends OperationName>(op: N, input: InputOf<N>): Promise<Result<OutputOf<N>>> {
      // The main side validated the output against the contract before sending it.
      return (await post(op, input)) as Result<OutputOf<N>>;
    },

    on(event, handler) {
      const es = eventSource();
      let handlers = listeners.get(event);
      if (!handlers) {
        const set = new Set<(payload: unknown) => void>();
        handlers = set;
        listeners.set(event, set);
        es.addEventListener(event, (message: MessageEvent<string>) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch (error) {
            console.error(`Ignored the event ${event}: its data is not JSON`, error);
            return;
          }
          for (const listener of set) listener(payload);
        });
      }
      const listener = handler as (payload: unknown) => void;
      handlers.add(listener);
      return () => {
        handlers.delete(listener);
      };
    },
  };
}

/** The door for this window: the preload's in Electron, HTTP otherwise. */
export function currentDoor(): Door {
  return window.dsp ?? createHttpDoor();
}

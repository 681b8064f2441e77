// The sandboxed preload: exposes exactly window.dsp = { invoke, on } and nothing else. CommonJS
// because sandboxed preloads cannot be ES modules; it may only require('electron').
import type { ContextBridge, IpcRenderer } from 'electron';
import type { EventName, EventPayload, InputOf, OperationName, OutputOf, Result } from '../main/api/contract.ts';

/** The renderer's view of the door; renderer/api/door.ts declares the same shape as `Door`. */
interface DspBridge {
  invoke<N extends OperationName>(op: N, input: InputOf<N>): Promise<Result<OutputOf<N>>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

// Channel names are repeated from window-policy.ts: a sandboxed preload cannot require our own modules.
const INVOKE_CHANNEL = 'dsp:invoke';
const EVENT_CHANNEL = 'dsp:event';
const MAX_NAME_LENGTH = 200;

// require() because this file is CommonJS: verbatimModuleSyntax rejects `import` here and
// erasableSyntaxOnly rejects `import x = require()`.
const { contextBridge, ipcRenderer } = require('electron') as { contextBridge: ContextBridge; ipcRenderer: IpcRenderer };

function checkName(kind: 'operation' | 'event', name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH) {
    throw new TypeError(`window.dsp: the ${kind} name must be a non-empty string`);
  }
  return name;
}

const bridge: DspBridge = {
  invoke(op, input) {
    return ipcRenderer.invoke(INVOKE_CHANNEL, checkName('operation', op), input);
  },
  on(event, handler) {
    const name = checkName('event', event);
    if (typeof handler !== 'function') throw new TypeError('window.dsp.on: the handler must be a function');
    // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
    const listener = (_ipcEvent: unknown, eventName: unknown, payload: unknown): void => {
      if (eventName === name) handler(payload as EventPayload<typeof event>);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('dsp', bridge);

// The Electron shell's entry point: one locked-down window on app://, and the one door (IPC) into
// the core's dispatcher. No application logic lives here.
// startup.ts must stay the first import: it does the work that has to happen before `ready`.
import { dataDir, isPrimaryInstance } from './startup.ts';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  session,
  shell,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import type { Result } from '../main/api/contract.ts';
import { createApp, type StaffPassportApp } from '../main/app.ts';
import { AppError, isAppError } from '../main/errors.ts';
import { consoleLogger } from '../main/platform/log.ts';
import { registerAppProtocol } from './app-protocol.ts';
import { createSafeStorageKeystore } from './os-keystore.ts';
import { APP_START_URL, EVENT_CHANNEL, INVOKE_CHANNEL, isAppUrl, isExternalWebUrl } from './window-policy.ts';

/** Must match `appId` in build/electron-builder.config.ts, so Windows groups the taskbar icon with the shortcut. */
const APP_USER_MODEL_ID = 'uk.nhs.staffpassport.desktop';

// Compiled layout (tsconfig.electron.json): dist/electron/electron/main.js beside preload.cjs, and the
// Vite build in dist/renderer. Inside the packaged app.asar the same relative layout holds.
const PRELOAD_PATH = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const RENDERER_ROOT = fileURLToPath(new URL('../../renderer/', import.meta.url));

const log = consoleLogger();

let mainWindow: BrowserWindow | null = null;
let core: StaffPassportApp | null = null;
let closingCore = false;

function refused(message: string): Result<never> {
  return { ok: false, error: new AppError('forbidden', message).toWire() };
}

/**
 * Why an IPC call is not from our own page, or null when it is: it must come from the main
 * window's top-level frame while that frame shows our app:// origin. Anything else (a sub-frame, a
 * page navigated elsewhere, another webContents) is refused.
 */
function callerProblem(event: IpcMainInvokeEvent): string | null {
  const window = mainWindow;
  if (!window || window.isDestroyed()) return 'there is no main window';
  if (event.sender !== window.webContents) return 'the call came from another web page';
  const frame = event.senderFrame;
  if (!frame || frame.isDestroyed()) return 'the calling frame has gone';
  const top = window.webContents.mainFrame;
  if (frame.parent !== null || frame.processId !== top.processId || frame.routingId !== top.routingId) {
    return 'the call came from a sub-frame';
  }
  if (!isAppUrl(frame.url)) return 'the calling page is not the app';
  return null;
}

function openTheDoor(): void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, operation: unknown, input: unknown): Promise<Result<unknown>> => {
    const problem = callerProblem(event);
    if (problem) {
      log.warn('Refused a call through the door', { reason: problem, operation: typeof operation === 'string' ? operation.slice(0, 100) : typeof operation });
      return refused('This page is not allowed to use Staff Passport.');
    }
    if (typeof operation !== 'string') {
      return { ok: false, error: new AppError('unknown-operation', 'The request did not name an operation.').toWire() };
    }
    if (!core) {
      return { ok: false, error: new AppError('internal', 'Staff Passport is still starting or is closing. Try again in a moment.').toWire() };
    }
    // dispatch() never throws: every outcome, refusal included, is a Result it has audited.
    return core.dispatch(operation, input);
  });
}

function forwardEvent(name: string, payload: unknown): void {
  const window = mainWindow;
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
}

function openInSystemBrowser(url: string): void {
  if (!isExternalWebUrl(url)) {
    log.warn('Blocked a link that is not http(s)', { scheme: url.split(':', 1)[0] ?? '' });
    return;
  }
  shell.openExternal(url).catch((error: unknown) => {
    log.error('Could not open a link in the system browser', { error: String(error) });
  });
}

/** Applied to every webContents Electron creates, not only ours: no navigation away, no pop-ups, no webviews. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    if (event.isMainFrame) openInSystemBrowser(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openInSystemBrowser(url);
    return { action: 'deny' };
  });
}

const NETWORK_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

/** The renderer needs no permission and no network: the main side does all HTTP. */
function lockDownSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Beyond the CSP: no request from this session leaves the machine. (file: stays allowed because
  // the app:// handler reads the renderer through net.fetch on this session; pages on app:// cannot
  // load file: URLs themselves.)
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const scheme = details.url.split(':', 1)[0]?.toLowerCase() ?? '';
    callback({ cancel: NETWORK_SCHEMES.has(scheme) });
  });
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 600,
    title: 'Staff Passport',
    show: false,
    backgroundColor: '#f0f4f5',
    webPreferences: {
      preload: PRELOAD_PATH,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  return window;
}

function focusMainWindow(): void {
  const window = mainWindow;
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function startupFailed(error: unknown): void {
  log.error('Staff Passport could not start', { code: isAppError(error) ? error.code : 'internal', detail: isAppError(error) ? error.detail : String(error) });
  const message = isAppError(error)
    ? error.message
    : 'Something went wrong while Staff Passport was starting. Contact your IT service desk and tell them the time this happened.';
  dialog.showErrorBox('Staff Passport could not start', message);
  app.exit(1);
}

async function start(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  lockDownSession(session.defaultSession);
  registerAppProtocol(RENDERER_ROOT);
  openTheDoor();

  // createApp reports a store it cannot open as state 'unavailable' (shown by the renderer);
  // it throws only when the core itself cannot be built.
  core = await createApp({ dataDir, osKeystore: createSafeStorageKeystore() });
  core.onEvent(forwardEvent);
  // A port already taken must not stop HR working: the problem is logged for IT.
  core.startPublicServer().catch((error: unknown) => console.error('The public server did not start:', error instanceof Error ? error.message : String(error)));

  mainWindow = createMainWindow();
  await mainWindow.loadURL(APP_START_URL);
}

if (!isPrimaryInstance) {
  // Another Staff Passport already runs on this profile; it focuses its window (second-instance).
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
  });
  app.on('second-instance', focusMainWindow);
  app.on('activate', () => {
    if (core && (!mainWindow || mainWindow.isDestroyed())) {
      mainWindow = createMainWindow();
      mainWindow.loadURL(APP_START_URL).catch(startupFailed);
    }
  });
  // One window per HR office workstation: closing it ends the app on every platform, macOS included.
  app.on('window-all-closed', () => {
    app.quit();
  });
  app.on('will-quit', (event) => {
    // Close the store cleanly (WAL checkpoint, audit flushed) before the process goes.
    if (!core || closingCore) return;
    event.preventDefault();
    closingCore = true;
    const closing = core;
    closing
      .close()
      .catch((error: unknown) => {
        log.error('The store did not close cleanly', { error: String(error) });
      })
      .finally(() => {
        core = null;
        app.quit();
      });
  });
  app.whenReady().then(start).catch(startupFailed);
}

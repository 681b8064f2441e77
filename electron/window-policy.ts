// The window's security rules as pure functions and constants: which origin is ours, which URLs may
// open outside, which file a request may read, the CSP. No Electron import, so tests run them in Node.

/** The renderer's own privileged scheme and origin; never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'staff-passport';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** IPC channels of the one door. */
export const INVOKE_CHANNEL = 'dsp:invoke';
export const EVENT_CHANNEL = 'dsp:event';

// The CSP, content types and file resolution are shared with browser mode's host.
export { CONTENT_SECURITY_POLICY, CONTENT_TYPES, resolveRendererFile } from '../main/api/renderer-files.ts';


function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for a URL on our own app:// origin. Compared by scheme and host: Node's URL gives the
 * origin "null" for schemes it does not know, so `.origin` cannot be used here.
 */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** Links the system browser may open: plain http(s) with no credentials in them. */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

// The window's security rules as pure functions and constants: which origin is ours, which URLs may
// open outside, which file a request may read, the CSP. No Electron import, so tests run them in Node.
import { join, normalize, sep } from 'node:path';

/** The renderer's own privileged scheme and origin; never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'staff-passport';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** IPC channels of the one door. */
export const INVOKE_CHANNEL = 'dsp:invoke';
export const EVENT_CHANNEL = 'dsp:event';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Chromium needs a correct type for module scripts; set it ourselves rather than trust sniffing. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

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

/**
 * The file under `root` that a request path names, or null when it would leave `root`.
 * The URL parser already folds `..` segments; this also catches encoded separators (%2F, %5C),
 * encoded dots and NUL.
 */
export function resolveRendererFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded.replace(/^[/\\]+/, '') || 'index.html';
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const file = normalize(join(base, relative));
  return file.startsWith(base) && file !== base ? file : null;
}

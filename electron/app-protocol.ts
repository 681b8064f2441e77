// Serves the built renderer (dist/renderer) on app://staff-passport/ with a strict CSP on every
// response. Only files inside the renderer folder are ever served.
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY, CONTENT_TYPES, resolveRendererFile } from './window-policy.ts';

function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
}

function refuse(status: 400 | 404 | 405, message: string): Response {
  return new Response(message, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    // Missing or unreadable: the caller answers 404, or the app shell for a route.
    return false;
  }
}

/** Call once, after `ready`. `rendererRoot` is the folder holding the built index.html. */
export function registerAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');

    let file = resolveRendererFile(rendererRoot, url.pathname);
    if (!file) return refuse(400, 'Bad path');
    if (!(await isFile(file))) {
      // A client-side route (no file extension) gets the app shell; a missing asset is a 404.
      if (extname(file) !== '') return refuse(404, 'Not found');
      file = join(rendererRoot, 'index.html');
    }

    const upstream = await net.fetch(pathToFileURL(file).toString(), { bypassCustomProtocolHandlers: true });
    if (!upstream.ok) return refuse(404, 'Not found');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : upstream.body, { status: 200, headers: securityHeaders(type) });
  });
}

// The web app next to the API in `npm start`: the built files of web/dist, with the SPA fallback
// (any GET outside /v1/ that is not a file gets index.html, so /invoices/inv_1 opens the app),
// the runtime config (/config.json: the API on this origin), content types, and caching that suits Vite's output: hashed /assets/* are immutable, everything
// else is revalidated. On AWS CloudFront serves the same files from S3.
//
// ensureWebBuilt() builds web/dist first when it is missing or older than the app's sources.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
export const WEB_DIST = join(WEB_ROOT, 'dist');

const TYPES: Record<string, string> = {
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
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The app's own pages allow only their own origin: no inline script, no other site. (The offline
 * checkout page under /v1/dev is not the app and keeps its own headers.)
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The app's runtime config (web/src/config.ts) as `npm start` gives it: the API on the same
 * origin, no Cognito (the local sign-in). On AWS the stack writes its own (infra/lib/web.ts).
 */
export const LOCAL_CONFIG = { apiUrl: '', region: null, userPoolId: null, userPoolClientId: null };

/** Paths of the app (everything outside the API). */
export const isWebPath = (rawPath: string) => rawPath !== '/v1' && !rawPath.startsWith('/v1/');

/**
 * Answers a GET or HEAD for the app from `distDir`. A file is served as itself; a path without a
 * file extension that is no file gets index.html (the app routes it); a missing asset is a 404.
 */
export function serveWeb(distDir: string, req: IncomingMessage, res: ServerResponse, rawPath: string): void {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed');
    return;
  }
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('The web app is not built: run `npm run web:build` (npm start builds it when it starts).\n');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Bad path');
    return;
  }
  const root = resolve(distDir);
  const candidate = resolve(root, `.${decoded}`);
  // nothing outside web/dist, whatever the path says (../, encoded or not)
  const inside = candidate === root || candidate.startsWith(`${root}${sep}`);
  let file: string | undefined;
  if (inside && !decoded.includes('\0')) {
    try {
      if (statSync(candidate).isFile()) file = candidate;
    } catch {
      // not a file: the fallback below decides
    }
  }
  if (!file && decoded === '/config.json') {
    const body = JSON.stringify(LOCAL_CONFIG);
    res.writeHead(200, {
      'content-type': TYPES['.json']!,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  if (!file) {
    if (extname(decoded) !== '' && extname(decoded) !== '.html') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end('Not found');
      return;
    }
    file = index;
  }
  const ext = extname(file);
  const hashedAsset = file.startsWith(`${join(root, 'assets')}${sep}`);
  const headers: Record<string, string | number> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    // Vite names assets by their content hash: they never change; the rest must be revalidated
    'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (ext === '.html') Object.assign(headers, { 'content-security-policy': CSP, 'x-frame-options': 'DENY' });
  res.writeHead(200, headers);
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The newest mtime among the files that make the app (sources, index.html, config, types). */
function newestSource(): number {
  let newest = 0;
  const walk = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const part of ['src', 'public', 'index.html', 'vite.config.ts']) walk(join(WEB_ROOT, part));
  return newest;
}

/** Why web/dist must be built, or undefined when it is up to date. */
export function webBuildNeeded(distDir = WEB_DIST): string | undefined {
  const built = statSync(join(distDir, 'index.html'), { throwIfNoEntry: false });
  if (!built) return 'web/dist is missing';
  if (newestSource() > built.mtimeMs) return 'web/src changed since web/dist was built';
  return undefined;
}

/** Builds web/dist with Vite when it is missing or stale, saying so in one line. */
export async function ensureWebBuilt(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const why = webBuildNeeded();
  if (!why) return;
  log(`Building the web app first (${why}): vite build → web/dist`);
  const { build } = await import('vite');
  await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

// The web app next to the API (infra/local/web-static.ts): files with their content types and
// caching, the SPA fallback for the app's paths, nothing outside web/dist, and the build check.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWebPath, serveWeb, webBuildNeeded } from '#infra/local/web-static.ts';

let root: string;
let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'web-static-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  server = createServer((req, res) => serveWeb(dist, req, res, new URL(req.url ?? '/', 'http://x').pathname));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((res) => server.close(res));
  rmSync(root, { recursive: true, force: true });
});

describe('serveWeb', () => {
  it('serves index.html for / and for any app path without a file extension (SPA fallback)', async () => {
    for (const path of ['/', '/care', '/invoices/inv_1']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('<title>app</title>');
    }
  });

  it('serves hashed assets as immutable, other files revalidated, with their content types', async () => {
    const js = await fetch(`${base}/assets/index-abc123.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await fetch(`${base}/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, not the app', async () => {
    const res = await fetch(`${base}/assets/gone-123.js`);
    expect(res.status).toBe(404);
  });

  it('gives the runtime config locally: the API on this origin, no Cognito', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual({ apiUrl: '', region: null, userPoolId: null, userPoolClientId: null });
  });

  it('never serves a file outside web/dist', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await fetch(`${base}${path}`);
      expect(await res.text(), path).not.toContain('not for the web');
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await fetch(`${base}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });
});

describe('isWebPath', () => {
  it('leaves /v1 and everything under it to the API', () => {
    expect(isWebPath('/')).toBe(true);
    expect(isWebPath('/invoices/inv_1')).toBe(true);
    expect(isWebPath('/v1')).toBe(false);
    expect(isWebPath('/v1/clinics')).toBe(false);
    expect(isWebPath('/v1x')).toBe(true);
  });
});

describe('webBuildNeeded', () => {
  it('says why when web/dist is missing or older than the sources', () => {
    expect(webBuildNeeded(join(root, 'nowhere'))).toBe('web/dist is missing');
    const old = new Date('2000-01-01T00:00:00Z');
    utimesSync(join(dist, 'index.html'), old, old);
    expect(webBuildNeeded(dist)).toBe('web/src changed since web/dist was built');
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(join(dist, 'index.html'), future, future);
    expect(webBuildNeeded(dist)).toBeUndefined();
  });
});

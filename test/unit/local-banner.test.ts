// What `npm start` prints: the web app's address is the one Stripe Checkout comes back to
// (APP_BASE_URL, localhost), not the server's 127.0.0.1 — a sign-in is kept per address, so a
// client who opened the banner's address would be signed out on the return from paying.
import { describe, expect, it } from 'vitest';
import { bannerLines } from '../../infra/local/server.ts';

const server = { port: 3461, url: 'http://127.0.0.1:3461', endpoint: 'http://127.0.0.1:8000', tableName: 'kapstone-local' };

describe('the local server’s banner', () => {
  it('names the address the app’s links come back to', () => {
    const text = bannerLines(server, 'http://localhost:3461', 'data kept').join('\n');
    expect(text).toContain('Kapstone web app     http://localhost:3461/\n');
    expect(text).toContain('Kapstone local API   http://localhost:3461/v1\n');
    expect(text).not.toContain('127.0.0.1:3461');
  });

  it('the server’s own address when nothing else is set (a programmatic start)', () => {
    expect(bannerLines(server, undefined, 'data kept')).toContain('  Kapstone web app     http://127.0.0.1:3461/');
  });
});

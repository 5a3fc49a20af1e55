/**
 * The run's token provider renews the harness's own tokens. A token endpoint that closes an idle
 * keep-alive socket as the renewal arrives (the race after AUTH-09 waits a token out) resets that POST
 * before any answer; the provider asks once more, on a fresh connection, instead of failing the data
 * checks that needed the token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { TokenProvider } from '../../src/auth/token-client.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

it('asks again once when a renewal is reset on a reused connection, and only once', async () => {
  const used = new WeakSet<object>();
  let issued = 0;
  let resets = 0;
  let resetEveryTime = false;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (resetEveryTime || used.has(req.socket)) {
        resets += 1;
        req.socket.resetAndDestroy();
        return;
      }
      used.add(req.socket);
      issued += 1;
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(
          JSON.stringify({ access_token: `token-${issued}-abcdefgh`, token_type: 'Bearer', expires_in: 600 }),
        );
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  const redactor = new Redactor();
  const http = new HttpClient({
    timeoutMs: 2000,
    maxResponseBytes: 1 << 20,
    redactor,
    allowInsecureHttp: true,
  });
  const tokens = new TokenProvider(
    http,
    tokenUrl,
    { clientId: 'c', clientSecret: 'the-client-secret', method: 'client_secret_post' },
    redactor,
  );
  try {
    expect(await tokens.get('t')).toBe('token-1-abcdefgh');
    tokens.invalidate('t');
    await new Promise((r) => setTimeout(r, 20));
    // The renewal goes out on the kept-alive socket, which the server resets: asked again, it works.
    expect(await tokens.get('t')).toBe('token-2-abcdefgh');
    expect(resets).toBe(1);
    // A token endpoint that resets every request is not retried without end.
    tokens.invalidate('t');
    resetEveryTime = true;
    await expect(tokens.get('t')).rejects.toThrow(/no token for tenant t: .*reset/);
    expect(resets).toBe(3);
  } finally {
    await http.close();
  }
});

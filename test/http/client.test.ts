import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(overrides: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({
    timeoutMs: 2000,
    maxResponseBytes: 1 << 20,
    redactor: new Redactor(),
    allowInsecureHttp: true,
    ...overrides,
  });
}

describe('HttpClient', () => {
  it('times an exchange and parses JSON once', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'server-timing': 'app;dur=0.250' });
      res.end('{"resourceType":"Patient"}');
    });
    const c = client();
    const res = await c.request({ url: `${origin}/x` });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, value: { resourceType: 'Patient' } });
    expect(res.serverMs).toBe(0.25);
    expect(res.timing.headersMs).toBeGreaterThan(0);
    expect(res.timing.totalMs).toBeGreaterThanOrEqual(res.timing.headersMs!);
    await c.close();
  });

  it('lower-cases header names, joins repeated headers, and keeps a __proto__ header a plain field', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, [
        ['X-Trace', 'a'],
        ['x-trace', 'b'],
        ['Content-Type', 'application/fhir+json'],
        ['__proto__', 'polluted'],
        ['constructor', 'c'],
      ]);
      res.end('{}');
    });
    const c = client();
    const res = await c.request({ url: `${origin}/x` });
    expect(res.headers['x-trace']).toBe('a, b');
    expect(res.headers['content-type']).toBe('application/fhir+json');
    expect(Object.getOwnPropertyDescriptor(res.headers, '__proto__')?.value).toBe('polluted');
    expect(Object.getPrototypeOf(res.headers)).toBe(Object.prototype);
    expect(res.headers.constructor).toBe('c');
    expect(res.evidence.response?.headers['x-trace']).toBe('a, b');
    await c.close();
  });

  it('sends a lane on a connection of its own, and the same lane on the same connection', async () => {
    const portsOf = new Map<string, Set<number>>();
    const origin = await serve((req, res) => {
      const lane = req.url!.slice(1);
      if (!portsOf.has(lane)) portsOf.set(lane, new Set());
      portsOf.get(lane)!.add(req.socket.remotePort!);
      res.end('ok');
    });
    const c = client();
    for (let round = 0; round < 3; round++) {
      // A different lane first each round: a shared pool would hand its first free socket to whoever
      // asks first.
      const lanes = [0, 1, 2].map((i) => (i + round) % 3);
      await Promise.all(lanes.map((lane) => c.request({ url: `${origin}/${lane}`, lane })));
    }
    const ports = [...portsOf.values()];
    expect(ports.map((p) => p.size)).toEqual([1, 1, 1]);
    expect(new Set(ports.map((p) => [...p][0])).size).toBe(3);
    await c.close();
  });

  it('cancelAll stops every request in flight at once, on every lane, and refuses new ones', async () => {
    const origin = await serve(() => undefined); // accepts, never answers
    const c = client({ timeoutMs: 10_000 });
    const pending = [undefined, undefined, 0, 1, 2].map((lane) => c.request({ url: `${origin}/x`, lane }));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    c.cancelAll('the whole-run timeout');
    const answers = await Promise.all(pending);
    expect(performance.now() - t0).toBeLessThan(1000);
    for (const a of answers) {
      expect(a.error?.code).toBe('aborted');
      expect(a.error?.message).toMatch(/whole-run timeout/);
    }
    expect((await c.request({ url: `${origin}/x` })).error?.code).toBe('aborted');
    await c.close();
  });

  it('cancelAll also stops a request still queued for a connection: it never reaches the partner', async () => {
    let seen = 0;
    const origin = await serve(() => {
      seen += 1; // accepts, never answers
    });
    const c = client({ timeoutMs: 10_000 });
    // One lane is one connection: the second request waits in undici's queue behind the first.
    const pending = [c.request({ url: `${origin}/1`, lane: 0 }), c.request({ url: `${origin}/2`, lane: 0 })];
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toBe(1);
    c.cancelAll('the whole-run timeout');
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.error?.code)).toEqual(['aborted', 'aborted']);
    await c.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toBe(1);
  });

  it('answers with the final response, not a 1xx interim one before it', async () => {
    const origin = await serve((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' }, () => {
        res.writeHead(200, { 'content-type': 'application/fhir+json', 'server-timing': 'app;dur=1.5' });
        res.end('{"resourceType":"Patient"}');
      });
    });
    const c = client();
    const res = await c.request({ url: `${origin}/x` });
    expect(res.status).toBe(200);
    expect(res.headers.link).toBeUndefined();
    expect(res.serverMs).toBe(1.5);
    expect(res.json()).toEqual({ ok: true, value: { resourceType: 'Patient' } });
    await c.close();
  });

  it('a 1xx interim answer and then a reset is no answer at all, not a 103', async () => {
    const origin = await serve((req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' }, () => req.socket.resetAndDestroy());
    });
    const c = client();
    const res = await c.request({ url: `${origin}/x` });
    expect(res.status).toBe(0);
    expect(res.error?.code).toBe('reset');
    await c.close();
  });

  it('stops reading at the size cap and says so', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const c = client({ maxResponseBytes: 256 * 1024 });
    const res = await c.request({ url: origin });
    expect(res.error?.code).toBe('too-large');
    expect(res.body.length).toBe(256 * 1024);
    expect(res.evidence.response?.truncated).toBe(true);
    await c.close();
  });

  it('gives up on a server that never answers, within the timeout', async () => {
    const origin = await serve(() => undefined);
    const c = client({ timeoutMs: 200 });
    const res = await c.request({ url: origin });
    expect(res.status).toBe(0);
    expect(['timeout', 'headers-timeout']).toContain(res.error?.code);
    await c.close();
  });

  it('reports a reset connection', async () => {
    const origin = await serve((req) => req.socket.resetAndDestroy());
    const c = client();
    const res = await c.request({ url: origin });
    expect(res.error?.code).toBe('reset');
    await c.close();
  });

  it('reports a refused connection (the request fails before it has a connection)', async () => {
    const origin = await serve(() => undefined);
    await new Promise((r) => server!.close(r));
    server = undefined;
    const c = client();
    const res = await c.request({ url: `${origin}/x` });
    expect(res.status).toBe(0);
    expect(res.error?.code).toBe('refused');
    await c.close();
  });

  it('never follows a redirect, and flags one to another origin', async () => {
    let hits = 0;
    const origin = await serve((_req, res) => {
      hits += 1;
      res.writeHead(302, { location: 'https://elsewhere.example/steal' }).end();
    });
    const c = client();
    const res = await c.request({ url: origin, bearer: 'tok-abcdefghijklmnop' });
    expect(res.status).toBe(302);
    expect(res.redirect).toEqual({ location: 'https://elsewhere.example/steal', crossOrigin: true });
    expect(hits).toBe(1);
    await c.close();
  });

  it('refuses plain http unless allowed, without touching the network', async () => {
    const c = client({ allowInsecureHttp: false });
    const res = await c.request({ url: 'http://127.0.0.1:9/x' });
    expect(res.error?.code).toBe('insecure-http');
    await c.close();
  });

  it('masks the bearer token and secrets in evidence at capture time', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        '{"access_token":"eyJ0eXAiOiJKV1QifQ.payload-payload.signature-signature","token_type":"Bearer"}',
      );
    });
    const redactor = new Redactor();
    redactor.addSecret('the-client-secret');
    const c = client({ redactor });
    const res = await c.request({
      url: origin,
      method: 'POST',
      form: { client_secret: 'the-client-secret', scope: 't' },
      bearer: 'bearer-token-0123456789',
    });
    const evidence = JSON.stringify(res.evidence);
    expect(evidence).not.toContain('the-client-secret');
    expect(evidence).not.toContain('bearer-token-0123456789');
    expect(evidence).not.toContain('payload-payload.signature-signature');
    expect(res.text).toContain('signature-signature');
    await c.close();
  });
});

describe('HttpClient and keep-alive', () => {
  it('retries a GET once when the partner closes a reused connection as the request arrives', async () => {
    // The race of a server's idle timeout: the request goes out on a kept-alive socket at the moment
    // the server gives up on it, so the socket is reset before any answer.
    const used = new WeakSet<object>();
    let resets = 0;
    const origin = await serve((req, res) => {
      if (used.has(req.socket)) {
        resets += 1;
        req.socket.resetAndDestroy();
        return;
      }
      used.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const c = client();
    expect((await c.request({ url: origin })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const second = await c.request({ url: origin });
    expect(resets).toBe(1);
    expect(second.status).toBe(200);
    await c.close();
  });

  it.each([
    { method: 'POST', why: 'a POST may not be idempotent: sent once', sends: 1 },
    {
      method: 'GET',
      why: 'a GET that is reset every time: retried once, and the evidence says so',
      sends: 2,
    },
  ])('$why', async ({ method, sends }) => {
    let seen = 0;
    const origin = await serve((req) => {
      seen += 1;
      req.socket.resetAndDestroy();
    });
    const c = client();
    const res = await c.request({ url: origin, method, ...(method === 'POST' ? { body: 'x' } : {}) });
    expect(res.error?.code).toBe('reset');
    expect(seen).toBe(sends);
    if (sends === 2) expect(res.evidence.note).toMatch(/retried once/);
    else expect(res.evidence.note).toBeUndefined();
    await c.close();
  });

  it('masks a secret that straddles the evidence cut instead of keeping its first half', async () => {
    const secret = 'straddling-secret-0123456789';
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // The default evidence keeps 4 KiB: the secret starts 10 characters before the cut.
      res.end(`${'x'.repeat(4096 - 10)}${secret}${'y'.repeat(100)}`);
    });
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const c = client({ redactor });
    const res = await c.request({ url: `${origin}/x` });
    const body = res.evidence.response!.body!;
    expect(body).not.toContain(secret.slice(0, 10));
    expect(body).toMatch(/x\*\*\*y*…\[\d+ more characters\]$/);
    await c.close();
  });

  it('a head-only answer keeps the head the evidence shows, counts the rest, and is never parsed', async () => {
    const secret = 'straddling-secret-0123456789';
    // 2 MiB of JSON whose secret straddles the evidence cut, in many socket chunks.
    const text = `{"a":"${'x'.repeat(4096 - 16)}${secret}${'y'.repeat(2 * 1024 * 1024)}"}`;
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(text);
    });
    const redactor = new Redactor();
    redactor.addSecret(secret);
    const c = client({ redactor, maxResponseBytes: 4 << 20 });
    const res = await c.request({ url: `${origin}/x`, quiet: true, headOnly: true });
    expect(res.status).toBe(200);
    expect(res.error).toBeUndefined();
    expect(res.body.length).toBeLessThanOrEqual(128 * 1024);
    expect(text.startsWith(res.body.toString('latin1'))).toBe(true);
    const json = res.json();
    expect(json.ok).toBe(false);
    expect(json.ok ? '' : json.reason).toMatch(/only the first \d+ of the body's \d+ bytes were kept/);
    const evidence = res.evidence.response!;
    expect(evidence.bodyBytes).toBe(text.length);
    expect(evidence.truncated).toBe(true);
    expect(evidence.body).not.toContain(secret.slice(0, 10));
    expect(evidence.body).toMatch(/x\*\*\*y*…\[\d+ more bytes\]$/);
    const shown = evidence.body!.slice(0, evidence.body!.indexOf('…'));
    expect(
      evidence.body!.endsWith(`…[${text.length - Buffer.byteLength(text.slice(0, 4096))} more bytes]`),
    ).toBe(true);
    expect(shown.startsWith('{"a":"xxx')).toBe(true);
    // The same answer read whole parses and keeps every byte.
    const whole = await c.request({ url: `${origin}/x` });
    expect(whole.body.length).toBe(text.length);
    expect(whole.json().ok).toBe(true);
    await c.close();
  });

  it('a head-only answer shorter than its head is kept whole and reads as any other', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType":"Patient","id":"p1"}');
    });
    const c = client();
    const res = await c.request({ url: `${origin}/x`, headOnly: true });
    expect(res.json()).toEqual({ ok: true, value: { resourceType: 'Patient', id: 'p1' } });
    expect(res.evidence.response!.bodyBytes).toBe(36);
    expect(res.evidence.response!.truncated).toBeUndefined();
    await c.close();
  });

  it.each([
    ['with a Content-Length', true],
    ['chunked', false],
  ])('a large answer %s arrives byte for byte', async (_name, announced) => {
    const text = Array.from({ length: 200_000 }, (_, i) => `${i},`).join('');
    const origin = await serve((_req, res) => {
      res.writeHead(200, announced ? { 'content-length': Buffer.byteLength(text) } : {});
      // Written in pieces, so the client sees many chunks.
      for (let at = 0; at < text.length; at += 50_000) res.write(text.slice(at, at + 50_000));
      res.end();
    });
    const c = client({ maxResponseBytes: 4 << 20 });
    const res = await c.request({ url: `${origin}/x` });
    expect(res.error).toBeUndefined();
    expect(res.body.toString('latin1')).toBe(text);
    await c.close();
  });

  it('an announced length past the size cap allocates nothing for it and still stops at the cap', async () => {
    const origin = await serve((req, res) => {
      res.writeHead(200, { 'content-length': String(1 << 30) });
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      req.socket.on('close', () => res.off('drain', pump));
      pump();
    });
    const c = client({ maxResponseBytes: 512 * 1024 });
    const res = await c.request({ url: origin });
    expect(res.error?.code).toBe('too-large');
    expect(res.body.length).toBe(512 * 1024);
    expect(res.body.buffer.byteLength).toBeLessThan(1 << 30);
    await c.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import { runLoad } from '../../src/latency/load.js';
import { judgeLatency } from '../../src/latency/rows.js';
import { sampleSeries, type Interaction } from '../../src/latency/sampler.js';
import { startTinyServer, type TinyServer } from './tiny-server.js';

let server: TinyServer | undefined;
let client: HttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  server = client = undefined;
});

function newClient(timeoutMs = 5000): HttpClient {
  client = new HttpClient({
    timeoutMs,
    maxResponseBytes: 1 << 20,
    redactor: new Redactor(),
    allowInsecureHttp: true,
  });
  return client;
}

function get(c: HttpClient, url: string, label = 'GET x', cls: Interaction['cls'] = 'read'): Interaction {
  return { cls, label, send: (lane) => c.request({ url, quiet: true, lane }) };
}

const budget = { p95: 10_000, source: 'test' };

describe('sampleSeries', () => {
  it('drops the warm-up, keeps headers and total time apart, and passes a healthy series', async () => {
    server = await startTinyServer((_req, res) => {
      res.writeHead(200, { 'server-timing': 'app;dur=0.25' });
      res.write('first part');
      // The body ends later than the headers: total time must include it, time to first byte must not.
      setTimeout(() => res.end(' and the rest'), 30);
    });
    const series = await sampleSeries(get(newClient(), `${server.origin}/x`), {
      warmup: 2,
      samples: 5,
      budgetMs: budget.p95,
    });
    expect(server.requests).toBe(7);
    expect(series.samples).toHaveLength(5);
    for (const s of series.samples) {
      expect(s.status).toBe(200);
      expect(s.serverMs).toBe(0.25);
      expect(s.totalMs).toBeGreaterThanOrEqual(29);
      expect(s.headersMs!).toBeLessThan(s.totalMs);
    }
    const { row, outcome } = judgeLatency('LAT-03', series, budget);
    expect(outcome.status).toBe('pass');
    expect(row).toMatchObject({
      requirement: 'LAT-03',
      interaction: 'GET x',
      samples: 5,
      errors: 0,
      serverP50: 0.25,
    });
    expect(row.ttfbP50 as number).toBeLessThan(row.p50);
    // The slowest exchange is the row's evidence, masked and marked.
    expect(outcome.evidence).toHaveLength(1);
    expect(outcome.evidence![0]!.note).toMatch(/slowest/);
  });

  it('counts a failed request, fails the row and stops early', async () => {
    server = await startTinyServer((_req, res, n) => {
      res.writeHead(n === 4 ? 503 : 200).end();
    });
    const series = await sampleSeries(get(newClient(), `${server.origin}/x`), {
      warmup: 1,
      samples: 20,
      budgetMs: budget.p95,
    });
    expect(series.errors).toBe(1);
    expect(series.samples).toHaveLength(3);
    expect(series.stoppedEarly).toMatch(/failed request/);
    const { row, outcome } = judgeLatency('LAT-03', series, budget);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/1 of 3 requests failed.*HTTP 503/);
    expect(row.status).toBe('fail');
    expect(outcome.evidence![0]!.note).toBe('first failed request');
  });

  it('counts a timeout as a failure', async () => {
    server = await startTinyServer((_req, res, n) => {
      if (n === 2) setTimeout(() => res.end('late'), 1500);
      else res.end('ok');
    });
    const series = await sampleSeries(get(newClient(300), `${server.origin}/x`), {
      warmup: 1,
      samples: 3,
      budgetMs: budget.p95,
    });
    expect(series.timeouts).toBe(1);
    expect(judgeLatency('LAT-01', series, budget).outcome.message).toMatch(/1 timed out/);
  });

  it('stops once more samples are over budget than p95 allows, and only then', async () => {
    // 20 planned samples: one slow sample still passes p95, the second settles the verdict.
    server = await startTinyServer((_req, res, n) => {
      setTimeout(() => res.end(), n === 3 || n === 9 ? 40 : 0);
    });
    const series = await sampleSeries(get(newClient(), `${server.origin}/x`), {
      warmup: 1,
      samples: 20,
      budgetMs: 25,
    });
    expect(series.samples).toHaveLength(8);
    expect(series.stoppedEarly).toMatch(/2 samples over budget/);
    expect(judgeLatency('LAT-03', series, { p95: 25, source: 'test' }).outcome.status).toBe('fail');
  });

  it('records a request the harness could not send as a failed sample, not a crash', async () => {
    const broken: Interaction = {
      cls: 'read',
      label: 'GET y',
      send: () => Promise.reject(new Error('no token for tenant t')),
    };
    const series = await sampleSeries(broken, { warmup: 0, samples: 3, budgetMs: 100 });
    expect(series.errors).toBe(1);
    expect(judgeLatency('LAT-03', series, budget).outcome.message).toMatch(/no token for tenant t/);
  });
});

describe('runLoad', () => {
  it('keeps the planned number of users busy, stops at the request count and shares the mix', async () => {
    server = await startTinyServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    const c = newClient();
    const mix = [
      get(c, `${server.origin}/a`, 'a'),
      get(c, `${server.origin}/b`, 'b'),
      get(c, `${server.origin}/c`, 'c'),
    ];
    const load = await runLoad(mix, { users: 4, maxRequests: 30, maxMs: 20_000 });
    expect(load.requests).toBe(30);
    expect(server.requests).toBe(30);
    expect(server.maxInFlight).toBe(4);
    expect(load.series.map((s) => s.samples.length)).toEqual([10, 10, 10]);
    expect(load.stoppedBy).toBe('count');
    expect(load.errors).toBe(0);
    expect(load.throughputRps).toBeGreaterThan(0);
  });

  it('gives every user a connection of their own, one request at a time', async () => {
    const perSocket = new Map<number, number>();
    server = await startTinyServer((req, res) => {
      const port = req.socket.remotePort!;
      perSocket.set(port, (perSocket.get(port) ?? 0) + 1);
      setTimeout(() => res.end('ok'), 5);
    });
    const c = newClient();
    const load = await runLoad([get(c, `${server.origin}/a`)], { users: 4, maxRequests: 40, maxMs: 20_000 });
    expect(load.requests).toBe(40);
    expect(perSocket.size).toBe(4);
    expect([...perSocket.values()].reduce((a, b) => a + b, 0)).toBe(40);
    expect(server.maxInFlight).toBe(4);
  });

  it("with warm-up, opens every user's connection before the clock starts", async () => {
    // The first answer on each new connection is slow, as a TLS handshake to a distant partner is.
    const seen = new Set<number>();
    server = await startTinyServer((req, res) => {
      const port = req.socket.remotePort!;
      const first = !seen.has(port);
      seen.add(port);
      setTimeout(() => res.end('ok'), first ? 150 : 1);
    });
    const c = newClient();
    const cold = await runLoad([get(c, `${server.origin}/a`)], { users: 3, maxRequests: 30, maxMs: 20_000 });
    expect(cold.series[0]!.samples.totals().filter((ms) => ms >= 150)).toHaveLength(3);
    await c.close();

    seen.clear();
    const c2 = newClient();
    const warm = await runLoad([get(c2, `${server.origin}/a`)], {
      users: 3,
      maxRequests: 30,
      maxMs: 20_000,
      warmup: true,
    });
    expect(server.requests).toBe(30 + 3 + 30);
    expect(warm.requests).toBe(30);
    expect(Math.max(...warm.series[0]!.samples.totals())).toBeLessThan(150);
    await c2.close();
  });

  it('stops by itself at the time bound', async () => {
    server = await startTinyServer((_req, res) => setTimeout(() => res.end('ok'), 50));
    const c = newClient();
    const load = await runLoad([get(c, `${server.origin}/a`)], {
      users: 2,
      maxRequests: Infinity,
      maxMs: 300,
    });
    expect(load.stoppedBy).toBe('time');
    expect(load.requests).toBeGreaterThan(0);
    expect(load.requests).toBeLessThan(40);
  });

  it('counts errors under load per interaction', async () => {
    server = await startTinyServer((req, res) => res.writeHead(req.url === '/bad' ? 503 : 200).end());
    const c = newClient();
    const load = await runLoad(
      [get(c, `${server.origin}/good`, 'good'), get(c, `${server.origin}/bad`, 'bad')],
      {
        users: 3,
        maxRequests: 12,
        maxMs: 20_000,
      },
    );
    expect(load.errors).toBe(6);
    expect(load.series.map((s) => s.errors)).toEqual([0, 6]);
  });
});

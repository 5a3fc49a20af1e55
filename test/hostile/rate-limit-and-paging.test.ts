/**
 * Partners that make the harness wait or loop: 429 with Retry-After on data requests (honoured up to
 * a bound, then the row fails), and Bundle `next` links that loop, never end, or leave the origin
 * (bounded by --max-pages, never followed off-origin). Checks here are small test checks run through
 * the real engine and client, because they exercise the core (asTenant, runSearch) that every data
 * suite goes through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { asTenant, fhirUrl, sampleAsTenant } from '../../src/auth/session.js';
import type { TokenProvider } from '../../src/auth/token-client.js';
import { defineCheck, fail, pass, type Check } from '../../src/engine/check.js';
import { returnedResources } from '../../src/partner/facts.js';
import type { RunContext } from '../../src/engine/context.js';
import { describe as describeExchange } from '../../src/http/exchange.js';
import { retryAfterMs } from '../../src/http/retry.js';
import { judgeLatency } from '../../src/latency/rows.js';
import { sampleSeries } from '../../src/latency/sampler.js';
import { runSearch } from '../../src/partner/paged-search.js';
import { fhirMediaType } from '../helpers/capability.js';
import { runTestChecks } from '../helpers/engine.js';
import { accessAt, tokensAt } from '../helpers/partner-access.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { CLIENT_ID, SECRET, TENANT_A, TOKENS, startMiniPartner } from './mini-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

function options(overrides: Record<string, unknown> = {}) {
  return {
    baseUrl: partner!.baseUrl,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tenants: [TENANT_A],
    timeoutMs: 2000,
    ...overrides,
  };
}

/** A check that reads Patient?_count=1 as tenant A through asTenant, as the data suites do. */
const readAsTenant: Check = defineCheck({
  id: 'test-as-tenant',
  requirement: 'ROUTE-01',
  async run(ctx: RunContext) {
    const res = await asTenant(ctx, tokensOf(ctx), TENANT_A, { url: fhirUrl(ctx, 'Patient?_count=1') });
    return res.status === 200 ? pass('HTTP 200') : fail(`expected HTTP 200, got ${describeExchange(res)}`);
  },
});

function tokensOf(ctx: RunContext): TokenProvider {
  return tokensAt(ctx, `${partner!.origin}/oauth/token`);
}

function rateLimited(retryAfter: string | null, times = Infinity) {
  let hits = 0;
  const handler = http.get('*/fhir/Patient', () => {
    hits += 1;
    if (hits > times) {
      return HttpResponse.json(
        { resourceType: 'Bundle', type: 'searchset', total: 0 },
        { headers: { 'content-type': fhirMediaType.stu3 } },
      );
    }
    return HttpResponse.json(
      { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled' }] },
      { status: 429, headers: retryAfter === null ? {} : { 'retry-after': retryAfter } },
    );
  });
  return { handler, hits: () => hits };
}

describe('429 Too Many Requests on data requests (asTenant)', () => {
  it('Retry-After: 1, twice: waited out, the third attempt answers, every 429 is evidence', async () => {
    const limit = rateLimited('1', 2);
    partner = await startMiniPartner({ extra: [limit.handler] });
    const t0 = performance.now();
    const { rows } = await runTestChecks([readAsTenant], options());
    const row = rows[0]!;
    expect(row.status, row.message).toBe('pass');
    expect(limit.hits()).toBe(3);
    expect(row.evidence.map((e) => e.response?.status)).toEqual([429, 429, 200]);
    expect(row.evidence[0]!.note).toMatch(/rate limited \(429\); retried after 1000 ms/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('Retry-After beyond the per-request timeout: not waited, the row fails at once and says why', async () => {
    const limit = rateLimited('3600');
    partner = await startMiniPartner({ extra: [limit.handler] });
    const t0 = performance.now();
    const { rows } = await runTestChecks([readAsTenant], options({ timeoutMs: 2000 }));
    const row = rows[0]!;
    expect(row.status).toBe('fail');
    expect(row.message).toMatch(/got HTTP 429/);
    expect(limit.hits()).toBe(1);
    expect(row.evidence[0]!.note).toMatch(/Retry-After asks for 3600 s; the harness waits at most 2000 ms/);
    expect(performance.now() - t0).toBeLessThan(2000 + 3000);
  });

  it('429 that never ends: at most 2 retries, then the row fails', async () => {
    const limit = rateLimited('0');
    partner = await startMiniPartner({ extra: [limit.handler] });
    const { rows } = await runTestChecks([readAsTenant], options());
    expect(rows[0]!.status).toBe('fail');
    expect(limit.hits()).toBe(3);
    expect(rows[0]!.evidence.at(-1)!.note).toMatch(/still 429 after 2 retries/);
  });

  it('429 without Retry-After waits a default second, within the bound', async () => {
    const limit = rateLimited(null, 1);
    partner = await startMiniPartner({ extra: [limit.handler] });
    const { rows } = await runTestChecks([readAsTenant], options());
    expect(rows[0]!.status).toBe('pass');
    expect(rows[0]!.evidence[0]!.note).toMatch(/no usable Retry-After/);
  });

  it('the whole-run timeout ends the wait', async () => {
    const limit = rateLimited('5');
    partner = await startMiniPartner({ extra: [limit.handler] });
    const t0 = performance.now();
    const { rows, timedOut } = await runTestChecks(
      [readAsTenant],
      options({ timeoutMs: 10_000, runTimeoutMs: 800 }),
    );
    expect(timedOut).toBe(true);
    expect(rows[0]!.status).toBe('error');
    expect(rows[0]!.message).toMatch(/whole-run timeout of 800 ms/);
    expect(performance.now() - t0).toBeLessThan(800 + 3000);
    expect(limit.hits()).toBe(1);
  });

  it('a latency sample takes the 429 as its answer and does not wait (sampleAsTenant)', async () => {
    const limit = rateLimited('1', 1);
    partner = await startMiniPartner({ extra: [limit.handler] });
    const sampled: Check = {
      ...readAsTenant,
      async run(ctx: RunContext) {
        const t0 = performance.now();
        const res = await sampleAsTenant(ctx, tokensOf(ctx), TENANT_A, {
          url: fhirUrl(ctx, 'Patient?_count=1'),
          quiet: true,
        });
        const waited = performance.now() - t0;
        return res.status === 429 && waited < 900
          ? pass(`HTTP 429 after ${waited} ms`)
          : fail(`expected an unwaited 429, got ${describeExchange(res)} after ${waited} ms`);
      },
    };
    const { rows } = await runTestChecks([sampled], options());
    expect(rows[0]!.status, rows[0]!.message).toBe('pass');
    expect(limit.hits()).toBe(1);
  });

  it('a partner rate-limiting the samples fails the latency row with the 429, unwaited', async () => {
    const limit = rateLimited('1');
    partner = await startMiniPartner({ extra: [limit.handler] });
    const latencyRow: Check = {
      ...readAsTenant,
      id: 'test-lat-row',
      requirement: 'LAT-04',
      async run(ctx: RunContext) {
        const tokens = tokensOf(ctx);
        const req = { url: fhirUrl(ctx, 'Patient?_count=1'), quiet: true };
        const series = await sampleSeries(
          {
            cls: 'search',
            label: 'GET Patient?_count=1',
            send: (lane) => sampleAsTenant(ctx, tokens, TENANT_A, req, lane),
          },
          { warmup: 0, samples: 5, budgetMs: 1000 },
        );
        return judgeLatency('LAT-04', series, { p95: 1000, source: 'test' }).outcome;
      },
    };
    const { rows } = await runTestChecks([latencyRow], options());
    expect(rows[0]!.status).toBe('fail');
    expect(rows[0]!.message).toMatch(/1 of 1 request failed .*HTTP 429/);
    // One request: the sample was not retried after the Retry-After, and sampling stopped at the failure.
    expect(limit.hits()).toBe(1);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('-5', now)).toBeUndefined();
    expect(retryAfterMs('1e9', now)).toBeUndefined();
    expect(retryAfterMs('99999999999', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

/** A check that runs the Patient search through runSearch and reports its problems. */
function searching(maxPages?: number): Check {
  return defineCheck({
    id: 'test-paged-search',
    requirement: 'SRCH-CNT-1',
    adds: [returnedResources],
    async run(ctx) {
      const result = await runSearch(
        accessAt(ctx, `${partner!.origin}/oauth/token`),
        TENANT_A,
        { method: 'GET', path: 'Patient', params: [['_count', '1']] },
        { ...(maxPages ? { maxPages } : {}) },
      );
      if (result.fatal) return fail(result.fatal);
      const problems = [
        ...result.problems,
        ...(result.truncated ? [`stopped at --max-pages after ${result.pages} pages`] : []),
      ];
      return problems.length ? fail(problems.join('; '), { evidence: result.evidence }) : pass('ok');
    },
  });
}

function pages(next: (page: number, url: URL) => string | undefined) {
  let hits = 0;
  const handler = http.get('*/fhir/Patient', ({ request }) => {
    hits += 1;
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const link = next(page, url);
    return HttpResponse.json(
      {
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1_000_000,
        link: link ? [{ relation: 'next', url: link }] : [],
        entry: [{ resource: { resourceType: 'Patient', id: `p${page}` }, search: { mode: 'match' } }],
      },
      { headers: { 'content-type': fhirMediaType.stu3 } },
    );
  });
  return { handler, hits: () => hits };
}

describe('Bundle next links (runSearch)', () => {
  it('a next link back to the first page: a loop, reported, read once', async () => {
    const p = pages((_page, url) => url.href);
    partner = await startMiniPartner({ extra: [p.handler] });
    const { rows } = await runTestChecks([searching()], options());
    expect(rows[0]!.status).toBe('fail');
    expect(rows[0]!.message).toMatch(/paging loops: page 1 links back to/);
    expect(p.hits()).toBe(1);
  });

  it('a two-page cycle: a loop after page 2', async () => {
    const p = pages((page) => `${partner!.baseUrl}/Patient?_count=1&page=${page === 1 ? 2 : 1}`);
    partner = await startMiniPartner({ extra: [p.handler] });
    const { rows } = await runTestChecks([searching()], options());
    expect(rows[0]!.message).toMatch(/paging loops: page 3 links back to/);
    expect(p.hits()).toBe(3);
  });

  it('next links that never end stop at --max-pages', async () => {
    const p = pages((page) => `${partner!.baseUrl}/Patient?_count=1&page=${page + 1}`);
    partner = await startMiniPartner({ extra: [p.handler] });
    const { rows } = await runTestChecks([searching()], options({ maxPages: 5 }));
    expect(rows[0]!.message).toMatch(/stopped at --max-pages after 5 pages/);
    expect(p.hits()).toBe(5);
    expect(rows[0]!.evidence.length).toBe(5);
  });

  it('a next link to another origin is never followed: the token stays home', async () => {
    const p = pages(() => 'https://collector.example/steal?page=2');
    partner = await startMiniPartner({ extra: [p.handler] });
    const { rows } = await runTestChecks([searching()], options());
    expect(rows[0]!.message).toMatch(/leaves the partner's origin .*not followed/);
    expect(p.hits()).toBe(1);
    expect(JSON.stringify(rows)).not.toContain(TOKENS[TENANT_A]);
  });

  it('a Bundle whose type is 100 000 levels deep: a problem, not a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    partner = await startMiniPartner({
      extra: [
        http.get(
          '*/fhir/Patient',
          () =>
            new HttpResponse(`{"resourceType":"Bundle","type":${deep},"total":0}`, {
              headers: { 'content-type': fhirMediaType.stu3 },
            }),
        ),
      ],
    });
    const { rows } = await runTestChecks([searching()], options());
    // paged-search.ts quotes partner values with brief(), which never throws on depth.
    expect(rows[0]!.status).toBe('fail');
    expect(rows[0]!.message).toMatch(/type/);
  });

  // End to end through the SRCH suite (a looping next link fails the SRCH row): test/suites/search.edge.test.ts.
});

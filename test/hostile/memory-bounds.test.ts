/**
 * What a run keeps of each answer is bounded, whatever the partner sends within the caps
 * (bench/memory.bench.ts measures the whole run's peak RSS): a search keeps at most MAX_KEPT_MATCHES
 * matches and the evidence of its pages, not the answers; a returned resource is kept as its verdict;
 * a body nested past MAX_JSON_DEPTH is refused before it is parsed; the evidence preview of a large
 * body does not decode all of it; a latency sample keeps only the head of its body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { asTenant, fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, pass } from '../../src/engine/check.js';
import { returnedResources } from '../../src/partner/facts.js';
import { MAX_KEPT_MATCHES, runSearch, settled, type SearchResult } from '../../src/partner/paged-search.js';
import type { ReturnedResource } from '../../src/partner/returned.js';
import { loadValidator } from '../../src/fhir/validate.js';
import { bodyPreview } from '../../src/http/answer.js';
import type { Exchange, JsonResult } from '../../src/http/exchange.js';
import { metadataInteraction, tokenInteraction } from '../../src/latency/interactions.js';
import { record, sampleOf, type Series } from '../../src/latency/sampler.js';
import { Timings } from '../../src/latency/timings.js';
import { MAX_JSON_DEPTH } from '../../src/json/nesting.js';
import { fhirMediaType } from '../helpers/capability.js';
import { runTestChecks } from '../helpers/engine.js';
import { accessAt, tokensAt } from '../helpers/partner-access.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { CLIENT_ID, SECRET, TENANT_A, startMiniPartner } from './mini-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const options = () => ({
  baseUrl: partner!.baseUrl,
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  tenants: [TENANT_A],
  timeoutMs: 5000,
  fhirVersion: 'stu3' as const,
});

function patients(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    resource: { resourceType: 'Patient', id: `p${from + i}`, gender: i === 3 ? 'M' : 'female' },
    search: { mode: 'match' },
  }));
}

/** Runs one search through the engine and hands back what it returned and what the run kept. */
async function search(): Promise<{ result: SearchResult; returned: ReturnedResource[] }> {
  let out: { result: SearchResult; returned: ReturnedResource[] } | undefined;
  const check = defineCheck({
    id: 'test-search',
    requirement: 'SRCH-PAT-1',
    adds: [returnedResources],
    async run(ctx) {
      // As META-02 does once it knows the version: from then on, returned resources are judged at once.
      await loadValidator('stu3');
      const result = await runSearch(accessAt(ctx, `${partner!.origin}/oauth/token`), TENANT_A, {
        method: 'GET',
        path: 'Patient',
        params: [],
      });
      out = { result, returned: [...ctx.collect(returnedResources).values()] };
      return result.fatal ? fail(result.fatal) : pass('read');
    },
  });
  const { rows } = await runTestChecks([check], options());
  expect(rows[0]!.status, rows[0]!.message).toBe('pass');
  return out!;
}

describe('a search keeps a bounded number of matches', () => {
  it(`stops at ${MAX_KEPT_MATCHES} matches kept, counting every match it saw, and follows no further page`, async () => {
    let hits = 0;
    const perPage = 6_000;
    partner = await startMiniPartner({
      extra: [
        http.get('*/fhir/Patient', ({ request }) => {
          hits += 1;
          const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
          return HttpResponse.json(
            {
              resourceType: 'Bundle',
              type: 'searchset',
              total: 100_000,
              link: [{ relation: 'next', url: `${partner!.baseUrl}/Patient?page=${page + 1}` }],
              entry: patients((page - 1) * perPage, perPage),
            },
            { headers: { 'content-type': fhirMediaType.stu3 } },
          );
        }),
      ],
    });
    const { result } = await search();
    expect(hits).toBe(2);
    expect(result.pages).toBe(2);
    expect(result.matches).toHaveLength(MAX_KEPT_MATCHES);
    expect(result.matchCount).toBe(2 * perPage);
    expect(result.firstPageCount).toBe(perPage);
    expect(result.truncated).toBe(true);
    expect(result.truncatedBy).toBe('kept-matches');
    // The answers are not kept, only their masked evidence.
    expect(result.evidence).toHaveLength(2);
    expect(result).not.toHaveProperty('exchanges');
    const kept = settled(result);
    expect(kept.matches).toEqual([]);
    expect(kept.firstPage).toEqual([]);
    expect(kept.firstPageRefs).toHaveLength(perPage);
    expect(kept.firstPageRefs![0]).toBe('Patient/p0');
    expect(kept.matchCount).toBe(2 * perPage);
  });

  it('one page with more matches than the bound keeps the first ones and says it stopped', async () => {
    partner = await startMiniPartner({
      extra: [
        http.get('*/fhir/Patient', () =>
          HttpResponse.json(
            {
              resourceType: 'Bundle',
              type: 'searchset',
              total: MAX_KEPT_MATCHES + 5,
              entry: patients(0, MAX_KEPT_MATCHES + 5),
            },
            { headers: { 'content-type': fhirMediaType.stu3 } },
          ),
        ),
      ],
    });
    const { result } = await search();
    expect(result.matches).toHaveLength(MAX_KEPT_MATCHES);
    expect(result.firstPageCount).toBe(MAX_KEPT_MATCHES + 5);
    expect(result.truncatedBy).toBe('kept-matches');
  });

  it('a returned resource is kept as its verdict once the version is known, not as the resource', async () => {
    partner = await startMiniPartner({
      extra: [
        http.get('*/fhir/Patient', () =>
          HttpResponse.json(
            { resourceType: 'Bundle', type: 'searchset', total: 5, entry: patients(0, 5) },
            { headers: { 'content-type': fhirMediaType.stu3 } },
          ),
        ),
      ],
    });
    const { returned } = await search();
    expect(returned).toHaveLength(6); // the envelope and five Patients
    for (const r of returned) expect(r).not.toHaveProperty('resource');
    const bad = returned.find((r) => r.key === 'Patient/p3')!;
    expect(bad.validity).toEqual({
      version: 'stu3',
      issues: 1,
      first: { path: 'Patient.gender', message: 'expected one of male, female, other, unknown but got "M"' },
    });
    expect(returned.find((r) => r.key === 'Patient/p0')!.validity).toEqual({ version: 'stu3', issues: 0 });
  });
});

describe('nesting past MAX_JSON_DEPTH is refused before parsing', () => {
  async function jsonOf(body: string): Promise<JsonResult> {
    let parsed: JsonResult | undefined;
    partner = await startMiniPartner({
      extra: [
        http.get(
          '*/fhir/Patient',
          () => new HttpResponse(body, { headers: { 'content-type': fhirMediaType.stu3 } }),
        ),
      ],
    });
    const check = defineCheck({
      id: 'test-read',
      requirement: 'ROUTE-01',
      async run(ctx) {
        parsed = (
          await asTenant(ctx, tokensAt(ctx, `${partner!.origin}/oauth/token`), TENANT_A, {
            url: fhirUrl(ctx, 'Patient'),
          })
        ).json();
        return pass('read');
      },
    });
    await runTestChecks([check], options());
    await partner.close();
    partner = undefined;
    return parsed!;
  }

  it('a million levels: not parsed, and the reason names the bound', async () => {
    const deep = `{"resourceType":"Bundle","entry":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    const parsed = await jsonOf(deep);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(
      /^the body nests deeper than 200,000 levels of arrays and objects \(past byte offset 200032\); it was not parsed$/,
    );
  });

  it(`exactly ${MAX_JSON_DEPTH} levels, brackets inside strings not counted: parsed as before`, async () => {
    const n = MAX_JSON_DEPTH - 1;
    const parsed = await jsonOf(`{"note":"${'['.repeat(300_000)}","x":${'['.repeat(n)}${']'.repeat(n)}}`);
    expect(parsed.ok).toBe(true);
  });
});

describe('the evidence preview of a large body', () => {
  it('equals cutting the decoded text, for ASCII, accents, CJK and astral characters', () => {
    const full = (text: string, max: number): string =>
      text.length > max ? `${text.slice(0, max)}…[${text.length - max} more characters]` : text;
    for (const unit of ['a', 'é', '漢', '😀', 'aé漢😀']) {
      for (const repeat of [1, 100, 5_000, 60_000]) {
        const text = unit.repeat(repeat);
        expect(bodyPreview(Buffer.from(text), 4096)).toBe(full(text, 4096));
      }
    }
  });
});

describe('a latency series keeps what its row shows, not the answers', () => {
  it('the slowest and the first failed sample are kept as timing and evidence, without their bodies', () => {
    const answer = (totalMs: number, status: number): Exchange => ({
      status,
      headers: {},
      body: Buffer.alloc(1 << 20),
      text: '',
      json: () => ({ ok: false, reason: 'not read' }),
      timing: { startedAtMs: 0, totalMs },
      evidence: {
        request: { method: 'GET', url: 'https://x/fhir/metadata', headers: {} },
        timing: { startedAt: '', totalMs },
      },
    });
    const series: Series = {
      interaction: {} as Series['interaction'],
      planned: 3,
      samples: new Timings(),
      errors: 0,
      timeouts: 0,
    };
    record(series, { sample: sampleOf(answer(5, 200)), exchange: answer(5, 200) });
    record(series, { sample: sampleOf(answer(9, 200)), exchange: answer(9, 200) });
    record(series, { sample: sampleOf(answer(3, 500)), exchange: answer(3, 500) });
    expect(Object.keys(series.slowest!).sort()).toEqual(['evidence', 'timing']);
    expect(series.slowest!.timing.totalMs).toBe(9);
    expect(Object.keys(series.firstFailure!).sort()).toEqual(['evidence', 'timing']);
  });
});

describe('a latency sample reads only what its evidence shows', () => {
  it('a metadata sample keeps the head of a 2 MiB answer and counts the rest; a token sample still reads its token', async () => {
    const pad = 'x'.repeat(2 * 1024 * 1024);
    partner = await startMiniPartner({
      extra: [
        http.get('*/fhir/metadata', () =>
          HttpResponse.json(
            { resourceType: 'CapabilityStatement', fhirVersion: '3.0.1', _pad: pad },
            { headers: { 'content-type': fhirMediaType.stu3 } },
          ),
        ),
      ],
    });
    let metadata: Exchange | undefined;
    let token: Exchange | undefined;
    const check = defineCheck({
      id: 'test-samples',
      requirement: 'LAT-01',
      async run(ctx) {
        metadata = await metadataInteraction(ctx).send();
        token = await tokenInteraction(ctx, `${partner!.origin}/oauth/token`, TENANT_A).send();
        return pass('sampled');
      },
    });
    const { rows } = await runTestChecks([check], options());
    expect(rows[0]!.status, rows[0]!.message).toBe('pass');
    expect(metadata!.status).toBe(200);
    expect(metadata!.body.length).toBeLessThan(256 * 1024);
    const evidence = metadata!.evidence.response!;
    expect(evidence.bodyBytes).toBeGreaterThan(pad.length);
    expect(evidence.truncated).toBe(true);
    expect(evidence.body).toMatch(/^\{"resourceType":"CapabilityStatement".*…\[\d+ more bytes\]$/);
    expect(metadata!.json().ok).toBe(false);
    // The token sample needs its token (the redactor learns it from the answer): read whole.
    expect(token!.json().ok).toBe(true);
  });
});

/**
 * BATCH: the app posts one `batch` Bundle of GET entries when it needs several things at once (the
 * profile's `batch`: the Patient read and the searches). The answer must be a `batch-response` with
 * one entry per request, in order, each with `response.status`, holding the same resources as the
 * single calls (compared by id: the read's resource, and the first page of each search).
 */
import { asTenant, fhirUrl } from '../src/auth/session.js';
import { defineCheck, fail, na, pass, skip, type Outcome } from '../src/engine/check.js';
import { dataAdds, dataFacts, partnerAccess, type PartnerAccess } from '../src/partner/access.js';
import { batchJudged, searchRuns, type SearchRun } from '../src/partner/facts.js';
import { describe, type Exchange } from '../src/http/exchange.js';
import type { Evidence } from '../src/core/model.js';
import { bundleEntries, bundleType, isBundle, isResource } from '../src/fhir/bundle.js';
import { isObject, objects, str } from '../src/core/json.js';
import { evidenceOf, ref, runSearch } from '../src/partner/paged-search.js';
import { perProbe, valuesOf } from '../src/partner/patient-data.js';
import type { Probe } from '../src/partner/probe.js';
import { fill } from '../src/fhir/search-values.js';
import { fillRequest, getForm } from '../src/profile/requests.js';
import { recordReturned } from '../src/partner/returned.js';
import { fhirJsonMediaType } from '../src/fhir/version.js';
import type { Profile } from '../src/profile/model.js';
import { runKey } from './search.js';
import { counted } from '../src/core/wording.js';

/** One batch entry and what the single call returned: the read's id, or the first page's ids. */
interface Planned {
  /** `Patient/123 (read)` or `family (Patient?family=Smi)`. */
  name: string;
  url: string;
  kind: 'read' | 'search';
  /** Ids of the single call's answer; undefined when the single call itself failed. */
  expected?: string[];
  singleProblem?: string;
  evidence: Evidence[];
}

async function plan(
  partner: PartnerAccess,
  runs: ReadonlyMap<string, SearchRun>,
  probe: Probe,
  profile: Profile,
): Promise<{ planned: Planned[]; left: string[] }> {
  const values = valuesOf(probe);
  const planned: Planned[] = [];
  const left: string[] = [];
  for (const entry of profile.batch?.entries ?? []) {
    if ('read' in entry) {
      const path = fill(entry.read, values);
      if (!path.ok) {
        left.push(`${entry.read} (the probe has no ${path.missing})`);
        continue;
      }
      const exchange = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
        url: fhirUrl(partner.ctx, path.value),
      });
      const body = exchange.status === 200 ? exchange.json() : undefined;
      const read = body?.ok && isResource(body.value) ? body.value : undefined;
      planned.push({
        name: `${path.value} (read)`,
        url: path.value,
        kind: 'read',
        evidence: [exchange.evidence],
        ...(read
          ? { expected: [ref(read)] }
          : { singleProblem: `the single GET ${path.value} answered ${describe(exchange)}` }),
      });
      continue;
    }
    const query = profile.searches?.find((q) => q.id === entry.query);
    if (!query) continue;
    const filled = fillRequest(query, values);
    if (!filled.ok) {
      left.push(`${query.id} (the probe has no ${filled.missing})`);
      continue;
    }
    // The single call as the app sends it; the SRCH suite's answer is reused when it ran.
    const earlier = runs.get(runKey(probe.tenant, query.id));
    const single =
      earlier?.result ??
      (await runSearch(partner, probe.tenant, filled.request, { resultType: query.resultType, maxPages: 1 }));
    const url = getForm(filled.request);
    planned.push({
      name: `${query.id} (${url})`,
      url,
      kind: 'search',
      evidence: evidenceOf(single).slice(0, 1),
      ...(single.fatal
        ? { singleProblem: `the single call failed: ${single.fatal}` }
        : { expected: single.firstPageRefs ?? single.firstPage.map(ref) }),
    });
  }
  return { planned, left };
}

function sameIds(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

function shortList(ids: string[]): string {
  if (ids.length === 0) return 'nothing';
  return ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
}

async function batchRow(
  partner: PartnerAccess,
  runs: ReadonlyMap<string, SearchRun>,
  probe: Probe,
  profile: Profile,
): Promise<Outcome> {
  const subject = `batch @ tenant ${probe.tenant}`;
  const { planned, left } = await plan(partner, runs, probe, profile);
  if (planned.length === 0)
    return skip(`no batch entry could be made: ${left.join('; ')}`, { subject, evidence: [] });
  const version = partner.version;
  const bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: planned.map((p) => ({ request: { method: 'GET', url: p.url } })),
  };
  const exchange: Exchange = await asTenant(partner.ctx, partner.tokens, probe.tenant, {
    method: 'POST',
    url: fhirUrl(partner.ctx, ''),
    json: bundle,
    headers: { 'content-type': `${fhirJsonMediaType[version]}; charset=utf-8` },
  });
  const evidence = [exchange.evidence];
  const withSingles = (): Evidence[] => [...evidence, ...planned.flatMap((p) => p.evidence)];
  if (exchange.status !== 200) {
    return fail(
      `POST [base] with a batch of ${planned.length} GET entries answered ${describe(exchange)}; expected 200`,
      {
        subject,
        evidence,
      },
    );
  }
  const parsed = exchange.json();
  if (!parsed.ok) return fail(`the batch answered 200 but ${parsed.reason}`, { subject, evidence });
  const response = parsed.value;
  if (!isBundle(response)) return fail('the batch answer is not a Bundle', { subject, evidence });
  recordReturned(partner, probe.tenant, response, `POST [base] batch`, exchange.evidence);
  const problems: string[] = [];
  if (bundleType(response) !== 'batch-response') {
    problems.push(`its type is ${JSON.stringify(response.type ?? null)}, not "batch-response"`);
  }
  const entries = objects(response.entry);
  if (entries.length !== planned.length) {
    problems.push(
      `it holds ${counted(entries.length, 'entry', 'entries')} for ${counted(planned.length, 'request')}`,
    );
  }
  const compared: string[] = [];
  planned.forEach((p, i) => {
    const entry = entries[i];
    if (!entry) return;
    const at = `entry ${i + 1} (${p.name})`;
    const status = isObject(entry.response) ? str(entry.response.status) : undefined;
    if (!status) {
      problems.push(`${at} has no response.status`);
      return;
    }
    if (!p.expected) return; // the single call failed: nothing to compare with
    if (!/^2\d\d\b/.test(status)) {
      problems.push(`${at} answered "${status}" where the single call succeeded`);
      return;
    }
    const resource = entry.resource;
    const got =
      p.kind === 'read'
        ? isResource(resource)
          ? [ref(resource)]
          : []
        : isBundle(resource)
          ? bundleEntries(resource, { mode: 'match' }).map(ref)
          : undefined;
    if (got === undefined) {
      problems.push(
        `${at} holds ${isResource(resource) ? ref(resource) : 'no resource'}, not a searchset Bundle`,
      );
    } else if (!sameIds(got, p.expected)) {
      problems.push(`${at} holds ${shortList(got)}, but the single call returned ${shortList(p.expected)}`);
    } else compared.push(p.name);
  });
  const notes = [
    ...planned.filter((p) => p.singleProblem).map((p) => `${p.name}: ${p.singleProblem!}`),
    ...(left.length ? [`not sent: ${left.join(', ')}`] : []),
  ];
  if (problems.length) {
    return fail(
      `batch of ${planned.length} GET entries: ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? `; and ${problems.length - 4} more` : ''}`,
      {
        subject,
        evidence: withSingles(),
      },
    );
  }
  return pass(
    `a batch-response with ${counted(entries.length, 'entry', 'entries')} in order, each with response.status; ${compared.length} hold the same resources as the single calls${notes.length ? `; ${notes.join('; ')}` : ''}`,
    { subject, evidence },
  );
}

export const batchChecks = [
  defineCheck({
    id: 'batch-1-batch',
    requirement: 'BATCH-1',
    // The SRCH checks' answers are reused when they ran.
    uses: { ...dataFacts, runs: searchRuns },
    adds: dataAdds,
    provides: [batchJudged],
    async run(ctx, { runs, ...given }) {
      const partner = partnerAccess(ctx, given);
      const { profile } = partner;
      // Given to LAT-05 only when this check passes, warns or is not applicable.
      ctx.provide(batchJudged, true);
      if (!profile.batch || profile.batch.entries.length === 0)
        return na(`the profile ${profile.name} defines no batch`);
      return perProbe(partner, (probe) => batchRow(partner, runs, probe, profile));
    },
  }),
];

/**
 * SRCH: the exact queries the app sends (the profile's `searches`), for the probe patient of every
 * tenant, with values taken from that patient's own data. Every answer must be a `searchset` Bundle
 * with `total`; then the query's expectations are judged on every match: the probe is found, every
 * match contains the value, only the asked patient's resources, newest first… SRCH-CNT-1 runs last
 * and also judges `_count` on every other query that sent it.
 */
import { defineCheck, fail, na, pass, skip, type Check, type Outcome } from '../src/engine/check.js';
import { dataAdds, dataFacts, partnerAccess, type PartnerAccess } from '../src/partner/access.js';
import { searchRuns, type SearchRun } from '../src/partner/facts.js';
import type { Evidence } from '../src/core/model.js';
import { evidenceOf, runSearch, settled } from '../src/partner/paged-search.js';
import { isServed, perProbe, tenantProbes, valuesOf } from '../src/partner/patient-data.js';
import type { Probe } from '../src/partner/probe.js';
import { fillRequest, type FilledRequest } from '../src/profile/requests.js';
import { allEvidence, judgeSearch } from '../src/partner/search-judge.js';
import type { SearchQuery } from '../src/profile/model.js';

/** A search check records each search it runs, for SRCH-CNT-1 and BATCH-1. */
const searchAdds = [...dataAdds, searchRuns];

export function runKey(tenant: string, queryId: string): string {
  return `${tenant} ${queryId}`;
}

function subjectOf(query: SearchQuery, probe: Probe): string {
  return `${query.id} @ tenant ${probe.tenant}`;
}

type Prepared = { ok: true; request: FilledRequest } | { ok: false; outcome: Outcome };

function prepare(partner: PartnerAccess, probe: Probe, query: SearchQuery): Prepared {
  const subject = subjectOf(query, probe);
  const type = partner.profile.resources.find((r) => r.type === query.resultType);
  if (type && !isServed(partner.rest, type)) {
    return {
      ok: false,
      outcome: na(`${query.resultType} is not supported: the capability statement does not list it`, {
        subject,
        evidence: [],
      }),
    };
  }
  const filled = fillRequest(query, valuesOf(probe));
  if (!filled.ok) {
    return {
      ok: false,
      outcome: skip(
        `the probe Patient/${probe.id} has no ${filled.missing} to search by; name a probe patient that has one with --probe-patient`,
        { subject, evidence: [] },
      ),
    };
  }
  return { ok: true, request: filled.request };
}

/** Runs one query for one tenant, records it, and judges its shape and its expectations. */
async function searchRow(partner: PartnerAccess, probe: Probe, query: SearchQuery): Promise<Outcome> {
  const subject = subjectOf(query, probe);
  const prepared = prepare(partner, probe, query);
  if (!prepared.ok) return prepared.outcome;
  const { request } = prepared;
  const result = await runSearch(partner, probe.tenant, request, { resultType: query.resultType });
  partner.ctx.collect(searchRuns).set(runKey(probe.tenant, query.id), {
    query,
    tenant: probe.tenant,
    request,
    result: settled(result),
  });
  if (result.fatal) return fail(result.fatal, { subject, evidence: evidenceOf(result) });
  const version = partner.version;
  const type = partner.profile.resources.find((r) => r.type === query.resultType);
  const judgement = await judgeSearch({
    partner,
    probe,
    values: valuesOf(probe),
    query,
    request,
    result,
    version,
    ...(type ? { type } : {}),
  });
  const problems = [...result.problems, ...judgement.problems];
  const evidence = allEvidence(result, judgement);
  const size = `${result.matchCount} match(es)${result.total !== undefined ? `, total ${result.total}` : ''}${
    result.pages > 1 ? ` over ${result.pages} pages` : ''
  }`;
  if (problems.length) {
    return fail(`${result.label}: ${problems.join('; ')}`, { subject, evidence });
  }
  if (judgement.undecided.length) {
    return skip(`${result.label}: ${[size, ...judgement.notes, ...judgement.undecided].join('; ')}`, {
      subject,
      evidence,
    });
  }
  return pass(`${result.label}: ${[size, ...judgement.notes].join('; ')}`, {
    subject,
    evidence: evidence.slice(0, 1),
  });
}

function searchCheck(id: string, requirement: string): Check {
  return defineCheck({
    id,
    requirement,
    uses: dataFacts,
    adds: searchAdds,
    async run(ctx, given) {
      const partner = partnerAccess(ctx, given);
      const profile = partner.profile;
      const queries = (profile.searches ?? []).filter((q) => q.requirement === requirement);
      if (queries.length === 0) return na(`the profile ${profile.name} sends no ${requirement} query`);
      return perProbe(partner, async (probe) => {
        const outcomes: Outcome[] = [];
        for (const query of queries) outcomes.push(await searchRow(partner, probe, query));
        return outcomes;
      });
    },
  });
}

/** `_count=n`: at most n matches on the first page, and a total that covers them. */
export function countProblems(
  run: SearchRun,
): { count: number; problems: string[]; note: string } | undefined {
  const raw = run.request.params.find(([k]) => k === '_count')?.[1];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const count = Number(raw);
  const { result } = run;
  const problems: string[] = [];
  const first = result.firstPageCount;
  if (first > count) problems.push(`_count=${count} but the first page holds ${first} matches`);
  if (result.total !== undefined && result.total < first) {
    problems.push(`total is ${result.total}, fewer than the ${first} matches on the first page`);
  }
  if (result.total !== undefined && !result.truncated && result.total < result.matchCount) {
    problems.push(
      `total is ${result.total}, but ${result.matchCount} matches came over ${result.pages} pages`,
    );
  }
  if (result.total === undefined) problems.push('the searchset has no total');
  const paging = result.firstNext ? ', with a next link' : '';
  return {
    count,
    problems,
    note: `_count=${count}: ${first} match(es) on the first page, total ${result.total ?? 'absent'}${paging}`,
  };
}

function countRow(run: SearchRun, subject: string): Outcome | undefined {
  const judged = countProblems(run);
  if (!judged) return undefined;
  const evidence: Evidence[] = evidenceOf(run.result).slice(0, 1);
  return judged.problems.length
    ? fail(`${run.result.label}: ${judged.problems.join('; ')}`, { subject, evidence })
    : pass(`${run.result.label}: ${judged.note}`, { subject, evidence });
}

/**
 * SRCH-CNT-1: its own queries, then `_count` on every query of the other SRCH checks that sent one
 * (those checks judge what was found, this one how much).
 */
const countCheck = defineCheck({
  id: 'srch-cnt-1-count',
  requirement: 'SRCH-CNT-1',
  uses: { ...dataFacts, runs: searchRuns },
  adds: searchAdds,
  async run(ctx, { runs, ...given }) {
    const partner = partnerAccess(ctx, given);
    const profile = partner.profile;
    const probes = tenantProbes(partner);
    if (probes.length === 0) return skip('no probe patient is known for any tenant');
    const outcomes: Outcome[] = [];
    for (const probe of probes) {
      for (const query of (profile.searches ?? []).filter((q) => q.requirement === 'SRCH-CNT-1')) {
        const shape = await searchRow(partner, probe, query);
        const run = runs.get(runKey(probe.tenant, query.id));
        const counted = run && !run.result.fatal ? countRow(run, shape.subject!) : undefined;
        if (shape.status !== 'pass' || !counted) outcomes.push(shape);
        else outcomes.push(counted);
      }
      for (const run of runs.values()) {
        if (run.tenant !== probe.tenant || run.query.requirement === 'SRCH-CNT-1' || run.result.fatal)
          continue;
        const row = countRow(run, subjectOf(run.query, probe));
        if (row) outcomes.push(row);
      }
    }
    return outcomes.length ? outcomes : na(`the profile ${profile.name} sends no query with _count`);
  },
});

export const searchChecks = [
  searchCheck('srch-pat-1-id', 'SRCH-PAT-1'),
  searchCheck('srch-pat-2-family', 'SRCH-PAT-2'),
  searchCheck('srch-pat-3-given', 'SRCH-PAT-3'),
  searchCheck('srch-pat-4-birthdate', 'SRCH-PAT-4'),
  searchCheck('srch-pat-5-identifier', 'SRCH-PAT-5'),
  searchCheck('srch-pat-6-gender', 'SRCH-PAT-6'),
  searchCheck('srch-obs-1-vital-signs', 'SRCH-OBS-1'),
  searchCheck('srch-con-1-conditions', 'SRCH-CON-1'),
  searchCheck('srch-enc-1-latest-encounter', 'SRCH-ENC-1'),
  searchCheck('srch-alg-1-allergies', 'SRCH-ALG-1'),
  searchCheck('srch-med-1-orders', 'SRCH-MED-1'),
  searchCheck('srch-cov-1-coverage', 'SRCH-COV-1'),
  countCheck,
];

/**
 * LAT: latency budgets. Each interaction the app makes is timed over repeated samples after a
 * warm-up, and its p95 (nearest rank over the total request time) is held against the profile's
 * budget, overridable per run. LAT-06 then sends the app's whole request mix from several simulated
 * users at once. Samples are quiet requests; each row carries its slowest exchange as evidence and
 * adds its figures to the report's `latency` table.
 */
import { defineCheck, na, skip, type Outcome } from '../src/engine/check.js';
import type { RunContext } from '../src/engine/context.js';
import { optional, type Given } from '../src/engine/facts.js';
import {
  batchJudged,
  metadataServed,
  fhirVersion,
  latencyVerdicts,
  probes,
  profile,
  restServer,
  tokens,
  tokenUrl,
} from '../src/partner/facts.js';
import type { Probe } from '../src/partner/probe.js';
import type { Profile } from '../src/profile/model.js';
import { budgetFor, type InteractionClass } from '../src/latency/budgets.js';
import {
  batchInteraction,
  metadataInteraction,
  primeToken,
  queriesFor,
  readInteraction,
  sampledProbe,
  searchInteraction,
  tokenInteraction,
  type SampledPartner,
} from '../src/latency/interactions.js';
import { runLoad } from '../src/latency/load.js';
import { Timings } from '../src/latency/timings.js';
import { round } from '../src/latency/percentiles.js';
import { progressLine } from '../src/latency/progress.js';
import { judgeLatency } from '../src/latency/rows.js';
import { sampleSeries, type Interaction, type Series } from '../src/latency/sampler.js';
import type { Status } from '../src/core/model.js';
import { workingSecret } from '../src/auth/secret.js';
import { formatDuration } from '../src/report/rows.js';
import { counted } from '../src/core/wording.js';

/**
 * Requests sent before timing starts. They open connections, fetch a token and wake the partner; the
 * suite's first interaction gets more. Searches after the first get none: the connection and token are
 * warm by then, and repeating a query to warm a server's cache would flatter it, as the app rarely
 * sends the same query twice.
 */
const WARMUP = 1;
const FIRST_WARMUP = 3;
/** LAT-06 stops sending after this long whatever its request count. */
export const LOAD_MAX_MS = 60_000;

/** What every latency check may use: the profile's budgets, when META-02 loaded one. */
const budgetFacts = { profile: optional(profile) };

/** What the data samples are sent with (src/latency/interactions.ts). */
const sampleFacts = {
  ...budgetFacts,
  tokens,
  probes,
  fhirVersion: optional(fhirVersion),
  rest: optional(restServer),
};

function sampledPartner(ctx: RunContext, given: Given<typeof sampleFacts>): SampledPartner {
  return {
    ctx,
    tokens: given.tokens,
    version: given.fhirVersion?.version ?? 'stu3',
    profile: given.profile,
    rest: given.rest,
  };
}

async function measured(
  ctx: RunContext,
  profile: Profile | undefined,
  requirement: string,
  interaction: Interaction,
  opts: { subject?: string; warmup?: number; extra?: Record<string, unknown> } = {},
): Promise<Outcome> {
  const budget = budgetFor(ctx.options, profile, interaction.cls);
  const line = progressLine(ctx.progress, `${requirement} ${interaction.label}`);
  const series = await sampleSeries(interaction, {
    warmup: opts.warmup ?? WARMUP,
    samples: ctx.options.samples,
    budgetMs: budget.p95,
    signal: ctx.signal,
    onRequest: (done, planned) => line.update(done, planned),
  });
  const { row, outcome } = judgeLatency(requirement, series, budget, {
    ...(opts.subject ? { subject: opts.subject } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  });
  ctx.addLatency(row);
  ctx.collect(latencyVerdicts).set(interaction.label, outcome.status);
  return outcome;
}

function noProbe(): Outcome {
  return skip('no tenant has a probe patient to read (ROUTE-01 found none)');
}

/** The app's request mix for LAT-06: one of each interaction, searches included one by one. */
async function appMix(partner: SampledPartner, probe: Probe, tokenUrl: string): Promise<Interaction[]> {
  const { ctx } = partner;
  const queries = queriesFor(partner, probe);
  return [
    metadataInteraction(ctx),
    tokenInteraction(ctx, tokenUrl, probe.tenant, await workingSecret(ctx, tokenUrl)),
    readInteraction(partner, probe),
    ...queries.map((q) => searchInteraction(partner, probe.tenant, q)),
    batchInteraction(partner, probe, queries),
  ];
}

const CLASS_ORDER: InteractionClass[] = ['metadata', 'token', 'read', 'search', 'batch'];

/** The series of one class pooled into one, as LAT-06 judges each class. */
function pooled(cls: InteractionClass, series: Series[], users: number): Series {
  const mine = series.filter((s) => s.interaction.cls === cls);
  const merged: Series = {
    interaction: {
      cls,
      label: `${cls} with ${users} simultaneous users`,
      send: () => Promise.reject(new Error('a pooled series is not sent')),
    },
    planned: mine.reduce((a, s) => a + s.planned, 0),
    samples: Timings.concat(mine.map((s) => s.samples)),
    errors: mine.reduce((a, s) => a + s.errors, 0),
    timeouts: mine.reduce((a, s) => a + s.timeouts, 0),
  };
  const slowest = mine
    .map((s) => s.slowest)
    .filter((e) => e !== undefined)
    .sort((a, b) => b.timing.totalMs - a.timing.totalMs)[0];
  if (slowest) merged.slowest = slowest;
  const failing = mine.find((s) => s.firstFailureMessage !== undefined);
  if (failing?.firstFailureMessage !== undefined) {
    merged.firstFailureMessage = `${failing.interaction.label}: ${failing.firstFailureMessage}`;
    if (failing.firstFailure) merged.firstFailure = failing.firstFailure;
  }
  return merged;
}

/** Interactions whose own LAT row did not pass: LAT-06 leaves them out (their row reports them). */
function failedAlone(verdicts: ReadonlyMap<string, Status>, mix: Interaction[]): Interaction[] {
  return mix.filter((i) => {
    const verdict = verdicts.get(i.label);
    return verdict !== undefined && verdict !== 'pass';
  });
}

export const latencyChecks = [
  defineCheck({
    id: 'lat-01-metadata',
    requirement: 'LAT-01',
    uses: { ...budgetFacts, metadataServed },
    adds: [latencyVerdicts],
    run: (ctx, { profile }) =>
      measured(ctx, profile, 'LAT-01', metadataInteraction(ctx), { warmup: FIRST_WARMUP }),
  }),
  defineCheck({
    id: 'lat-02-token',
    requirement: 'LAT-02',
    uses: { ...budgetFacts, tokens, tokenUrl, probes: optional(probes) },
    adds: [latencyVerdicts],
    async run(ctx, { profile, tokenUrl, probes }) {
      const tenant = (probes && sampledProbe(ctx, probes)?.tenant) ?? ctx.options.tenants[0];
      if (!tenant) return skip('no tenant is configured to ask a token for');
      const secret = await workingSecret(ctx, tokenUrl);
      return measured(ctx, profile, 'LAT-02', tokenInteraction(ctx, tokenUrl, tenant, secret));
    },
  }),
  defineCheck({
    id: 'lat-03-read',
    requirement: 'LAT-03',
    uses: sampleFacts,
    adds: [latencyVerdicts],
    async run(ctx, given) {
      const probe = sampledProbe(ctx, given.probes);
      if (!probe) return noProbe();
      await primeToken(given.tokens, probe.tenant);
      return measured(ctx, given.profile, 'LAT-03', readInteraction(sampledPartner(ctx, given), probe));
    },
  }),
  defineCheck({
    id: 'lat-04-search',
    requirement: 'LAT-04',
    uses: sampleFacts,
    adds: [latencyVerdicts],
    async run(ctx, given) {
      const probe = sampledProbe(ctx, given.probes);
      if (!probe) return noProbe();
      const partner = sampledPartner(ctx, given);
      const queries = queriesFor(partner, probe);
      if (queries.length === 0) return na('no search of the app applies to this partner and probe patient');
      await primeToken(given.tokens, probe.tenant);
      const out: Outcome[] = [];
      for (const [i, q] of queries.entries()) {
        out.push(
          await measured(ctx, given.profile, 'LAT-04', searchInteraction(partner, probe.tenant, q), {
            warmup: i === 0 ? WARMUP : 0,
            subject: q.label,
            extra: { query: q.id, source: q.requirement },
          }),
        );
      }
      return out;
    },
  }),
  defineCheck({
    id: 'lat-05-batch',
    requirement: 'LAT-05',
    uses: { ...sampleFacts, batch: batchJudged },
    adds: [latencyVerdicts],
    async run(ctx, { batch: _batch, ...given }) {
      const probe = sampledProbe(ctx, given.probes);
      if (!probe) return noProbe();
      await primeToken(given.tokens, probe.tenant);
      const partner = sampledPartner(ctx, given);
      return measured(
        ctx,
        given.profile,
        'LAT-05',
        batchInteraction(partner, probe, queriesFor(partner, probe)),
      );
    },
  }),
  defineCheck({
    id: 'lat-06-concurrency',
    requirement: 'LAT-06',
    // After LAT-01…05: what fails one request at a time is left out of the load.
    uses: { ...sampleFacts, metadataServed, tokenUrl, verdicts: latencyVerdicts },
    async run(ctx, { metadataServed: _served, tokenUrl, verdicts, ...given }) {
      const probe = sampledProbe(ctx, given.probes);
      if (!probe) return noProbe();
      const all = await appMix(sampledPartner(ctx, given), probe, tokenUrl);
      // What already fails one request at a time is reported by its own row; sending it again would
      // only stretch this phase, and LAT-06 is about what simultaneous users add.
      const excluded = failedAlone(verdicts, all);
      const mix = all.filter((i) => !excluded.includes(i));
      if (mix.length === 0) return na('every interaction already failed without concurrency (see LAT-01…05)');
      const users = ctx.options.concurrency;
      await primeToken(given.tokens, probe.tenant);
      const maxRequests = Math.max(users * 2, ctx.options.samples * mix.length);
      const line = progressLine(ctx.progress, `LAT-06 ${counted(users, 'user')}`);
      const load = await runLoad(mix, {
        users,
        maxRequests,
        maxMs: LOAD_MAX_MS,
        warmup: true,
        signal: ctx.signal,
        onRequest: (done, planned) => line.update(done, planned),
      });
      const throughputRps = round(load.throughputRps);
      const errorRate = load.requests ? round(load.errors / load.requests) : 0;
      const bound =
        load.stoppedBy === 'time'
          ? `; stopped at the ${LOAD_MAX_MS / 1000} s bound after ${load.requests} of ${counted(maxRequests, 'request')}`
          : '';
      const overall = `${loadSummary({ ...load, users, throughputRps })}${bound}`;
      const out: Outcome[] = [];
      for (const cls of CLASS_ORDER) {
        const left = excluded.filter((i) => i.cls === cls).map((i) => i.label);
        const leftOut = left.length ? `; left out as already failing alone: ${left.join(', ')}` : '';
        if (!load.series.some((s) => s.interaction.cls === cls)) {
          if (left.length) {
            out.push(na(`not judged under load${leftOut}`, { subject: cls, evidence: [] }));
          }
          continue;
        }
        const { row, outcome } = judgeLatency(
          'LAT-06',
          pooled(cls, load.series, users),
          budgetFor(ctx.options, given.profile, cls),
          {
            subject: cls,
            recommended: true,
            extra: {
              concurrency: users,
              throughputRps,
              errorRate,
              totalRequests: load.requests,
              stoppedBy: load.stoppedBy,
              ...(left.length ? { excluded: left } : {}),
            },
          },
        );
        ctx.addLatency(row);
        out.push({ ...outcome, message: `${outcome.message}; ${overall}${leftOut}` });
      }
      return out;
    },
  }),
];

/** The first words of LAT-06's message: "160 requests from 4 users in 38 ms, 4210 requests/s, 0 errors". */
export function loadSummary(load: {
  requests: number;
  users: number;
  elapsedMs: number;
  throughputRps: number;
  errors: number;
}): string {
  return `${counted(load.requests, 'request')} from ${counted(load.users, 'user')} in ${formatDuration(load.elapsedMs)}, ${load.throughputRps} requests/s, ${counted(load.errors, 'error')}`;
}

/**
 * LAT: latency budgets. Each interaction the app makes is timed over repeated samples after a
 * warm-up, and its p95 (nearest rank over the total request time) is held against the profile's
 * budget, overridable per run. LAT-06 then sends the app's whole request mix from several simulated
 * users at once. Samples are quiet requests; each row carries its slowest exchange as evidence and
 * adds its figures to the report's `latency` table.
 */
import { defineChecks, na, skip, type Outcome } from '../src/engine/check.js';
import type { RunContext } from '../src/engine/context.js';
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
} from '../src/latency/interactions.js';
import { runLoad } from '../src/latency/load.js';
import { Timings } from '../src/latency/timings.js';
import { round } from '../src/latency/percentiles.js';
import { progressLine } from '../src/latency/progress.js';
import { judge } from '../src/latency/rows.js';
import { sampleSeries, type Interaction, type Series } from '../src/latency/sampler.js';
import type { Status } from '../src/core/model.js';
import { workingSecret } from '../src/auth/secret.js';
import { formatDuration } from '../src/report/rows.js';
import { counted } from '../src/core/wording.js';

declare module '../src/engine/state.js' {
  interface RunState {
    /** interaction label → the verdict of its sequential row, so LAT-06 judges only what load adds. */
    latencyVerdicts?: Map<string, Status>;
  }
}

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

async function measured(
  ctx: RunContext,
  requirement: string,
  interaction: Interaction,
  opts: { subject?: string; warmup?: number; extra?: Record<string, unknown> } = {},
): Promise<Outcome> {
  const budget = budgetFor(ctx, interaction.cls);
  const line = progressLine(ctx.progress, `${requirement} ${interaction.label}`);
  const series = await sampleSeries(interaction, {
    warmup: opts.warmup ?? WARMUP,
    samples: ctx.options.samples,
    budgetMs: budget.p95,
    signal: ctx.signal,
    onRequest: (done, planned) => line.update(done, planned),
  });
  const { row, outcome } = judge(requirement, series, budget, {
    ...(opts.subject ? { subject: opts.subject } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  });
  ctx.addLatency(row);
  (ctx.state.latencyVerdicts ??= new Map()).set(interaction.label, outcome.status);
  return outcome;
}

function noProbe(): Outcome {
  return skip('no tenant has a probe patient to read (ROUTE-01 found none)');
}

function firstTenant(ctx: RunContext): string | undefined {
  return sampledProbe(ctx)?.tenant ?? ctx.options.tenants[0];
}

/** The app's request mix for LAT-06: one of each interaction, searches included one by one. */
async function appMix(ctx: RunContext): Promise<Interaction[] | undefined> {
  const probe = sampledProbe(ctx);
  if (!probe) return undefined;
  const queries = queriesFor(ctx, probe);
  return [
    metadataInteraction(ctx),
    tokenInteraction(ctx, probe.tenant, await workingSecret(ctx)),
    readInteraction(ctx, probe),
    ...queries.map((q) => searchInteraction(ctx, probe.tenant, q)),
    batchInteraction(ctx, probe, queries),
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
function failedAlone(ctx: RunContext, mix: Interaction[]): Interaction[] {
  return mix.filter((i) => {
    const verdict = ctx.state.latencyVerdicts?.get(i.label);
    return verdict !== undefined && verdict !== 'pass';
  });
}

export const latencyChecks = defineChecks([
  {
    id: 'lat-01-metadata',
    requirement: 'LAT-01',
    title: 'GET metadata answers within its p95 budget',
    requires: ['meta-01-metadata'],
    run: (ctx) => measured(ctx, 'LAT-01', metadataInteraction(ctx), { warmup: FIRST_WARMUP }),
  },
  {
    id: 'lat-02-token',
    requirement: 'LAT-02',
    title: 'A token request answers within its p95 budget',
    requires: ['auth-01-token'],
    async run(ctx) {
      const tenant = firstTenant(ctx);
      if (!tenant) return skip('no tenant is configured to ask a token for');
      return measured(ctx, 'LAT-02', tokenInteraction(ctx, tenant, await workingSecret(ctx)));
    },
  },
  {
    id: 'lat-03-read',
    requirement: 'LAT-03',
    title: 'A read by id answers within its p95 budget',
    requires: ['route-01-tenant-data'],
    async run(ctx) {
      const probe = sampledProbe(ctx);
      if (!probe) return noProbe();
      await primeToken(ctx, probe.tenant);
      return measured(ctx, 'LAT-03', readInteraction(ctx, probe));
    },
  },
  {
    id: 'lat-04-search',
    requirement: 'LAT-04',
    title: 'Each search the app sends answers within its p95 budget',
    requires: ['route-01-tenant-data'],
    async run(ctx) {
      const probe = sampledProbe(ctx);
      if (!probe) return noProbe();
      const queries = queriesFor(ctx, probe);
      if (queries.length === 0) return na('no search of the app applies to this partner and probe patient');
      await primeToken(ctx, probe.tenant);
      const out: Outcome[] = [];
      for (const [i, q] of queries.entries()) {
        out.push(
          await measured(ctx, 'LAT-04', searchInteraction(ctx, probe.tenant, q), {
            warmup: i === 0 ? WARMUP : 0,
            subject: q.label,
            extra: { query: q.id, source: q.requirement },
          }),
        );
      }
      return out;
    },
  },
  {
    id: 'lat-05-batch',
    requirement: 'LAT-05',
    title: 'A batch of the app answers within its p95 budget',
    requires: ['route-01-tenant-data', 'batch-1-batch'],
    async run(ctx) {
      const probe = sampledProbe(ctx);
      if (!probe) return noProbe();
      await primeToken(ctx, probe.tenant);
      return measured(ctx, 'LAT-05', batchInteraction(ctx, probe, queriesFor(ctx, probe)));
    },
  },
  {
    id: 'lat-06-concurrency',
    requirement: 'LAT-06',
    title: 'Under simultaneous users every interaction keeps its budget, with no errors',
    requires: ['meta-01-metadata', 'auth-01-token', 'route-01-tenant-data'],
    async run(ctx) {
      const all = await appMix(ctx);
      if (!all) return noProbe();
      // What already fails one request at a time is reported by its own row; sending it again would
      // only stretch this phase, and LAT-06 is about what simultaneous users add.
      const excluded = failedAlone(ctx, all);
      const mix = all.filter((i) => !excluded.includes(i));
      if (mix.length === 0) return na('every interaction already failed without concurrency (see LAT-01…05)');
      const users = ctx.options.concurrency;
      await primeToken(ctx, sampledProbe(ctx)!.tenant);
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
        const { row, outcome } = judge('LAT-06', pooled(cls, load.series, users), budgetFor(ctx, cls), {
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
        });
        ctx.addLatency(row);
        out.push({ ...outcome, message: `${outcome.message}; ${overall}${leftOut}` });
      }
      return out;
    },
  },
]);

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

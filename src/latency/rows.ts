/**
 * A measured series becomes two things: a row of the report's `latency` table (all the numbers) and
 * the check's outcome (the verdict in one line, with the slowest exchange as evidence). A row fails
 * when any request failed or timed out, or when p95 of the total time is over the budget.
 */
import type { Outcome } from '../engine/check.js';
import type { Evidence, LatencyRow, Status } from '../core/model.js';
import type { Budget } from './budgets.js';
import { percentiles, round } from './percentiles.js';
import type { Series } from './sampler.js';
import { counted } from '../core/wording.js';

export interface Judged {
  row: LatencyRow;
  outcome: Outcome;
}

export function judgeLatency(
  requirement: string,
  series: Series,
  budget: Budget,
  opts: { subject?: string; recommended?: boolean; extra?: Record<string, unknown> } = {},
): Judged {
  const p = percentiles(series.samples.totals());
  const ttfb = percentiles(series.samples.headersMs());
  const server = series.samples.serverMs();
  const n = series.samples.length;

  let status: Status;
  let message: string;
  const figures = `p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}, max ${ms(p.max)}; time to first byte p50 ${ms(ttfb.p50)}; ${n} sample${n === 1 ? '' : 's'}`;
  const stopped = series.stoppedEarly ? ` (${series.stoppedEarly})` : '';
  if (n === 0) {
    status = 'error';
    message = `no sample was taken${stopped}`;
  } else if (series.errors > 0) {
    status = 'fail';
    const timeouts = series.timeouts ? `, ${series.timeouts} timed out` : '';
    message = `${series.errors} of ${counted(n, 'request')} failed${timeouts} (first: ${series.firstFailureMessage ?? 'unknown'}); ${figures}${stopped}`;
  } else if (p.p95 > budget.p95) {
    status = 'fail';
    message = `p95 ${ms(p.p95)} is over the ${ms(budget.p95)} budget (${budget.source}); ${figures}${stopped}`;
  } else {
    status = 'pass';
    message = `p95 ${ms(p.p95)} within the ${ms(budget.p95)} budget (${budget.source}); ${figures}`;
  }
  const rowStatus: Status = opts.recommended && status === 'fail' ? 'warn' : status;

  const row: LatencyRow = {
    requirement,
    interaction: series.interaction.label,
    samples: n,
    ...p,
    budgetP95: budget.p95,
    status: rowStatus,
    budgetSource: budget.source,
    planned: series.planned,
    ttfbP50: ttfb.p50,
    ttfbP95: ttfb.p95,
    ...(server.length ? { serverP50: percentiles(server).p50 } : {}),
    errors: series.errors,
    timeouts: series.timeouts,
    ...(series.stoppedEarly ? { stoppedEarly: series.stoppedEarly } : {}),
    ...opts.extra,
  };

  const evidence: Evidence[] = [];
  if (series.firstFailure) evidence.push({ ...series.firstFailure.evidence, note: 'first failed request' });
  if (series.slowest) {
    evidence.push({
      ...series.slowest.evidence,
      note: `slowest successful request of ${counted(n, 'sample')}`,
    });
  }
  return {
    row,
    outcome: { status, message, evidence, ...(opts.subject ? { subject: opts.subject } : {}) },
  };
}

const ms = (v: number): string =>
  `${v >= 100 ? Math.round(v) : v >= 1 ? v.toFixed(1) : round(v).toFixed(3)} ms`;

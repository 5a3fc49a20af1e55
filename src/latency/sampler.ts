/**
 * Repeated timed requests of one interaction: a short warm-up whose results are dropped (connection
 * set-up, server caches), then the planned samples, one at a time. Each sample keeps the time to the
 * response headers (server time-to-first-byte) apart from the total time to the last body byte; the
 * percentiles and the budget verdict use the total, as the app waits for the whole answer.
 */
import { performance } from 'node:perf_hooks';
import { describe, type Exchange } from '../http/exchange.js';
import { allowedOverBudget } from './percentiles.js';
import type { InteractionClass } from './budgets.js';
import { Timings } from './timings.js';
import { counted } from '../core/wording.js';

export interface Interaction {
  cls: InteractionClass;
  /** Stable across runs (diff matches latency rows on requirement + interaction). */
  label: string;
  /** `lane`: the load mode's simulated user, who sends on a connection of their own. */
  send(lane?: number): Promise<Exchange>;
}

export interface Sample {
  totalMs: number;
  headersMs?: number;
  serverMs?: number;
  status: number;
  /** Why this sample is not a success: an HTTP error code, no answer, a non-2xx status. */
  failure?: string;
  timeout: boolean;
}

export interface Series {
  interaction: Interaction;
  planned: number;
  samples: Timings;
  errors: number;
  timeouts: number;
  /** The slowest successful exchange and the first failed one: the row's evidence. */
  slowest?: KeptSample;
  firstFailure?: KeptSample;
  /** What the first failure was, in one line. */
  firstFailureMessage?: string;
  /** Set when sampling ended before `planned`: why. */
  stoppedEarly?: string;
}

const TIMEOUT_CODES = new Set(['timeout', 'headers-timeout', 'body-timeout']);

export function sampleOf(exchange: Exchange): Sample {
  const { error, status, timing } = exchange;
  const sample: Sample = { totalMs: timing.totalMs, status, timeout: false };
  if (timing.headersMs !== undefined) sample.headersMs = timing.headersMs;
  if (exchange.serverMs !== undefined) sample.serverMs = exchange.serverMs;
  if (error) {
    sample.failure = error.code;
    sample.timeout = TIMEOUT_CODES.has(error.code);
  } else if (status < 200 || status > 299) {
    sample.failure = `HTTP ${status}`;
  }
  return sample;
}

/**
 * One timed request. A request the harness could not even send (no token could be had) is a failed
 * sample with the time it took, not an exception: one bad request must not abort a whole phase.
 */
export async function measure(
  interaction: Interaction,
  lane?: number,
): Promise<{ sample: Sample; exchange?: Exchange }> {
  const t0 = performance.now();
  try {
    const exchange = await interaction.send(lane);
    return { sample: sampleOf(exchange), exchange };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      sample: {
        totalMs: Math.round((performance.now() - t0) * 1000) / 1000,
        status: 0,
        failure: message,
        timeout: false,
      },
    };
  }
}

/** What a series keeps of an exchange it shows: its timing and evidence, not its body. */
export type KeptSample = Pick<Exchange, 'timing' | 'evidence'>;

/**
 * The evidence is made now, while the answer is at hand: keeping the answer until the row is built
 * kept its body alive, 20 MiB for each interaction against a partner answering that much.
 */
function kept(exchange: Exchange): KeptSample {
  return { timing: exchange.timing, evidence: exchange.evidence };
}

/** Adds one measured request to a series. */
export function record(series: Series, got: { sample: Sample; exchange?: Exchange }): void {
  const { sample, exchange } = got;
  series.samples.add(sample);
  if (sample.failure) {
    series.errors += 1;
    if (sample.timeout) series.timeouts += 1;
    if (series.firstFailureMessage === undefined) {
      series.firstFailureMessage = exchange ? describe(exchange) : sample.failure;
      if (exchange) series.firstFailure = kept(exchange);
    }
  } else if (exchange && (!series.slowest || sample.totalMs > series.slowest.timing.totalMs)) {
    series.slowest = kept(exchange);
  }
}

export interface SampleOptions {
  warmup: number;
  samples: number;
  budgetMs: number;
  signal?: AbortSignal;
  /** Called after every request, warm-up included. */
  onRequest?: (done: number, planned: number) => void;
}

/**
 * Samples one interaction. Sampling stops early once the verdict is settled (a failed request, or more
 * over-budget samples than p95 allows): the rest could not turn the row into a pass, and waiting out
 * a slow or broken partner for every planned sample would make a failing run needlessly long.
 */
export async function sampleSeries(interaction: Interaction, opts: SampleOptions): Promise<Series> {
  const series: Series = {
    interaction,
    planned: opts.samples,
    samples: new Timings(),
    errors: 0,
    timeouts: 0,
  };
  const total = opts.warmup + opts.samples;
  const allowed = allowedOverBudget(opts.samples);
  let over = 0;
  for (let n = 0; n < total; n++) {
    if (opts.signal?.aborted) {
      series.stoppedEarly = 'the run was aborted';
      break;
    }
    const got = await measure(interaction);
    opts.onRequest?.(n + 1, total);
    if (n < opts.warmup) continue;
    record(series, got);
    const sample = got.sample;
    if (sample.failure || sample.totalMs > opts.budgetMs) over += 1;
    const remaining = total - n - 1;
    if (remaining > 0 && (series.errors > 0 || over > allowed)) {
      series.stoppedEarly = series.errors
        ? `stopped after a failed request; the row fails whatever the other samples show`
        : `stopped after ${counted(over, 'sample')} over budget; p95 could no longer meet it`;
      break;
    }
  }
  return series;
}

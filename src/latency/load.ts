/**
 * Simulated simultaneous users (LAT-06): `users` loops that each send the next request of the app's
 * mix as soon as their previous one is answered (a closed model, as app instances waiting on the
 * partner behave), each on a connection of its own (its `lane`). The mix is shared round-robin, so
 * every interaction gets its share whatever the number of users. Bounded twice so it always stops by
 * itself: by request count and by wall time (requests already sent when time is up are awaited; each
 * has the run's hard timeout).
 */
import { performance } from 'node:perf_hooks';
import { measure, record, type Interaction, type Series } from './sampler.js';
import { Timings } from './timings.js';

export interface LoadOptions {
  users: number;
  /** Total requests over all users; Infinity for a time-bound run. */
  maxRequests: number;
  maxMs: number;
  signal?: AbortSignal;
  onRequest?: (done: number, planned: number) => void;
  /**
   * Before the clock starts, each user sends the mix once, untimed, so that every user's connections
   * are open (and TLS agreed) as the app's would be: the sampler's warm-up, per user. It counts
   * against `maxMs`.
   */
  warmup?: boolean;
}

export interface LoadResult {
  users: number;
  /** One series per mix entry, in mix order. */
  series: Series[];
  requests: number;
  errors: number;
  elapsedMs: number;
  /** Completed requests per second of wall time. */
  throughputRps: number;
  stoppedBy: 'count' | 'time' | 'aborted';
}

export async function runLoad(mix: readonly Interaction[], opts: LoadOptions): Promise<LoadResult> {
  if (mix.length === 0) throw new Error('the load mix is empty');
  const users = Math.max(1, Math.floor(opts.users));
  const series: Series[] = mix.map((interaction) => ({
    interaction,
    planned: 0,
    samples: new Timings(),
    errors: 0,
    timeouts: 0,
  }));
  const deadline = performance.now() + opts.maxMs;
  const stop = (): boolean => opts.signal?.aborted === true || performance.now() >= deadline;
  if (opts.warmup) {
    await Promise.all(
      Array.from({ length: users }, async (_, lane) => {
        for (const interaction of mix) {
          if (stop()) return;
          await measure(interaction, lane);
        }
      }),
    );
  }
  const t0 = performance.now();
  let issued = 0;
  let done = 0;
  let errors = 0;
  let timeUp = false;
  const planned = Number.isFinite(opts.maxRequests) ? opts.maxRequests : 0;

  async function user(lane: number): Promise<void> {
    for (;;) {
      if (issued >= opts.maxRequests || opts.signal?.aborted) return;
      if (performance.now() >= deadline) {
        timeUp = true;
        return;
      }
      const index = issued++ % mix.length;
      const s = series[index]!;
      s.planned += 1;
      const got = await measure(s.interaction, lane);
      record(s, got);
      done += 1;
      if (got.sample.failure) errors += 1;
      opts.onRequest?.(done, planned || done);
    }
  }

  await Promise.all(Array.from({ length: users }, (_, lane) => user(lane)));
  const elapsedMs = performance.now() - t0;
  return {
    users,
    series,
    requests: done,
    errors,
    elapsedMs,
    throughputRps: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0,
    stoppedBy: opts.signal?.aborted ? 'aborted' : timeUp && issued < opts.maxRequests ? 'time' : 'count',
  };
}

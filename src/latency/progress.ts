/**
 * The live progress line of a latency phase: `LAT-04 POST Patient/_search family=… 12/22 (3.4 s)`.
 * `ctx.progress` prints only on a TTY without --quiet; this only keeps the line from being redrawn
 * more often than a terminal can show, and always draws the last request of a phase.
 */
import { performance } from 'node:perf_hooks';

export interface ProgressLine {
  update(done: number, planned: number): void;
}

const MIN_INTERVAL_MS = 100;

export function progressLine(
  emit: (text: string) => void,
  phase: string,
  now: () => number = () => performance.now(),
): ProgressLine {
  const started = now();
  let last = -Infinity;
  return {
    update(done, planned) {
      const t = now();
      if (done < planned && t - last < MIN_INTERVAL_MS) return;
      last = t;
      emit(`${phase} ${done}/${planned} requests (${((t - started) / 1000).toFixed(1)} s)`);
    },
  };
}

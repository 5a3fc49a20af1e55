/**
 * What a run prints while it runs, so a person can follow a run of minutes. On a terminal: one live
 * line, redrawn in place, with checks done of all, the time so far, and the check running (with the
 * latency phase's request counter while it samples). In a CI log, where redrawing a line makes
 * nothing but noise: one line per finished requirement family, with its counts and its time.
 */
import { performance } from 'node:perf_hooks';
import type { Check } from '../engine/check.js';
import type { CheckRow, Summary } from '../core/model.js';
import { requirement } from '../core/requirements.js';
import { countsText, emptySummary, familyOf, formatDuration, oneLine } from './rows.js';

export interface RunProgress {
  checkStarted(check: Check): void;
  checkFinished(check: Check, rows: readonly CheckRow[]): void;
  /** A check's own progress text, e.g. the latency phase's `12/22 requests (3.4 s)`. */
  detail(text: string): void;
  /** Clears the live line; call once the run is over, before the summary is printed. */
  stop(): void;
}

export interface ProgressOptions {
  /** Every check the run will execute, in order: the total, and when each family is finished. */
  checks: readonly Check[];
  write(text: string): void;
  now?: () => number;
}

/** Elapsed time on a live line: 0:07, 2:35, 1:02:35. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = String(total % 60).padStart(2, '0');
  const m = Math.floor(total / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A terminal line is redrawn this often while a check waits (a token expiry, a slow partner). */
const TICK_MS = 1000;
const ERASE_LINE = '\r\x1b[2K';

/**
 * The live terminal line. It never grows wider than the terminal (a wrapped line cannot be redrawn
 * in place), and it ticks every second so the time moves while one check waits.
 */
export function terminalProgress(opts: ProgressOptions & { columns?: number }): RunProgress {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const total = opts.checks.length;
  const width = Math.max(40, (opts.columns ?? 120) - 1);
  let done = 0;
  let family = '';
  let current = '';
  let detail = '';
  const draw = (): void => {
    // A check's own detail names the check too, and its counter at the end must not be cut off.
    const running = detail ? `${family}: ${detail}` : current;
    const parts = [`${done}/${total} checks`, clock(now() - started), running].filter(Boolean);
    opts.write(`${ERASE_LINE}${oneLine(parts.join(' · '), width)}`);
  };
  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  return {
    checkStarted(check) {
      family = familyOf(check.requirement);
      current = `${family}: ${check.requirement} ${requirement(check.requirement).title}`;
      detail = '';
      draw();
    },
    checkFinished() {
      done += 1;
      draw();
    },
    detail(text) {
      detail = text;
      draw();
    },
    stop() {
      clearInterval(timer);
      opts.write(ERASE_LINE);
    },
  };
}

/** One line per finished family, for logs: a family is finished when its last check is. */
export function logProgress(opts: ProgressOptions): RunProgress {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const total = opts.checks.length;
  const left = new Map<string, number>();
  for (const c of opts.checks)
    left.set(familyOf(c.requirement), (left.get(familyOf(c.requirement)) ?? 0) + 1);
  const counts = new Map<string, { summary: Summary; ms: number }>();
  let done = 0;
  let checkStart = started;
  opts.write(`fhir-certify: ${total} checks to run; a line follows each finished family\n`);
  return {
    checkStarted() {
      checkStart = now();
    },
    checkFinished(check, rows) {
      done += 1;
      const family = familyOf(check.requirement);
      const entry = counts.get(family) ?? { summary: emptySummary(), ms: 0 };
      for (const row of rows) entry.summary[row.status] += 1;
      entry.ms += now() - checkStart;
      counts.set(family, entry);
      const remaining = (left.get(family) ?? 1) - 1;
      left.set(family, remaining);
      if (remaining > 0) return;
      opts.write(
        `fhir-certify: ${family} done in ${formatDuration(entry.ms)}: ${countsText(entry.summary) || 'no rows'} (${done}/${total} checks, ${clock(now() - started)} elapsed)\n`,
      );
    },
    detail() {
      // A log gets no request counter: one line per family is what a CI log can hold.
    },
    stop() {
      // Nothing to clear: every line was finished with a newline.
    },
  };
}

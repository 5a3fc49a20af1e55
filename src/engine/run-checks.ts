/**
 * Runs checks in order and turns each into report rows. What a check does wrong stays in its own row:
 * a thrown error is that row's `error`, a failed prerequisite makes its dependants `skip`, and the
 * whole-run timeout turns the rest into `error` rows. The run always finishes.
 */
import { performance } from 'node:perf_hooks';
import type { HttpClient } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { CheckRow, Evidence, LatencyRow, Status } from '../report/model.js';
import type { Check, Outcome } from './check.js';
import type { RunContext } from './context.js';
import { blockedNeeds, DEFAULT_NEEDS, skippedFor } from './diagnosis.js';
import type { RunOptions } from './options.js';
import { requirement } from './requirements.js';
import { dropUnread, type RunState } from './state.js';

/** More exchanges than this in one row are summarised: the report stays readable and bounded. */
const MAX_EVIDENCE_PER_ROW = 12;
/**
 * Messages and subjects quote partner values; a partner can make those megabytes long. Rows are cut
 * here so that the report stays bounded whatever a check quoted.
 */
const MAX_MESSAGE_CHARS = 2000;
const MAX_SUBJECT_CHARS = 300;

export interface RunChecksInput {
  checks: Check[];
  options: RunOptions;
  client: HttpClient;
  redactor: Redactor;
  state: RunState;
  progress?: (text: string) => void;
  /** Told as each check starts and as its rows are settled, for live output. */
  watch?: RunWatcher;
  /** Aborted when the user stops the run (SIGINT, SIGTERM); its reason names the signal. */
  interrupt?: AbortSignal;
}

export interface RunWatcher {
  checkStarted(check: Check): void;
  checkFinished(check: Check, rows: readonly CheckRow[]): void;
}

export interface RunChecksResult {
  rows: CheckRow[];
  latency: LatencyRow[];
  timedOut: boolean;
}

/** A prerequisite is met when its rows passed, warned, or were not applicable. */
const MET: ReadonlySet<Status> = new Set(['pass', 'warn', 'na']);

export async function runChecks(input: RunChecksInput): Promise<RunChecksResult> {
  const { checks, options, client, redactor, state } = input;
  const rows: CheckRow[] = [];
  const latency: LatencyRow[] = [];
  const outcomeOf = new Map<string, { met: boolean; why: string }>();
  const runAbort = new AbortController();
  const stop = (reason: string): void => {
    if (runAbort.signal.aborted) return;
    runAbort.abort(new Error(reason));
    // The abandoned check may still be waiting on the network: stop its requests now, so the run
    // ends at once and not a per-request timeout later.
    client.cancelAll(reason);
  };
  const runTimer = setTimeout(
    () => stop(`the whole-run timeout of ${options.runTimeoutMs} ms was reached`),
    options.runTimeoutMs,
  );
  runTimer.unref();
  const onInterrupt = (): void => stop(String(input.interrupt?.reason ?? 'interrupted'));
  if (input.interrupt?.aborted) onInterrupt();
  else input.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const ids = new Set<string>();
  /** The check that found the run's diagnosis, and every check skipped for it. */
  const lostToDiagnosis = new Set<string>();

  try {
    for (const [index, check] of checks.entries()) {
      input.watch?.checkStarted(check);
      const started = performance.now();
      const base = {
        requirement: check.requirement,
        level: check.level ?? requirement(check.requirement).level,
        title: check.title,
      };
      let outcomes: Outcome[];
      const sink: Evidence[] = [];
      const blocker = (check.requires ?? [])
        .map((id) => ({ id, state: outcomeOf.get(id) }))
        .find((d) => !d.state?.met);
      const diagnosis = state.diagnosis;
      const blocked = diagnosis ? blockedNeeds(diagnosis) : undefined;
      if (runAbort.signal.aborted) {
        outcomes = [{ status: 'error', message: `not run: ${(runAbort.signal.reason as Error).message}` }];
      } else if (
        diagnosis &&
        ((check.needs ?? DEFAULT_NEEDS).some((n) => blocked!.has(n)) ||
          (blocker && lostToDiagnosis.has(blocker.id)))
      ) {
        // Named by the cause itself, not by the prerequisite it happened to reach this check through.
        outcomes = [{ status: 'skip', message: skippedFor(diagnosis) }];
        lostToDiagnosis.add(check.id);
      } else if (blocker) {
        const dep = checks.find((c) => c.id === blocker.id);
        outcomes = [
          {
            status: 'skip',
            message: `skipped: prerequisite ${dep?.requirement ?? blocker.id} (${dep?.title ?? blocker.id}) ${blocker.state?.why ?? 'did not run'}`,
          },
        ];
      } else {
        const ctx: RunContext = {
          options,
          http: client.scoped(sink),
          client,
          redactor,
          state,
          signal: runAbort.signal,
          addLatency: (row) => latency.push(row),
          progress: input.progress ?? (() => undefined),
        };
        outcomes = await runOne(check, ctx, runAbort.signal, redactor);
        if (!diagnosis && state.diagnosis) lostToDiagnosis.add(check.id);
      }
      const durationMs = Math.round(performance.now() - started);
      const made = outcomes.map((o, i) =>
        toRow(check, base, o, sink, durationMs, i, outcomes.length, redactor, ids),
      );
      rows.push(...made);
      input.watch?.checkFinished(check, made);
      outcomeOf.set(check.id, summarise(made));
      dropUnread(state, checks.slice(index + 1));
    }
  } finally {
    clearTimeout(runTimer);
    input.interrupt?.removeEventListener('abort', onInterrupt);
  }
  return { rows, latency, timedOut: runAbort.signal.aborted };
}

async function runOne(
  check: Check,
  ctx: RunContext,
  runSignal: AbortSignal,
  redactor: Redactor,
): Promise<Outcome[]> {
  try {
    const stop = aborted(runSignal);
    let result;
    try {
      result = await Promise.race([check.run(ctx), stop.promise]);
    } finally {
      stop.dispose();
    }
    const list = Array.isArray(result) ? result : [result];
    if (list.length === 0)
      return [{ status: 'error', message: 'the check produced no result (a harness bug)' }];
    return list;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [{ status: 'error', message: `the check could not complete: ${redactor.mask(message)}` }];
  }
}

/** Rejects when the run is aborted; `dispose` removes the listener so long runs do not pile them up. */
function aborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let fire = (): void => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    fire = () => reject(signal.reason instanceof Error ? signal.reason : new Error('run aborted'));
    if (signal.aborted) fire();
    else signal.addEventListener('abort', fire, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', fire) };
}

function toRow(
  check: Check,
  base: Pick<CheckRow, 'requirement' | 'level' | 'title'>,
  outcome: Outcome,
  sink: Evidence[],
  durationMs: number,
  index: number,
  count: number,
  redactor: Redactor,
  ids: Set<string>,
): CheckRow {
  const level = outcome.level ?? base.level;
  // A recommended requirement that is not met is a warning, whatever the check called it.
  const status: Status = level === 'recommended' && outcome.status === 'fail' ? 'warn' : outcome.status;
  const subject = outcome.subject
    ? cut(redactor.mask(String(outcome.subject)), MAX_SUBJECT_CHARS)
    : undefined;
  let id = count > 1 || subject ? `${check.id}#${subject ?? index + 1}` : check.id;
  for (let n = 2; ids.has(id); n++) id = `${id}~${n}`;
  ids.add(id);
  const evidence = capEvidence(outcome.evidence ?? (count > 1 ? [] : sink));
  return {
    id,
    requirement: base.requirement,
    level,
    title: base.title,
    ...(subject ? { subject } : {}),
    status,
    message: cut(redactor.mask(String(outcome.message)), MAX_MESSAGE_CHARS),
    evidence,
    durationMs,
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[${text.length - max} more characters]` : text;
}

function capEvidence(evidence: Evidence[]): Evidence[] {
  if (evidence.length <= MAX_EVIDENCE_PER_ROW) return evidence;
  const head = evidence.slice(0, MAX_EVIDENCE_PER_ROW - 1);
  const last = evidence[evidence.length - 1]!;
  return [
    ...head,
    { ...last, note: `${evidence.length - MAX_EVIDENCE_PER_ROW} exchanges omitted before this one` },
  ];
}

function summarise(rows: CheckRow[]): { met: boolean; why: string } {
  const bad = rows.find((r) => !MET.has(r.status));
  if (!bad) return { met: true, why: '' };
  const verb = { fail: 'failed', error: 'errored', skip: 'was skipped', manual: 'needs a manual check' }[
    bad.status as 'fail'
  ];
  return { met: false, why: verb ?? `is ${bad.status}` };
}

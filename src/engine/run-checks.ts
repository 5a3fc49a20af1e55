/**
 * Runs checks in order and turns each into report rows. What a check does wrong stays in its own row:
 * a thrown error is that row's `error`, a failed prerequisite makes its dependants `skip`, and the
 * whole-run timeout turns the rest into `error` rows. The run always finishes.
 */
import { performance } from 'node:perf_hooks';
import type { HttpClient } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { CheckRow, Diagnosis, Evidence, LatencyRow, Status } from '../core/model.js';
import type { Check, Outcome } from './check.js';
import type { RunContext } from './context.js';
import { blockedNeeds, DEFAULT_NEEDS, skippedFor } from './diagnosis.js';
import type { RunOptions } from './options.js';
import { requirement } from '../core/requirements.js';
import { FactStore, type Fact, type Input } from './facts.js';
import { inputsOf } from './select.js';

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
  /** What the checks found out, for the report's target. */
  facts: FactStore;
  diagnosis: Diagnosis | undefined;
}

/** A prerequisite is met when its rows passed, warned, or were not applicable. */
const MET: ReadonlySet<Status> = new Set(['pass', 'warn', 'na']);

export async function runChecks(input: RunChecksInput): Promise<RunChecksResult> {
  const { checks, options, client, redactor } = input;
  const facts = new FactStore();
  let diagnosis: Diagnosis | undefined;
  const providerOf = new Map<Fact<unknown>, Check>();
  for (const check of checks) for (const fact of check.provides ?? []) providerOf.set(fact, check);
  const declaredCaches = new Set(checks.flatMap(inputsOf).filter((i) => i.kind === 'cache'));
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
      const title = requirement(check.requirement).title;
      const base = {
        requirement: check.requirement,
        level: check.level ?? requirement(check.requirement).level,
        title,
      };
      let outcomes: Outcome[];
      const sink: Evidence[] = [];
      const missing = missingFact(check, providerOf, outcomeOf, facts);
      const found = diagnosis;
      const blocked = found ? blockedNeeds(found) : undefined;
      if (runAbort.signal.aborted) {
        outcomes = [{ status: 'error', message: `not run: ${(runAbort.signal.reason as Error).message}` }];
      } else if (
        found &&
        blocked &&
        ((check.needs ?? DEFAULT_NEEDS).some((n) => blocked.has(n)) ||
          (missing?.provider && lostToDiagnosis.has(missing.provider.id)))
      ) {
        // Named by the cause itself, not by the prerequisite it happened to reach this check through.
        outcomes = [{ status: 'skip', message: skippedFor(found) }];
        lostToDiagnosis.add(check.id);
      } else if (missing) {
        outcomes = [{ status: 'skip', message: missing.message }];
      } else {
        const given = Object.fromEntries(
          Object.entries(check.uses ?? {}).map(([name, input]) => [
            name,
            input.kind === 'collection' || input.kind === 'cache'
              ? facts.shared(input)
              : facts.peek(input.kind === 'fact' ? input : input.fact),
          ]),
        );
        const ctx: RunContext = {
          options,
          http: client.scoped(sink),
          client,
          redactor,
          signal: runAbort.signal,
          get diagnosis() {
            return diagnosis;
          },
          diagnose: (d) => void (diagnosis ??= d),
          provide: (fact, value) => {
            if (!(check.provides ?? []).includes(fact)) {
              throw new Error(`${check.id} provides ${fact.name} without declaring it (a harness bug)`);
            }
            facts.set(fact, value);
          },
          collect: (collection) => {
            if (!(check.adds ?? []).includes(collection)) {
              throw new Error(`${check.id} adds to ${collection.name} without declaring it (a harness bug)`);
            }
            return facts.shared(collection);
          },
          cached: (cache) => facts.shared(cache),
          addLatency: (row) => latency.push(row),
          progress: input.progress ?? (() => undefined),
        };
        outcomes = await runOne(check, ctx, given, runAbort.signal, redactor);
        if (!found && diagnosis) lostToDiagnosis.add(check.id);
      }
      const durationMs = Math.round(performance.now() - started);
      const made = outcomes.map((o, i) =>
        toRow(check, base, o, sink, durationMs, i, outcomes.length, redactor, ids),
      );
      rows.push(...made);
      input.watch?.checkFinished(check, made);
      outcomeOf.set(check.id, summarise(made));
      dropUnread(facts, checks.slice(index + 1), declaredCaches);
    }
  } finally {
    clearTimeout(runTimer);
    input.interrupt?.removeEventListener('abort', onInterrupt);
  }
  return { rows, latency, timedOut: runAbort.signal.aborted, facts, diagnosis };
}

/**
 * Forgets what none of the checks still to run reads. Held to the end of the run, a partner's
 * capability statement or probe data (up to the 20 MiB response cap each) stayed alive through every
 * later check, and each megabyte the run keeps lets the heap grow by more before it is collected.
 */
function dropUnread(facts: FactStore, toRun: readonly Check[], declaredCaches: ReadonlySet<Input>): void {
  const read = new Set<unknown>(toRun.flatMap(inputsOf).map((i) => (i.kind === 'optional' ? i.fact : i)));
  facts.forget((key) => {
    if (key.kind === 'fact') return key.keep === true || read.has(key);
    if (key.kind === 'collection') return read.has(key) || toRun.some((c) => (c.adds ?? []).includes(key));
    return !declaredCaches.has(key) || read.has(key);
  });
}

/**
 * The first fact `check` uses that it cannot have, with the skip message that names why: its
 * provider did not pass, did not run, or passed without setting it.
 */
function missingFact(
  check: Check,
  providerOf: ReadonlyMap<Fact<unknown>, Check>,
  outcomeOf: ReadonlyMap<string, { met: boolean; why: string }>,
  facts: FactStore,
): { provider?: Check; message: string } | undefined {
  for (const input of inputsOf(check)) {
    if (input.kind !== 'fact') continue;
    const provider = providerOf.get(input);
    if (!provider) return { message: `skipped: no check of this run provides ${input.name}` };
    const named = `prerequisite ${provider.requirement} (${requirement(provider.requirement).title})`;
    const state = outcomeOf.get(provider.id);
    if (!state?.met) return { provider, message: `skipped: ${named} ${state?.why ?? 'did not run'}` };
    if (!facts.has(input)) return { provider, message: `skipped: ${named} did not establish ${input.name}` };
  }
  return undefined;
}

async function runOne(
  check: Check,
  ctx: RunContext,
  given: Record<string, unknown>,
  runSignal: AbortSignal,
  redactor: Redactor,
): Promise<Outcome[]> {
  try {
    const stop = aborted(runSignal);
    let result;
    try {
      result = await Promise.race([check.run(ctx, given), stop.promise]);
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

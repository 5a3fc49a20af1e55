/**
 * What a check's function gets besides its facts: the options, an HTTP client that records its
 * evidence, and the few ways a check tells the run what it found.
 */
import type { Diagnosis, LatencyRow } from '../core/model.js';
import type { Http, HttpClient } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { Collection, Fact, RunCache } from './facts.js';
import type { RunOptions } from './options.js';

export interface RunContext {
  readonly options: RunOptions;
  /** Records every non-quiet exchange as this check's evidence. */
  readonly http: Http;
  /** The unscoped client, for work whose exchanges are not evidence (latency sampling). */
  readonly client: HttpClient;
  readonly redactor: Redactor;
  /** Aborted when the whole-run timeout is reached. */
  readonly signal: AbortSignal;
  /** Why the run cannot reach or use the partner, once a check found it (src/engine/diagnosis.ts). */
  readonly diagnosis: Diagnosis | undefined;
  /** Records the run's diagnosis; the first one found stands. */
  diagnose(diagnosis: Diagnosis): void;
  /** Sets a fact this check declares in `provides`. */
  provide<T>(fact: Fact<T>, value: T): void;
  /** The collection this check declares in `adds`, to add to. */
  collect<T>(collection: Collection<T>): T;
  /** A value computed once per run by whichever check asks first. */
  cached<T>(cache: RunCache<T>): T;
  /** Adds a row to the report's latency table. */
  addLatency(row: LatencyRow): void;
  /** A progress line on a TTY; nothing otherwise or with --quiet. */
  progress(text: string): void;
}

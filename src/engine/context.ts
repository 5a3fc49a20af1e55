/** What a check's function gets: the options, an HTTP client that records its evidence, and the state. */
import type { Http, HttpClient } from '../http/client.js';
import type { Redactor } from '../http/redact.js';
import type { LatencyRow } from '../core/model.js';
import type { RunOptions } from './options.js';
import type { RunState } from './state.js';

export interface RunContext {
  readonly options: RunOptions;
  /** Records every non-quiet exchange as this check's evidence. */
  readonly http: Http;
  /** The unscoped client, for work whose exchanges are not evidence (latency sampling). */
  readonly client: HttpClient;
  readonly redactor: Redactor;
  readonly state: RunState;
  /** Aborted when the whole-run timeout is reached. */
  readonly signal: AbortSignal;
  /** Adds a row to the report's latency table. */
  addLatency(row: LatencyRow): void;
  /** A progress line on a TTY; nothing otherwise or with --quiet. */
  progress(text: string): void;
}

/**
 * How a check is declared. A suite file is a list of these, and should read like the requirement
 * table it tests: the requirement ID, a title, what must have passed first, and one async function.
 */
import type { Evidence, Status } from '../core/model.js';
import type { Level } from '../core/requirements.js';
import type { RunContext } from './context.js';
import type { Need } from './diagnosis.js';

/** What a check's function answers: one row, or several rows with distinct subjects. */
export interface Outcome {
  status: Status;
  /** One line a partner can act on. Never holds a secret or a whole token. */
  message: string;
  /** What the row was applied to, e.g. `Patient/123 @ tenant A`. */
  subject?: string;
  /** When absent, the engine attaches the exchanges the check made (masked, capped). */
  evidence?: Evidence[];
  /** A row-level override, e.g. a required check whose row only warns. */
  level?: Level;
}

export interface Check {
  /**
   * Unique and stable across runs: report row ids start with it, and `diff` matches rows on those ids
   * with the partner's host and port taken out.
   */
  id: string;
  requirement: string;
  /** Defaults to the catalogue level of `requirement`. */
  level?: Level;
  title: string;
  /**
   * Ids of checks that must pass (or warn) first. When one failed, errored or was skipped, this
   * check is `skip` and names it. Prerequisites are run even when `--only` leaves them out.
   */
  requires?: string[];
  /**
   * The check records what the report's target names (the FHIR version, the profile): a run that
   * fetches what it reads (its prerequisites run) runs it too, whatever `--only` asked, so that a
   * partial report still says which version and profile it was about.
   */
  recordsTarget?: boolean;
  /**
   * What the check cannot be judged without (src/engine/diagnosis.ts); default: the FHIR base over
   * HTTP. When the run's diagnosis takes one of these away, the check is `skip` naming the cause.
   */
  needs?: Need[];
  run(ctx: RunContext): Promise<Outcome | Outcome[]>;
}

export const pass = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'pass',
  message,
  ...extra,
});
export const fail = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'fail',
  message,
  ...extra,
});
export const warn = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'warn',
  message,
  ...extra,
});
export const skip = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'skip',
  message,
  ...extra,
});
export const na = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'na',
  message,
  ...extra,
});
export const manual = (message: string, extra: Partial<Outcome> = {}): Outcome => ({
  status: 'manual',
  message,
  ...extra,
});

/** Identity function that gives a suite file its types without ceremony. */
export function defineChecks(checks: Check[]): Check[] {
  return checks;
}

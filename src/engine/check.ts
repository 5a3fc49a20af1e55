/**
 * How a check is declared. A suite file is a list of these, and should read like the requirement
 * table it tests: the requirement ID, the facts it is judged on, and one async function.
 */
import type { Evidence, Status } from '../core/model.js';
import type { Collection, Fact, Given, Inputs } from './facts.js';
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

/** How one check is declared: what it judges, what it needs to know, and what it finds out. */
export interface CheckSpec<U extends Inputs> {
  /**
   * Unique and stable across runs: report row ids start with it, and `diff` matches rows on those ids
   * with the partner's host and port taken out.
   */
  id: string;
  /** The catalogue ID; the row's title and default level come from the catalogue. */
  requirement: string;
  /** Defaults to the catalogue level of `requirement`. */
  level?: Level;
  /**
   * The facts the check is judged on, by the names `run` receives them under. A fact comes from the
   * one check that provides it, which runs first even when `--only` leaves it out; when that check did
   * not pass (or warn), this one is `skip` and names it. A collection is read once every check that
   * adds to it has run.
   */
  uses?: U;
  /** Facts the check sets with `ctx.provide`, for the checks that use them. */
  provides?: readonly Fact<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Collections the check adds to with `ctx.collect`. */
  adds?: readonly Collection<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
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
  run(ctx: RunContext, given: Given<U>): Promise<Outcome | Outcome[]>;
}

export type Check = CheckSpec<Inputs>;

/** Gives a check its types: `run` receives exactly the facts `uses` names. */
export function defineCheck<U extends Inputs = Record<never, never>>(spec: CheckSpec<U>): Check {
  return spec as unknown as Check;
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

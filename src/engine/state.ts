/**
 * What one suite learns and a later suite needs: the capability statement, the FHIR version, the
 * token URL, probe patients… Each module that publishes something adds its field to this interface
 * by declaration merging (`declare module '…/engine/state.js' { interface RunState { … } }`), so the
 * blackboard stays typed without one file that every suite must edit.
 */
import type { Diagnosis } from '../report/model.js';

export type FhirVersion = 'dstu2' | 'stu3';

export interface RunState {
  /** Set by META-02 from the capability statement, or by `--fhir-version`. */
  fhirVersion?: FhirVersion;
  /** The literal fhirVersion string the partner declared, e.g. `1.0.2`. */
  fhirVersionString?: string;
  /** The token URL found by META-04. */
  tokenUrl?: string;
  /** Reasons the run cannot certify whatever passes, e.g. plain http allowed. */
  notCertifiableReasons: string[];
  /** Set once, by the check that found the run cannot reach or use the partner (src/engine/diagnosis.ts). */
  diagnosis?: Diagnosis;
  /** Fields only some checks read, and the ids of those checks (see `readOnlyBy`). */
  readOnlyBy?: Map<keyof RunState, ReadonlySet<string>>;
}

/**
 * Declares that only the checks with these ids read `key`: the engine drops the field once none of
 * them is left to run. Held to the end of the run, a partner's capability statement or probe data (up
 * to the 20 MiB response cap each) stayed alive through every later suite, and each megabyte the run
 * keeps lets the heap grow by more before it is collected.
 */
export function readOnlyBy(state: RunState, key: keyof RunState, readers: ReadonlySet<string>): void {
  (state.readOnlyBy ??= new Map()).set(key, readers);
}

/** Drops the fields that none of the checks still to run reads. */
export function dropUnread(state: RunState, toRun: readonly { id: string }[]): void {
  for (const [key, readers] of state.readOnlyBy ?? []) {
    if (toRun.some((check) => readers.has(check.id))) continue;
    delete state[key];
    state.readOnlyBy!.delete(key);
  }
}

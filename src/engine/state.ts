/**
 * What one suite learns and a later suite needs: the capability statement, the FHIR version, the
 * token URL, probe patients… Each module that publishes something adds its field to this interface
 * by declaration merging (`declare module '…/engine/state.js' { interface RunState { … } }`), so the
 * blackboard stays typed without one file that every suite must edit.
 */
import type { FhirVersion } from '../core/fhir-version.js';
import type { Diagnosis } from '../core/model.js';

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
}

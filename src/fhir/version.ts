/** Which profile a declared fhirVersion selects: DSTU2 is 1.0.x, STU3 is 3.0.x, nothing else is ours. */
import type { FhirVersion } from '../core/fhir-version.js';

export function versionFromDeclared(declared: unknown): FhirVersion | null {
  if (typeof declared !== 'string') return null;
  if (/^1\.0\.\d+$/.test(declared)) return 'dstu2';
  if (/^3\.0\.\d+$/.test(declared)) return 'stu3';
  return null;
}

/** The capability statement's resourceType in each version. */
export const capabilityType: Record<FhirVersion, string> = {
  dstu2: 'Conformance',
  stu3: 'CapabilityStatement',
};

/** The FHIR JSON media type of each version. */
export const fhirJsonMediaType: Record<FhirVersion, string> = {
  dstu2: 'application/json+fhir',
  stu3: 'application/fhir+json',
};

/** The medication-order resource the app reads in each version. */
export const medicationOrderType: Record<FhirVersion, string> = {
  dstu2: 'MedicationOrder',
  stu3: 'MedicationRequest',
};

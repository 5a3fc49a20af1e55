/** What differs between the two FHIR versions at the HTTP level. */
export type FhirVersion = 'dstu2' | 'stu3';

export const VERSIONS: readonly FhirVersion[] = ['dstu2', 'stu3'];

export const FHIR_VERSION_NUMBER: Record<FhirVersion, string> = { dstu2: '1.0.2', stu3: '3.0.1' };

export const FHIR_JSON: Record<FhirVersion, string> = {
  dstu2: 'application/json+fhir; charset=utf-8',
  stu3: 'application/fhir+json; charset=utf-8',
};

/** The types both versions serve; only the medication order's type differs between them. */
const SHARED_TYPES = [
  'Patient',
  'Observation',
  'Condition',
  'Encounter',
  'AllergyIntolerance',
  'Coverage',
  'Location',
];

/** The resource types served, per version. */
export const RESOURCE_TYPES: Record<FhirVersion, readonly string[]> = {
  dstu2: [...SHARED_TYPES, 'MedicationOrder'],
  stu3: [...SHARED_TYPES, 'MedicationRequest'],
};

export function isVersion(s: string): s is FhirVersion {
  return s === 'dstu2' || s === 'stu3';
}

/** What differs between the two FHIR versions at the HTTP level. */
export type FhirVersion = 'dstu2' | 'stu3';

export const VERSIONS: readonly FhirVersion[] = ['dstu2', 'stu3'];

export const FHIR_VERSION_NUMBER: Record<FhirVersion, string> = { dstu2: '1.0.2', stu3: '3.0.1' };

export const FHIR_JSON: Record<FhirVersion, string> = {
  dstu2: 'application/json+fhir; charset=utf-8',
  stu3: 'application/fhir+json; charset=utf-8',
};

/** The resource types served, per version (the medication order type differs). */
export const RESOURCE_TYPES: Record<FhirVersion, readonly string[]> = {
  dstu2: [
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'Coverage',
    'Location',
    'MedicationOrder',
  ],
  stu3: [
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'Coverage',
    'Location',
    'MedicationRequest',
  ],
};

export function isVersion(s: string): s is FhirVersion {
  return s === 'dstu2' || s === 'stu3';
}

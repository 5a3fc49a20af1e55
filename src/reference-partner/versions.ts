/** What differs between the two FHIR versions at the HTTP level. */
export type FhirVersion = 'dstu2' | 'stu3';

export const VERSIONS: readonly FhirVersion[] = ['dstu2', 'stu3'];

export const FHIR_VERSION_NUMBER: Record<FhirVersion, string> = { dstu2: '1.0.2', stu3: '3.0.1' };

export const FHIR_JSON_MEDIA_TYPE: Record<FhirVersion, string> = {
  dstu2: 'application/json+fhir',
  stu3: 'application/fhir+json',
};

export const FHIR_JSON: Record<FhirVersion, string> = {
  dstu2: `${FHIR_JSON_MEDIA_TYPE.dstu2}; charset=utf-8`,
  stu3: `${FHIR_JSON_MEDIA_TYPE.stu3}; charset=utf-8`,
};

/** The unusual variant's labels: parameters without spaces, charset in capitals, a fhirVersion parameter. */
export const FHIR_JSON_UNUSUAL: Record<FhirVersion, string> = {
  dstu2: `${FHIR_JSON_MEDIA_TYPE.dstu2};charset=UTF-8`,
  stu3: `${FHIR_JSON_MEDIA_TYPE.stu3};fhirVersion=3.0;charset=UTF-8`,
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

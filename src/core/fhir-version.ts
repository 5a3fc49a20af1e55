/** The two FHIR versions the Teams Patients app speaks: DSTU2 (1.0.x) and STU3 (3.0.x). */
export type FhirVersion = 'dstu2' | 'stu3';

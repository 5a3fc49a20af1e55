/**
 * Every row of the third-party partner's reports that is not a pass, and why. Each row the harness
 * writes must be here with its status, and each entry here must still occur: the test fails both
 * ways, so this list is the partner's audited set of findings, not a list of excuses.
 *
 * Subjects name the tenants as {A} and {B} (the full tenant id) or {a} and {b} (its first 8
 * characters, as ROUTE-02 writes them).
 */
import type { Status } from '../../src/core/model.js';

export type Version = 'dstu2' | 'stu3';

export interface Finding {
  versions: Version[];
  requirement: string;
  /** The row's subject with tenants written as {A}/{B} or {a}/{b}; absent for rows without one. */
  subject?: string;
  status: Exclude<Status, 'pass'>;
  /** One line: why this is what the partner really does. */
  reason: string;
}

const BOTH: Version[] = ['dstu2', 'stu3'];
const DSTU2: Version[] = ['dstu2'];
const STU3: Version[] = ['stu3'];

/** Genuine findings: what this partner (the libraries, or the HL7 examples it serves) really does. */
export const findings: Finding[] = [
  // The framework's capability statement and error answers.
  {
    versions: BOTH,
    requirement: 'META-05',
    status: 'warn',
    reason: 'the framework declares security.service SMART-on-FHIR (capability.<version>.js), not OAuth',
  },
  {
    versions: BOTH,
    requirement: 'META-10',
    status: 'warn',
    reason: 'the framework sends metadata with res.json(), i.e. application/json, not the FHIR media type',
  },
  {
    versions: BOTH,
    requirement: 'SEC-03',
    subject: 'no token',
    status: 'warn',
    reason: 'the framework authenticates with passport, whose 401 body is the text "Unauthorized"',
  },
  // Plain http on loopback, as the test runs it.
  {
    versions: BOTH,
    requirement: 'SEC-01',
    subject: 'FHIR base URL',
    status: 'fail',
    reason: 'served over plain http on 127.0.0.1 (--allow-insecure-http)',
  },
  {
    versions: BOTH,
    requirement: 'SEC-01',
    subject: 'token URL',
    status: 'fail',
    reason: 'served over plain http on 127.0.0.1 (--allow-insecure-http)',
  },
  {
    versions: BOTH,
    requirement: 'SEC-02',
    subject: 'FHIR base URL',
    status: 'na',
    reason: 'plain http: no TLS to check',
  },
  {
    versions: BOTH,
    requirement: 'SEC-02',
    subject: 'token URL',
    status: 'na',
    reason: 'plain http: no TLS to check',
  },
  // The OAuth library.
  {
    versions: BOTH,
    requirement: 'AUTH-06',
    status: 'na',
    reason: 'the OAuth library issues opaque random tokens, not JWTs',
  },
  // What the HL7 examples hold.
  {
    versions: BOTH,
    requirement: 'ROUTE-02',
    subject: 'AllergyIntolerance of tenant {b}… via tenant {a}…',
    status: 'na',
    reason: "tenant B holds no AllergyIntolerance: every example is Patient/example's (tenant A)",
  },
  {
    versions: STU3,
    requirement: 'ROUTE-02',
    subject: 'MedicationRequest of tenant {b}… via tenant {a}…',
    status: 'na',
    reason: "tenant B holds no MedicationRequest: all 36 examples are Patient/pat1's (tenant A)",
  },
  {
    versions: BOTH,
    requirement: 'RES-PAT-1',
    subject: 'Patient @ tenant {B}',
    status: 'fail',
    reason: 'Patient/f001 has only BSN identifiers, none typed MR',
  },
  {
    versions: BOTH,
    requirement: 'RES-PAT-2',
    subject: 'Patient @ tenant {A}',
    status: 'warn',
    reason: 'Patient/example has no name.prefix and no careProvider/generalPractitioner',
  },
  {
    versions: BOTH,
    requirement: 'RES-PAT-2',
    subject: 'Patient @ tenant {B}',
    status: 'warn',
    reason: 'Patient/f001 has no name.prefix and no careProvider/generalPractitioner',
  },
  {
    versions: BOTH,
    requirement: 'RES-OBS-1',
    subject: 'Observation @ tenant {A}',
    status: 'fail',
    reason:
      'undated, uncoded or valueless examples (Observation/example in DSTU2, genetics, eye colour, cancelled)',
  },
  {
    versions: BOTH,
    requirement: 'RES-OBS-1',
    subject: 'Observation @ tenant {B}',
    status: 'fail',
    reason:
      'Observation/ekg holds valueSampledData and Observation/unsat a valueCodeableConcept, no valueQuantity',
  },
  {
    versions: BOTH,
    requirement: 'RES-OBS-2',
    subject: 'Observation @ tenant {A}',
    status: 'warn',
    reason: 'several examples have no valueQuantity.unit (or no code.coding.display)',
  },
  {
    versions: BOTH,
    requirement: 'RES-OBS-2',
    subject: 'Observation @ tenant {B}',
    status: 'warn',
    reason: 'Observation/ekg and Observation/unsat have no valueQuantity, so no unit',
  },
  {
    versions: BOTH,
    requirement: 'RES-CON-1',
    subject: 'Condition @ tenant {A}',
    status: 'fail',
    reason: 'Condition/example2 is coded by text only ("Asthma")',
  },
  {
    versions: BOTH,
    requirement: 'RES-CON-2',
    subject: 'Condition @ tenant {A}',
    status: 'warn',
    reason: "Patient/example's Conditions have no dateRecorded/assertedDate, and not all a severity",
  },
  {
    versions: BOTH,
    requirement: 'RES-ENC-1',
    subject: 'Encounter @ tenant {A}',
    status: 'fail',
    reason: "Patient/example's Encounters have no type",
  },
  {
    versions: BOTH,
    requirement: 'RES-ENC-2',
    subject: 'Encounter @ tenant {A}',
    status: 'warn',
    reason: 'Encounter/example has no period and no location',
  },
  {
    versions: BOTH,
    requirement: 'RES-ENC-2',
    subject: 'Encounter @ tenant {B}',
    status: 'warn',
    reason: 'Encounters f001–f003 have no period and no location',
  },
  {
    versions: DSTU2,
    requirement: 'RES-ALG-1',
    subject: 'AllergyIntolerance @ tenant {A}',
    status: 'fail',
    reason: 'AllergyIntolerance/fishallergy has no status (optional in DSTU2)',
  },
  {
    versions: BOTH,
    requirement: 'RES-ALG-1',
    subject: 'AllergyIntolerance @ tenant {B}',
    status: 'na',
    reason: 'Patient/f001 has no AllergyIntolerance',
  },
  {
    versions: DSTU2,
    requirement: 'RES-ALG-2',
    subject: 'AllergyIntolerance @ tenant {A}',
    status: 'warn',
    reason: 'the DSTU2 allergy examples have no note, and their reactions are coded without text',
  },
  {
    versions: STU3,
    requirement: 'RES-ALG-2',
    subject: 'AllergyIntolerance @ tenant {A}',
    status: 'warn',
    reason: 'two STU3 allergy examples have no note, and their reactions name the substance by text only',
  },
  {
    versions: BOTH,
    requirement: 'RES-ALG-2',
    subject: 'AllergyIntolerance @ tenant {B}',
    status: 'na',
    reason: 'Patient/f001 has no AllergyIntolerance',
  },
  {
    versions: DSTU2,
    requirement: 'RES-MED-1',
    subject: 'MedicationOrder @ tenant {A}',
    status: 'na',
    reason: 'Patient/example has no MedicationOrder',
  },
  {
    versions: DSTU2,
    requirement: 'RES-MED-2',
    subject: 'MedicationOrder @ tenant {A}',
    status: 'na',
    reason: 'Patient/example has no MedicationOrder',
  },
  {
    versions: DSTU2,
    requirement: 'RES-MED-1',
    subject: 'MedicationOrder @ tenant {B}',
    status: 'fail',
    reason: 'MedicationOrder/medrx006 has no dateWritten, prescriber or medication display',
  },
  {
    versions: DSTU2,
    requirement: 'RES-MED-2',
    subject: 'MedicationOrder @ tenant {B}',
    status: 'warn',
    reason: "none of Patient/f001's MedicationOrders has dateEnded, and some no dosageInstruction.text",
  },
  {
    versions: STU3,
    requirement: 'RES-MED-1',
    subject: 'MedicationRequest @ tenant {A}',
    status: 'na',
    reason: "Patient/example has no MedicationRequest (they are all pat1's)",
  },
  {
    versions: STU3,
    requirement: 'RES-MED-2',
    subject: 'MedicationRequest @ tenant {A}',
    status: 'na',
    reason: "Patient/example has no MedicationRequest (they are all pat1's)",
  },
  {
    versions: STU3,
    requirement: 'RES-MED-1',
    subject: 'MedicationRequest @ tenant {B}',
    status: 'na',
    reason: 'Patient/f001 has no MedicationRequest',
  },
  {
    versions: STU3,
    requirement: 'RES-MED-2',
    subject: 'MedicationRequest @ tenant {B}',
    status: 'na',
    reason: 'Patient/f001 has no MedicationRequest',
  },
  {
    versions: STU3,
    requirement: 'RES-COV-1',
    subject: 'Coverage @ tenant {A}',
    status: 'fail',
    reason: 'Coverage/9876B1 has no subscriberId',
  },
  {
    versions: STU3,
    requirement: 'RES-COV-1',
    subject: 'Coverage @ tenant {B}',
    status: 'fail',
    reason: 'Coverage/7547E and Coverage/SP1234 have no grouping and no subscriberId',
  },
  {
    versions: BOTH,
    requirement: 'RES-LOC-1',
    subject: 'Location @ tenant {B}',
    status: 'na',
    reason: "Patient/f001's Encounters refer to no Location",
  },
  // Searches.
  {
    versions: DSTU2,
    requirement: 'SRCH-PAT-6',
    status: 'na',
    reason: 'the DSTU2 profile sends no gender search',
  },
  {
    versions: BOTH,
    requirement: 'SRCH-COV-1',
    subject: 'coverage @ tenant {A}',
    status: 'warn',
    reason:
      'Coverage has no `patient` search parameter in DSTU2/STU3, so the framework drops it (as FHIR lets a server) and lists every coverage',
  },
  {
    versions: BOTH,
    requirement: 'SRCH-COV-1',
    subject: 'coverage @ tenant {B}',
    status: 'warn',
    reason:
      'Coverage has no `patient` search parameter in DSTU2/STU3, so the framework drops it (as FHIR lets a server) and lists every coverage',
  },
];

/**
 * The requirement catalogue of ../shared/spec/requirements.md as data. Every check and every report
 * row names one of these IDs; the level here is the default the engine applies to a row.
 */
export type Level = 'required' | 'recommended' | 'manual';

export type Family = 'META' | 'AUTH' | 'ROUTE' | 'RES' | 'SRCH' | 'BATCH' | 'LAT' | 'SEC';

export interface Requirement {
  id: string;
  family: Family;
  level: Level;
  title: string;
}

const table: Array<[id: string, level: Level, title: string]> = [
  ['META-01', 'required', 'GET metadata without Authorization answers 200 with a JSON capability statement'],
  ['META-02', 'required', 'fhirVersion is present and is 1.0.x or 3.0.x'],
  ['META-03', 'required', 'rest[] has an entry with mode = server'],
  ['META-04', 'required', 'security declares the SMART oauth-uris extension with an absolute token URL'],
  ['META-05', 'recommended', 'security.service has the OAuth coding'],
  ['META-06', 'required', 'Patient is listed with read and search-type'],
  ['META-07', 'recommended', 'the other resources the app reads are listed with read and search-type'],
  ['META-08', 'required', 'batch is declared'],
  ['META-09', 'recommended', 'Patient declares the search parameters the app uses'],
  ['META-10', 'recommended', 'JSON format is declared and responses carry a FHIR JSON media type'],
  ['AUTH-01', 'required', 'valid credentials and a known tenant get a Bearer token with expires_in'],
  ['AUTH-02', 'recommended', 'the token response carries Cache-Control: no-store'],
  ['AUTH-03', 'required', 'a wrong client_secret is refused with invalid_client'],
  ['AUTH-04', 'required', 'an unknown client_id is refused with invalid_client'],
  ['AUTH-05', 'required', 'a missing or unsupported grant_type is refused'],
  [
    'AUTH-06',
    'recommended',
    'a JWT access token decodes, its exp agrees with expires_in, and it names the tenant',
  ],
  ['AUTH-07', 'required', 'a data request without a token gets 401'],
  ['AUTH-08', 'required', 'a data request with a tampered token gets 401'],
  ['AUTH-09', 'manual', 'an expired token gets 401'],
  ['AUTH-10', 'manual', 'after secret rotation the old secret is refused and the new one works'],
  ['AUTH-11', 'required', 'the token response never echoes the client secret'],
  ['ROUTE-01', 'required', "a token for a configured tenant reaches that tenant's data"],
  ['ROUTE-02', 'required', "one tenant's resources are invisible to another tenant's token"],
  ['ROUTE-03', 'required', 'a token for an unknown tenant is refused or reaches no data'],
  ['ROUTE-04', 'required', 'a token request without scope is refused or reaches no data'],
  ['ROUTE-05', 'required', 'malformed scopes get a 4xx, never a 5xx or data'],
  ['RES-PAT-1', 'required', 'Patient carries name, gender, birthDate and an MRN identifier'],
  ['RES-PAT-2', 'recommended', 'Patient carries name use and prefix and the general practitioner'],
  ['RES-OBS-1', 'required', 'Observation carries effective time, code and value'],
  ['RES-OBS-2', 'recommended', 'Observation carries code display and value unit'],
  ['RES-CON-1', 'required', 'Condition carries a code display'],
  ['RES-CON-2', 'recommended', 'Condition carries its recorded date and severity'],
  ['RES-ENC-1', 'required', 'Encounter carries status and type display'],
  ['RES-ENC-2', 'recommended', 'Encounter carries period start and location display'],
  ['RES-ALG-1', 'required', 'AllergyIntolerance carries the substance and a status'],
  ['RES-ALG-2', 'recommended', 'AllergyIntolerance carries dates, notes and reaction details'],
  ['RES-MED-1', 'required', 'medication orders carry date, prescriber and medication'],
  ['RES-MED-2', 'recommended', 'medication orders carry end date and dosage text'],
  ['RES-COV-1', 'required', 'Coverage names the payor or plan'],
  ['RES-LOC-1', 'recommended', "the Encounter's Location is readable"],
  ['RES-VAL-1', 'required', 'every returned resource is structurally valid for the version'],
  ['RES-READ-1', 'required', 'every resource is readable by id and an unknown id answers 404'],
  ['SRCH-PAT-1', 'required', 'Patient search by _id returns exactly that patient'],
  ['SRCH-PAT-2', 'required', 'Patient search by family returns only matching patients'],
  ['SRCH-PAT-3', 'required', 'Patient search by given name returns only matching patients'],
  ['SRCH-PAT-4', 'required', 'Patient search by birthdate returns only patients born that day'],
  ['SRCH-PAT-5', 'required', 'Patient search by identifier returns the patient with that MRN'],
  ['SRCH-PAT-6', 'recommended', 'Patient search by gender returns only that gender'],
  ['SRCH-CNT-1', 'required', '_count is honoured and total is at least the entries'],
  ['SRCH-OBS-1', 'required', "vital signs search returns only the patient's vital signs, newest first"],
  ['SRCH-CON-1', 'recommended', "Condition search returns only the patient's conditions"],
  ['SRCH-ENC-1', 'recommended', "Encounter search returns the patient's latest encounter"],
  ['SRCH-ALG-1', 'recommended', "AllergyIntolerance search returns only the patient's allergies"],
  ['SRCH-MED-1', 'recommended', "medication order search returns only the patient's orders"],
  ['SRCH-COV-1', 'recommended', "Coverage search returns the patient's coverage"],
  ['BATCH-1', 'required', 'a batch Bundle answers a batch-response with one entry per request, in order'],
  ['LAT-01', 'required', 'metadata p95 within budget'],
  ['LAT-02', 'required', 'token request p95 within budget'],
  ['LAT-03', 'required', 'read by id p95 within budget'],
  ['LAT-04', 'required', 'each search p95 within budget'],
  ['LAT-05', 'required', 'batch p95 within budget'],
  ['LAT-06', 'recommended', 'budgets hold under concurrent users, without errors'],
  ['SEC-01', 'required', 'the FHIR base URL and the token URL are https'],
  ['SEC-02', 'required', 'TLS 1.2 or newer with a certificate that validates'],
  ['SEC-03', 'recommended', 'error responses carry no internal details and are OperationOutcome'],
];

export const requirements: ReadonlyMap<string, Requirement> = new Map(
  table.map(([id, level, title]) => [id, { id, level, title, family: id.split('-')[0] as Family }]),
);

export const families: readonly Family[] = ['META', 'SEC', 'AUTH', 'ROUTE', 'RES', 'SRCH', 'BATCH', 'LAT'];

export function requirement(id: string): Requirement {
  const found = requirements.get(id);
  if (!found) throw new Error(`unknown requirement ID ${id}: add it to src/core/requirements.ts`);
  return found;
}

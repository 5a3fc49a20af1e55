/**
 * Named faults: each one switches on one nonconformity, named after the requirement ID it breaks, so a
 * test can prove that the check for that requirement can fail. Faults are kept narrow: one switched on
 * should break its own requirement and, as far as possible, nothing else.
 */
export interface FaultInfo {
  name: string;
  requirement: string;
  description: string;
}

const catalogue: Array<[name: string, description: string]> = [
  ['META-01', 'GET metadata without a token answers 401'],
  ['META-02', 'the capability statement declares fhirVersion 4.0.1'],
  ['META-03', 'rest[0].mode is "client" instead of "server"'],
  ['META-04', 'the oauth-uris token URL is relative ("/oauth/token")'],
  ['META-05', 'security.service (the OAuth coding) is left out'],
  ['META-06', 'Patient is declared without the search-type interaction'],
  ['META-07', 'Coverage is declared without the read interaction'],
  ['META-08', 'batch is not declared (no transactionMode / batch interaction); batches still work'],
  ['META-09', 'the Patient birthdate and identifier search parameters are not declared'],
  ['META-10', 'every response is labelled plain application/json instead of the FHIR JSON media type'],
  ['AUTH-01', 'the token response says token_type "MAC" (the token itself still works as a bearer)'],
  ['AUTH-02', 'the token response has no Cache-Control: no-store and no Pragma: no-cache'],
  ['AUTH-03', 'a known client_id with a wrong client_secret gets a token'],
  ['AUTH-04', 'an unknown client_id gets a token'],
  ['AUTH-05', 'a missing or unsupported grant_type gets a token'],
  ['AUTH-06', "the JWT's exp is two hours later than expires_in says (the server still expires it on time)"],
  ['AUTH-07', "data requests without a token are served (tenant A's data)"],
  ['AUTH-08', 'the token signature is not verified: tampered or random bearer tokens reach data'],
  ['AUTH-09', 'expired tokens are still accepted'],
  ['AUTH-10', 'after a rotation the old client secret keeps working'],
  ['AUTH-11', 'the token response echoes client_secret'],
  ['ROUTE-01', "Patient searches with tenant A's token answer an empty searchset"],
  ['ROUTE-02', 'reads ignore the tenant: a resource of the other tenant is readable by id'],
  ['ROUTE-03', "tokens are issued for unknown tenants and reach tenant A's data"],
  ['ROUTE-04', "tokens are issued without a scope and reach tenant A's data"],
  ['ROUTE-05', 'a malformed (non-GUID) scope gets a 500'],
  ['RES-PAT-1', 'Patient identifiers lose their MR type coding'],
  ['RES-PAT-2', 'Patient names lose prefix and the general practitioner / care provider is left out'],
  ['RES-OBS-1', 'Observation valueQuantity.value (and component values) are left out'],
  ['RES-OBS-2', 'Observation code displays and quantity units are left out'],
  ['RES-CON-1', 'Condition code codings lose their display'],
  ['RES-CON-2', 'Condition recorded/asserted date and severity are left out'],
  ['RES-ENC-1', 'Encounter type codings lose their display'],
  ['RES-ENC-2', 'Encounter location references lose their display'],
  ['RES-ALG-1', 'AllergyIntolerance substance/code has neither text nor coding display'],
  ['RES-ALG-2', 'AllergyIntolerance dates, note and reaction substance/manifestation details are left out'],
  ['RES-MED-1', 'medication orders lose prescriber / requester display and the medication text'],
  ['RES-MED-2', 'medication orders lose dateEnded, dosage text and narrative'],
  ['RES-COV-1', 'Coverage loses plan, issuer display (DSTU2) / grouping and subscriberId (STU3)'],
  ['RES-LOC-1', 'Encounter location references point at Locations that do not exist'],
  ['RES-VAL-1', 'Patients carry an element that does not exist in FHIR ("nickname")'],
  ['RES-READ-1', 'a read of an unknown id answers 200 with an OperationOutcome instead of 404'],
  ['SRCH-PAT-1', 'Patient search ignores _id and returns every patient'],
  ['SRCH-PAT-2', 'Patient search ignores family and returns every patient'],
  ['SRCH-PAT-3', 'Patient search ignores given and name and returns every patient'],
  ['SRCH-PAT-4', 'Patient search ignores birthdate and returns every patient'],
  ['SRCH-PAT-5', 'Patient search by identifier never matches'],
  ['SRCH-PAT-6', 'Patient search ignores gender and returns every patient'],
  ['SRCH-CNT-1', '_count is ignored (the default page size is used)'],
  ['SRCH-OBS-1', 'Observation searches sort oldest first whatever _sort asks'],
  ['SRCH-CON-1', 'Condition search ignores patient and returns every condition'],
  ['SRCH-ENC-1', 'Encounter search ignores _sort and returns the oldest encounter first'],
  ['SRCH-ALG-1', 'AllergyIntolerance search ignores patient and returns every allergy'],
  ['SRCH-MED-1', 'MedicationOrder / MedicationRequest search ignores patient'],
  ['SRCH-COV-1', 'Coverage search by patient returns nothing'],
  ['BATCH-1', 'batch-response entries come back in reverse order'],
  ['LAT-01', 'metadata answers 1500 ms late'],
  ['LAT-02', 'the token endpoint answers 1500 ms late'],
  ['LAT-03', 'reads by id answer 1000 ms late'],
  ['LAT-04', 'searches answer 1500 ms late (reads and batches are not slowed)'],
  ['LAT-05', 'batches answer 2500 ms late'],
  ['LAT-06', 'data requests are held 100 ms and any request overlapping another one answers 503'],
  ['SEC-03', 'error OperationOutcomes carry a stack trace in diagnostics'],
];

export const FAULTS: readonly FaultInfo[] = catalogue.map(([name, description]) => ({
  name,
  requirement: name,
  description,
}));

/** Extra delay per interaction class, for the LAT-* faults. */
export const FAULT_DELAYS_MS = {
  'LAT-01': 1500,
  'LAT-02': 1500,
  'LAT-03': 1000,
  'LAT-04': 1500,
  'LAT-05': 2500,
} as const;

export const LAT06_HOLD_MS = 100;

export function listFaults(): FaultInfo[] {
  return FAULTS.map((f) => ({ ...f }));
}

/**
 * Fault names as the catalogue spells them, matched without regard to case ("lat-06" is LAT-06), and
 * the names that match nothing.
 */
export function canonicalFaultNames(names: readonly string[]): { known: string[]; unknown: string[] } {
  const byUpper = new Map(FAULTS.map((f) => [f.name.toUpperCase(), f.name]));
  const known: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const canonical = byUpper.get(name.trim().toUpperCase());
    if (canonical === undefined) unknown.push(name);
    else if (!known.includes(canonical)) known.push(canonical);
  }
  return { known, unknown };
}

/** Validates fault names (in any case); throws an Error that lists every valid name. */
export function parseFaults(names: readonly string[] | undefined): ReadonlySet<string> {
  const { known, unknown } = canonicalFaultNames(names ?? []);
  if (unknown.length > 0) {
    throw new Error(
      `unknown fault name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ` +
        `valid names: ${FAULTS.map((f) => f.name).join(', ')}`,
    );
  }
  return new Set(known);
}

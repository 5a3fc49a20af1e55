/**
 * The `unusual` variant of the reference partner: still conformant to every requirement of the
 * catalogue, but doing each thing the legal, less common way a real EHR integration does. Each
 * variation names the clause that makes it legal, so a verdict against this variant that is not a
 * pass is a false verdict of the harness, not a fault of the partner.
 */
export type Variant = 'standard' | 'unusual';

export const VARIANTS: readonly Variant[] = ['standard', 'unusual'];

export interface Variation {
  id: string;
  /** What the partner does differently. */
  what: string;
  /** Why it is legal: the spec clause or RFC section. */
  why: string;
}

const catalogue: Array<[id: string, what: string, why: string]> = [
  [
    'client-rest-first',
    'the capability statement lists a rest entry with mode "client" before the "server" one',
    'Conformance/CapabilityStatement.rest is 0..*, one entry per mode; META-03 asks for an entry with mode server, not the first',
  ],
  [
    'stu3-technical-correction',
    'the STU3 capability statement declares fhirVersion 3.0.2, the 2019 technical correction',
    'META-02 asks for 3.0.x; 3.0.2 is STU3 with errata (http://hl7.org/fhir/STU3/history.html)',
  ],
  [
    'format-as-mime-types',
    'format is ["xml", "application/json+fhir"] (DSTU2) / ["xml", "application/fhir+json"] (STU3): JSON second, as a MIME type',
    'format is "xml | json | ttl | mime type" (DSTU2 and STU3 Conformance/CapabilityStatement.format)',
  ],
  [
    'oauth-uris-authorize-first',
    'the oauth-uris extension lists authorize before token',
    'complex extensions are matched by url, not position (DSTU2/STU3 extensibility)',
  ],
  [
    'security-service-smart-first',
    'security.service holds SMART-on-FHIR before OAuth, both from the restful-security-service system',
    'security.service is 0..* CodeableConcept; both codes are in the restful-security-service value set',
  ],
  [
    'interactions-reordered',
    'resources are declared in reverse order, each with search-type, vread and read in that order',
    'rest.resource and resource.interaction are unordered lists; vread is served (see history-references)',
  ],
  [
    'media-type-parameters',
    'every FHIR answer is labelled "application/fhir+json;fhirVersion=3.0;charset=UTF-8" (STU3) / "application/json+fhir;charset=UTF-8" (DSTU2)',
    'RFC 7231 §3.1.1.1: media type parameters, with or without spaces, charset case-insensitive; a client ignores a parameter it does not know (fhirVersion is defined from R4 on, http.html#version-parameter)',
  ],
  [
    'chunked-bodies',
    'search and batch answers are sent with Transfer-Encoding: chunked, in several chunks, without Content-Length',
    'RFC 7230 §3.3.1 and §4.1: chunked is the HTTP/1.1 framing every client must read',
  ],
  [
    'etag-on-reads',
    'reads answer ETag W/"1" and Last-Modified',
    'FHIR http.html#read: the server SHOULD return an ETag with the versionId',
  ],
  [
    'small-pages',
    'searches answer 3 matches per page by default and at most 5 whatever _count asks, so answers need next links',
    'search.html#count: _count is a hint; "the server is not bound to return the number requested"',
  ],
  [
    'opaque-next-links',
    'next links point at the base with an opaque page key ([base]?_getpages=…&_getpagesoffset=n), as HAPI does',
    'http.html#paging: paging links are opaque to the client, which follows them as given',
  ],
  [
    'outcome-entry',
    'every searchset also holds an OperationOutcome entry with search.mode "outcome"',
    'Bundle.entry.search.mode is match | include | outcome (DSTU2 and STU3 SearchEntryMode)',
  ],
  [
    'patient-required',
    'searches of clinical types (Observation, Condition, Encounter, AllergyIntolerance, medication orders, Coverage) without patient or _id answer 400 with an OperationOutcome "too-costly"',
    'search.html: a server may refuse a search it finds too costly; IssueType too-costly (DSTU2 and STU3); the requirements only ask for per-patient searches',
  ],
  [
    'unsorted-newest-first',
    'a search without _sort answers its matches in reverse order (newest first)',
    "search.html#sort: without _sort the order is the server's choice",
  ],
  [
    'batch-bare-status',
    'batch-response entries say response.status "200" (no reason phrase) and carry etag and lastModified',
    'Bundle.entry.response.status: "status code (and optional reason phrase)"',
  ],
  [
    'outcome-details-text',
    'error OperationOutcomes carry issue.details.text and a narrative instead of diagnostics',
    'OperationOutcome.issue.details and diagnostics are both 0..1; either tells the reason',
  ],
  [
    'token-type-lowercase',
    'the token response says token_type "bearer"',
    'RFC 6749 §5.1 and §7.1: token_type is case-insensitive',
  ],
  [
    'opaque-token',
    'access tokens are opaque random strings, not JWTs (AUTH-06 becomes not applicable)',
    'RFC 6749 §1.4: an access token is usually opaque to the client; the requirement says so for AUTH-06',
  ],
  [
    'token-response-extras',
    'the token response adds ext_expires_in and not_before, is labelled "application/json;charset=UTF-8", and says Cache-Control: no-cache, no-store, max-age=0, must-revalidate',
    'RFC 6749 §5.1: the client must ignore value names it does not recognise, and no-store is required among any other directives (RFC 9111 §5.2)',
  ],
  [
    'client-errors-mixed-status',
    'a wrong secret is 401 invalid_client with a Basic challenge, an unknown client 400 invalid_client; errors carry error_uri',
    'RFC 6749 §5.2: invalid_client may be 401 (with WWW-Authenticate) or 400; error_uri is optional',
  ],
  [
    'challenge-params-reordered',
    'data 401s say WWW-Authenticate: Bearer error="invalid_token", error_description=…, realm=…, scope=… (error first; no error code when no token was sent)',
    'RFC 6750 §3: the auth-params come in any order; §3.1 no error code for a request without authentication',
  ],
  [
    'unknown-tenant-token-no-data',
    'a token is issued for an unknown tenant GUID, and that token gets 403 on every data request',
    'ROUTE-03: refused at the token endpoint, or issued but reaching no data (401/403)',
  ],
  [
    'no-scope-token-no-data',
    'a token request without scope gets a token, which gets 401 on every data request',
    'ROUTE-04: refused, or the token reaches no data',
  ],
  [
    'colliding-ids',
    "both tenants number their resources the same way: tenant B's Patient has the same id as tenant A's, with other content",
    'two tenants are two FHIR servers; ids are unique per server only (resource.html#id); ROUTE-02 is about content, not ids',
  ],
  [
    'contained-location',
    'every other Encounter refers to its Location as a contained resource ("reference": "#loc")',
    'references.html#contained: contained resources are referenced by "#id" and resolved inside the resource',
  ],
  [
    'absolute-references',
    "patient references are absolute URLs under the partner's own base",
    'references.html#literal: a reference is relative or absolute',
  ],
  [
    'history-references',
    'the other Encounters refer to Location/x/_history/1, and GET Location/x/_history/1 (vread) answers it',
    'references.html#literal: a reference may be version-specific',
  ],
  [
    'several-names',
    'each Patient has an old name (use "old", a former family name) before the official one',
    'Patient.name is 0..*, unordered; use tells which is official',
  ],
  [
    'several-identifiers',
    'each Patient has an enterprise identifier (use "secondary") before the MRN, which is typed MR',
    'Patient.identifier is 0..*; the MRN is known by its type, not its position',
  ],
  [
    'primitive-extensions',
    'birthDate carries a patient-birthTime extension in _birthDate',
    'json.html#primitive: a primitive\'s id and extensions go in the "_name" property beside it',
  ],
  [
    'effective-period',
    'one vital sign per visit has effectivePeriod (start and end) instead of effectiveDateTime',
    'Observation.effective[x] is dateTime | Period in DSTU2 and STU3',
  ],
  [
    'timezone-offsets',
    'clinical dateTimes carry local offsets (+09:00, -05:00), so their text order is not their time order',
    'datatypes.html#dateTime: a time SHALL carry a timezone, any offset',
  ],
  [
    'partial-dates',
    'condition onsets, allergy onsets and medication written dates are partial (YYYY-MM)',
    'datatypes.html#dateTime: dateTime may be a year or a year and month',
  ],
  [
    'coding-order',
    'Observation code and category hold a local coding before the LOINC / observation-category one',
    'CodeableConcept.coding is 0..*, unordered; the app finds its code among them',
  ],
  [
    'contained-practitioner',
    'medication orders name their prescriber (DSTU2) / requester.agent (STU3) as a contained Practitioner ("#prac", with display)',
    'prescriber and requester.agent are References; references.html#contained',
  ],
  [
    'display-only-medication',
    'medication orders name the drug as medicationReference with only a display: no code, no Medication resource',
    'medication[x] is CodeableConcept | Reference(Medication), and every element of a Reference is optional (datatypes.html#Reference)',
  ],
  [
    'meta-narrative-extensions',
    'every resource carries meta.versionId and meta.lastUpdated, a narrative, and Patients an extension the app does not know',
    'resource.html#Meta, narrative.html; extensibility.html: unknown extensions (not modifierExtension) may be ignored',
  ],
  [
    'allergy-text-only',
    'AllergyIntolerance substance (DSTU2) / code (STU3) has text, and its coding no display',
    'RES-ALG-1 asks for text or coding[0].display; Coding.display is 0..1',
  ],
];

export const VARIATIONS: readonly Variation[] = catalogue.map(([id, what, why]) => ({ id, what, why }));

export function listVariations(): Variation[] {
  return VARIATIONS.map((v) => ({ ...v }));
}

/** Validates a variant name; throws an Error naming the valid ones. */
export function parseVariant(name: string | undefined): Variant {
  if (name === undefined) return 'standard';
  if ((VARIANTS as readonly string[]).includes(name)) return name as Variant;
  throw new Error(`unknown variant ${JSON.stringify(name)}; valid variants: ${VARIANTS.join(', ')}`);
}

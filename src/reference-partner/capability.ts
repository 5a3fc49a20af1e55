/** The DSTU2 Conformance and STU3 CapabilityStatement this partner publishes at [base]/metadata. */
import type { ActiveFaults } from './faults/index.js';
import type { CapabilityDraft } from './faults/hooks.js';
import type { Variant } from './variations.js';
import type { FhirVersion } from './versions.js';
import { FHIR_JSON_MEDIA_TYPE, FHIR_VERSION_NUMBER, RESOURCE_TYPES } from './versions.js';

export const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const SECURITY_SERVICE = 'http://hl7.org/fhir/restful-security-service';
/** Fixed so the statement is deterministic; it is the date this capability set was written. */
const PUBLISHED = '2025-01-15';

/** The EHR as a client of other servers; DSTU2 needs at least one resource in every rest entry. */
const CLIENT_REST = {
  mode: 'client',
  documentation: 'the EHR reads patients from other servers',
  resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }],
};

/** The STU3 technical correction of 2019: the same STU3, a later patch number. */
const STU3_TECHNICAL_CORRECTION = '3.0.2';

type Param = [name: string, type: 'string' | 'token' | 'date' | 'reference'];

function searchParams(version: FhirVersion, type: string): Param[] {
  const common: Param[] = [['_id', 'token']];
  switch (type) {
    case 'Patient': {
      return [
        ['_id', 'token'],
        ['family', 'string'],
        ['given', 'string'],
        ['name', 'string'],
        ['birthdate', 'date'],
        ['identifier', 'token'],
        ['gender', 'token'],
      ];
    }
    case 'Observation':
      return [...common, ['patient', 'reference'], ['category', 'token'], ['code', 'token']];
    case 'Location':
      return [...common, ['name', 'string']];
    case 'Coverage':
      return version === 'stu3'
        ? [...common, ['patient', 'reference'], ['beneficiary', 'reference'], ['subscriber', 'reference']]
        : [...common, ['patient', 'reference'], ['subscriber', 'reference']];
    default:
      return [...common, ['patient', 'reference']];
  }
}

export function capabilityStatement(
  version: FhirVersion,
  tokenUrl: string,
  authorizeUrl: string,
  faults: ActiveFaults,
  variant: Variant = 'standard',
): Record<string, unknown> {
  const unusual = variant === 'unusual';
  const types = unusual ? [...RESOURCE_TYPES[version]].reverse() : RESOURCE_TYPES[version];
  const draft: CapabilityDraft = {
    version,
    fhirVersion: unusual && version === 'stu3' ? STU3_TECHNICAL_CORRECTION : FHIR_VERSION_NUMBER[version],
    mode: 'server',
    tokenUrl,
    securityService: true,
    batch: true,
    resources: types.map((type) => ({
      type,
      interactions: ['read', 'search-type'],
      searchParams: searchParams(version, type),
    })),
  };
  faults.capability(draft);
  const resource = draft.resources.map(({ type, interactions: codes, searchParams }) => ({
    type,
    interaction: (unusual
      ? [...codes.filter((c) => c !== 'read'), 'vread', ...codes.filter((c) => c === 'read')]
      : codes
    ).map((code) => ({ code })),
    searchParam: searchParams.map(([name, type]) => ({ name, type })),
  }));
  const oauthUris = [
    { url: 'token', valueUri: draft.tokenUrl },
    { url: 'authorize', valueUri: authorizeUrl },
  ];
  if (unusual) oauthUris.reverse();
  const security: Record<string, unknown> = {
    extension: [{ url: OAUTH_URIS, extension: oauthUris }],
    cors: false,
    description: 'OAuth 2.0 client credentials (RFC 6749 §4.4); scope is the tenant id.',
  };
  if (draft.securityService) {
    security.service = [
      {
        coding: [{ system: SECURITY_SERVICE, code: 'OAuth', display: 'OAuth' }],
        text: 'OAuth2 using client credentials',
      },
    ];
    if (unusual) {
      (security.service as unknown[]).unshift({
        coding: [{ system: SECURITY_SERVICE, code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
      });
    }
  }
  const rest: Record<string, unknown> = {
    mode: draft.mode,
    security,
    resource,
  };
  if (draft.batch) {
    if (version === 'stu3') rest.interaction = [{ code: 'batch' }];
    else rest.transactionMode = 'batch';
  }
  return {
    resourceType: version === 'dstu2' ? 'Conformance' : 'CapabilityStatement',
    id: 'fhir-certify-reference',
    name: 'fhir-certify reference partner',
    status: 'active',
    date: PUBLISHED,
    publisher: 'fhir-certify',
    description: 'The embedded reference partner of fhir-certify: synthetic data, two tenants.',
    kind: 'instance',
    software: { name: 'fhir-certify reference partner', version: '0.1.0' },
    implementation: { description: 'fhir-certify reference partner (synthetic data only)' },
    fhirVersion: draft.fhirVersion,
    acceptUnknown: unusual ? 'extensions' : 'no',
    format: unusual ? ['xml', FHIR_JSON_MEDIA_TYPE[version]] : ['json'],
    rest: unusual ? [CLIENT_REST, rest] : [rest],
  };
}

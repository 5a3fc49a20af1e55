/** Conformant capability statements for each version, for tests to break one thing at a time. */
import type { FhirVersion } from '../../src/core/fhir-version.js';

export type Capability = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const READ_SEARCH = [{ code: 'read' }, { code: 'search-type' }];

export function conformantCapability(
  version: FhirVersion,
  tokenUrl = 'https://auth.example.com/token',
): Capability {
  const med = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
  const patientParams = [
    '_id',
    'family',
    'given',
    'birthdate',
    'identifier',
    version === 'dstu2' ? 'name' : 'gender',
  ];
  const rest: Capability = {
    mode: 'server',
    security: {
      extension: [
        {
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'token', valueUri: tokenUrl },
            { url: 'authorize', valueUri: 'https://auth.example.com/authorize' },
          ],
        },
      ],
      service: [{ coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth' }] }],
    },
    resource: [
      {
        type: 'Patient',
        interaction: READ_SEARCH,
        searchParam: patientParams.map((name) => ({ name, type: name === 'birthdate' ? 'date' : 'string' })),
      },
      ...['Observation', 'Condition', 'Encounter', 'AllergyIntolerance', 'Coverage', 'Location', med].map(
        (type) => ({
          type,
          interaction: READ_SEARCH,
        }),
      ),
    ],
  };
  if (version === 'stu3') rest.interaction = [{ code: 'batch' }];
  else rest.transactionMode = 'batch';
  return {
    resourceType: version === 'dstu2' ? 'Conformance' : 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: version === 'dstu2' ? '1.0.2' : '3.0.1',
    format: ['json'],
    acceptUnknown: 'no',
    rest: [rest],
  };
}

export const fhirMediaType: Record<FhirVersion, string> = {
  dstu2: 'application/json+fhir; charset=utf-8',
  stu3: 'application/fhir+json; charset=utf-8',
};

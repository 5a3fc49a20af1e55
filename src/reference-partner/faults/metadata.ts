/** META faults: the capability statement, and how metadata and every FHIR answer are served. */
import type { FaultPlugin } from './hooks.js';

export const metadataFaults: FaultPlugin[] = [
  {
    name: 'META-01',
    requirement: 'META-01',
    description: 'GET metadata without a token answers 401',
    request: { metadataNeedsToken: true },
  },
  {
    name: 'META-02',
    requirement: 'META-02',
    description: 'the capability statement declares fhirVersion 4.0.1',
    capability(c) {
      c.fhirVersion = '4.0.1';
    },
  },
  {
    name: 'META-03',
    requirement: 'META-03',
    description: 'rest[0].mode is "client" instead of "server"',
    capability(c) {
      c.mode = 'client';
    },
  },
  {
    name: 'META-04',
    requirement: 'META-04',
    description: 'the oauth-uris token URL is relative ("/oauth/token")',
    capability(c) {
      c.tokenUrl = '/oauth/token';
    },
  },
  {
    name: 'META-05',
    requirement: 'META-05',
    description: 'security.service (the OAuth coding) is left out',
    capability(c) {
      c.securityService = false;
    },
  },
  {
    name: 'META-06',
    requirement: 'META-06',
    description: 'Patient is declared without the search-type interaction',
    capability(c) {
      for (const r of c.resources) if (r.type === 'Patient') r.interactions = ['read'];
    },
  },
  {
    name: 'META-07',
    requirement: 'META-07',
    description: 'Coverage is declared without the read interaction',
    capability(c) {
      for (const r of c.resources) if (r.type === 'Coverage') r.interactions = ['search-type'];
    },
  },
  {
    name: 'META-08',
    requirement: 'META-08',
    description: 'batch is not declared (no transactionMode / batch interaction); batches still work',
    capability(c) {
      c.batch = false;
    },
  },
  {
    name: 'META-09',
    requirement: 'META-09',
    description: 'the Patient birthdate and identifier search parameters are not declared',
    capability(c) {
      for (const r of c.resources) {
        if (r.type === 'Patient')
          r.searchParams = r.searchParams.filter(([n]) => n !== 'birthdate' && n !== 'identifier');
      }
    },
  },
  {
    name: 'META-10',
    requirement: 'META-10',
    description: 'every response is labelled plain application/json instead of the FHIR JSON media type',
    request: { contentType: () => 'application/json; charset=utf-8' },
  },
];

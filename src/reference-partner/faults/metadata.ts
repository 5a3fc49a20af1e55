/** META faults: the capability statement, and how metadata and every FHIR answer are served. */
import type { Json } from '../plain-client.js';
import { fhirGet, token } from '../plain-client.js';
import { OAUTH_URIS, MED, capability, rest, declared, interactionsOf, problems } from './detector-tools.js';
import type { FaultPlugin } from './hooks.js';

export const metadataFaults: FaultPlugin[] = [
  {
    name: 'META-01',
    requirement: 'META-01',
    description: 'GET metadata without a token answers 401',
    request: { metadataNeedsToken: true },
    detect: {
      async run(p, v) {
        const r = await fhirGet(p, v, 'metadata');
        const type = v === 'dstu2' ? 'Conformance' : 'CapabilityStatement';
        return problems(
          [r.status === 200, `status ${r.status}`],
          [r.json.resourceType === type, 'not a capability statement'],
        );
      },
    },
  },
  {
    name: 'META-02',
    requirement: 'META-02',
    description: 'the capability statement declares fhirVersion 4.0.1',
    capability(c) {
      c.fhirVersion = '4.0.1';
    },
    detect: {
      async run(p, v) {
        const c = await capability(p, v);
        return problems([
          /^(1\.0|3\.0)\.\d+$/.test(String(c.fhirVersion)),
          `fhirVersion ${String(c.fhirVersion)}`,
        ]);
      },
    },
  },
  {
    name: 'META-03',
    requirement: 'META-03',
    description: 'rest[0].mode is "client" instead of "server"',
    capability(c) {
      c.mode = 'client';
    },
    detect: {
      async run(p, v) {
        const c = await capability(p, v);
        return problems([
          ((c.rest as Json[]) ?? []).some((r) => r.mode === 'server'),
          'no rest entry with mode server',
        ]);
      },
    },
  },
  {
    name: 'META-04',
    requirement: 'META-04',
    description: 'the oauth-uris token URL is relative ("/oauth/token")',
    capability(c) {
      c.tokenUrl = '/oauth/token';
    },
    detect: {
      async run(p, v) {
        const ext = ((rest(await capability(p, v)).security?.extension as Json[]) ?? []).find(
          (e) => e.url === OAUTH_URIS,
        );
        const tokenUri = ((ext?.extension as Json[]) ?? []).find((e) => e.url === 'token')?.valueUri as
          string | undefined;
        return problems([
          tokenUri !== undefined && /^https?:\/\/[^/]/.test(tokenUri),
          `token URI ${String(tokenUri)}`,
        ]);
      },
    },
  },
  {
    name: 'META-05',
    requirement: 'META-05',
    description: 'security.service (the OAuth coding) is left out',
    capability(c) {
      c.securityService = false;
    },
    detect: {
      async run(p, v) {
        const service = (rest(await capability(p, v)).security?.service as Json[]) ?? [];
        const ok = service.some((s) =>
          ((s.coding as Json[]) ?? []).some(
            (c) => c.code === 'OAuth' && c.system === 'http://hl7.org/fhir/restful-security-service',
          ),
        );
        return problems([ok, 'no OAuth service coding']);
      },
    },
  },
  {
    name: 'META-06',
    requirement: 'META-06',
    description: 'Patient is declared without the search-type interaction',
    capability(c) {
      for (const r of c.resources) if (r.type === 'Patient') r.interactions = ['read'];
    },
    detect: {
      async run(p, v) {
        const i = interactionsOf(declared(await capability(p, v), 'Patient'));
        return problems([
          i.includes('read') && i.includes('search-type'),
          `Patient interactions ${i.join(',')}`,
        ]);
      },
    },
  },
  {
    name: 'META-07',
    requirement: 'META-07',
    description: 'Coverage is declared without the read interaction',
    capability(c) {
      for (const r of c.resources) if (r.type === 'Coverage') r.interactions = ['search-type'];
    },
    detect: {
      async run(p, v) {
        const c = await capability(p, v);
        // The requirement's list, not the partner's own: a type the partner stopped serving must show.
        const types = [
          'Observation',
          'Condition',
          'Encounter',
          'AllergyIntolerance',
          'Coverage',
          'Location',
          MED(v),
        ];
        return types
          .filter(
            (t) =>
              !(
                interactionsOf(declared(c, t)).includes('read') &&
                interactionsOf(declared(c, t)).includes('search-type')
              ),
          )
          .map((t) => `${t} lacks read or search-type`);
      },
    },
  },
  {
    name: 'META-08',
    requirement: 'META-08',
    description: 'batch is not declared (no transactionMode / batch interaction); batches still work',
    capability(c) {
      c.batch = false;
    },
    detect: {
      async run(p, v) {
        const r = rest(await capability(p, v));
        const codes = ((r.interaction as Json[]) ?? []).map((i) => i.code);
        const ok =
          v === 'stu3'
            ? codes.includes('batch')
            : ['batch', 'both'].includes(r.transactionMode as string) || codes.includes('batch');
        return problems([ok, 'batch not declared']);
      },
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
    detect: {
      async run(p, v) {
        const names = ((declared(await capability(p, v), 'Patient')?.searchParam as Json[]) ?? []).map(
          (s) => s.name,
        );
        const wanted = [
          '_id',
          'family',
          'given',
          'birthdate',
          'identifier',
          v === 'dstu2' ? 'name' : 'gender',
        ];
        return wanted.filter((w) => !names.includes(w)).map((w) => `search parameter ${w} not declared`);
      },
    },
  },
  {
    name: 'META-10',
    requirement: 'META-10',
    description: 'every response is labelled plain application/json instead of the FHIR JSON media type',
    request: { contentType: () => 'application/json; charset=utf-8' },
    detect: {
      async run(p, v) {
        const t = await token(p, p.tenants[1]);
        const r = await fhirGet(p, v, 'metadata', t);
        const type = r.headers.get('content-type') ?? '';
        const expected = v === 'dstu2' ? 'application/json+fhir' : 'application/fhir+json';
        return problems(
          [((r.json.format as string[]) ?? []).some((f) => /json/.test(f)), 'json format not declared'],
          [type.startsWith(expected), `content type ${type}`],
        );
      },
    },
  },
];

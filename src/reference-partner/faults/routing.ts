/** ROUTE faults: which tenant's data a token reaches. */
import { entries, fhirGet, token, tokenRequest } from '../plain-client.js';
import { mrnOf, problems } from './detector-tools.js';
import type { FaultPlugin } from './hooks.js';

export const routingFaults: FaultPlugin[] = [
  {
    name: 'ROUTE-01',
    requirement: 'ROUTE-01',
    description: "Patient searches with tenant A's token answer an empty searchset",
    rowSays: /reached no patient/,
    request: { hidesFirstTenantPatients: true },
    detect: {
      async run(p, v) {
        const out: string[] = [];
        for (const tenant of p.tenants) {
          const r = await fhirGet(p, v, 'Patient?_count=5', await token(p, tenant));
          if (entries(r.json).length === 0) out.push(`no patient for tenant ${tenant}`);
        }
        return out;
      },
    },
  },
  {
    name: 'ROUTE-02',
    requirement: 'ROUTE-02',
    description: 'reads ignore the tenant: a resource of the other tenant is readable by id',
    rowSays: /returned tenant .*'s resource/,
    request: { readsOtherTenant: true },
    detect: {
      async run(p, v) {
        const [a, b] = [await token(p, p.tenants[0]), await token(p, p.tenants[1])];
        const out: string[] = [];
        for (const [mine, theirs] of [
          [a, b],
          [b, a],
        ] as const) {
          const patient = entries((await fhirGet(p, v, 'Patient?_count=1', mine)).json)[0] ?? {};
          const read = await fhirGet(p, v, `Patient/${String(patient.id)}`, theirs);
          // Never the resource: a 200 OperationOutcome for an unknown id is RES-READ-1's failure, not a leak.
          if (read.json.id === patient.id)
            out.push(`cross-tenant read answered ${read.status} with the patient`);
          const found = entries((await fhirGet(p, v, `Patient?identifier=${mrnOf(patient)}`, theirs)).json);
          if (found.length > 0) out.push('cross-tenant MRN search found the patient');
        }
        return out;
      },
    },
  },
  {
    name: 'ROUTE-03',
    requirement: 'ROUTE-03',
    description: "tokens are issued for unknown tenants and reach tenant A's data",
    rowSays: /issued for an unknown tenant .* reaches data/,
    token: {
      requestFlaw: (flaw) => (flaw === 'unknown-tenant' ? 'accept' : undefined),
      bearerFlaw: (flaw) => flaw === 'unknown-tenant',
    },
    detect: {
      async run(p, v) {
        const r = await tokenRequest(p, { scope: '0b7f6a51-3c4d-4e5f-8a9b-0c1d2e3f4a5b' });
        if (r.status !== 200) return problems([r.status >= 400 && r.status < 500, `status ${r.status}`]);
        const data = await fhirGet(p, v, 'Patient?_count=1', r.json.access_token as string);
        return problems([
          [401, 403].includes(data.status),
          `unknown tenant token reached data (${data.status})`,
        ]);
      },
    },
  },
  {
    name: 'ROUTE-04',
    requirement: 'ROUTE-04',
    description: "tokens are issued without a scope and reach tenant A's data",
    rowSays: /issued for no scope and it reaches data/,
    token: {
      requestFlaw: (flaw) => (flaw === 'missing-scope' ? 'accept' : undefined),
      bearerFlaw: (flaw) => flaw === 'no-tenant',
    },
    detect: {
      async run(p, v) {
        const r = await tokenRequest(p, { scope: undefined });
        if (r.status !== 200) return problems([r.status >= 400 && r.status < 500, `status ${r.status}`]);
        const data = await fhirGet(p, v, 'Patient?_count=1', r.json.access_token as string);
        return problems([[401, 403].includes(data.status), `scope-less token reached data (${data.status})`]);
      },
    },
  },
  {
    name: 'ROUTE-05',
    requirement: 'ROUTE-05',
    description: 'a malformed (non-GUID) scope gets a 500',
    rowSays: /answered HTTP 500 .*never a server error/,
    token: { requestFlaw: (flaw) => (flaw === 'malformed-scope' ? 'server-error' : undefined) },
    detect: {
      async run(p) {
        const out: string[] = [];
        for (const scope of [
          'not-a-guid',
          "' OR 1=1 --",
          '../../etc/passwd',
          'x'.repeat(4096),
          'Ünïcødé ☃ 患者',
        ]) {
          const r = await tokenRequest(p, { scope });
          if (!(r.status >= 400 && r.status < 500) || r.json.access_token)
            out.push(`scope ${scope.slice(0, 20)}: ${r.status}`);
        }
        return out;
      },
    },
  },
];

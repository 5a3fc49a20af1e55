/**
 * ROUTE-02 on a partner that searches clinical types per patient only (a search without `patient`
 * answers 400 too-costly, as many EHRs do) and whose probe patient has no allergy: isolation of
 * AllergyIntolerance is still tested, with another patient's allergy. Once the row was "na: no
 * AllergyIntolerance to cross-check" whatever the tenant held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { fhirMediaType } from '../helpers/capability.js';
import { rowsOf, runCli } from '../helpers/cli.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { CLIENT_ID, SECRET, TENANT_A, TENANT_B, TOKENS, startMiniPartner } from '../hostile/mini-partner.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const headers = { 'content-type': fhirMediaType.stu3 };
const patient = (id: string, family: string) => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['Ann'] }],
  gender: 'female',
  birthDate: '1970-01-01',
});
/** Tenant A: the probe pA1 has no allergy, pA2 has one. Tenant B: one patient, no allergy. */
const PATIENTS: Record<string, object[]> = {
  [TENANT_A]: [patient('pA1', 'Aalto'), patient('pA2', 'Berg')],
  [TENANT_B]: [patient('pB1', 'Chen')],
};
const ALLERGY_A2 = {
  resourceType: 'AllergyIntolerance',
  id: 'alg-A2',
  patient: { reference: 'Patient/pA2' },
  verificationStatus: 'confirmed',
  code: { text: 'Peanut' },
};

function tenantOf(request: Request): string | undefined {
  const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
  return Object.keys(TOKENS).find((t) => TOKENS[t] === token);
}

const searchset = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});

async function start(leaks: boolean): Promise<MswPartner> {
  return startMiniPartner({
    extra: [
      http.get('*/fhir/Patient', ({ request }) => {
        const tenant = tenantOf(request);
        if (!tenant) return undefined;
        const url = new URL(request.url);
        const all = PATIENTS[tenant]!;
        const id = url.searchParams.get('_id');
        const count = Number(url.searchParams.get('_count') ?? all.length);
        const found = id ? all.filter((p) => (p as { id: string }).id === id) : all.slice(0, count);
        return HttpResponse.json(searchset(found), { headers });
      }),
      http.get('*/fhir/AllergyIntolerance', ({ request }) => {
        const tenant = tenantOf(request);
        if (!tenant) return undefined;
        const url = new URL(request.url);
        const own = tenant === TENANT_A ? [ALLERGY_A2] : [];
        if (url.searchParams.get('_id')) {
          return HttpResponse.json(searchset(own.filter((a) => a.id === url.searchParams.get('_id'))), {
            headers,
          });
        }
        const who = url.searchParams.get('patient');
        if (!who) {
          return HttpResponse.json(
            {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'too-costly', details: { text: 'patient is required' } }],
            },
            { status: 400, headers },
          );
        }
        return HttpResponse.json(searchset(own.filter((a) => a.patient.reference === `Patient/${who}`)), {
          headers,
        });
      }),
      http.get('*/fhir/AllergyIntolerance/:id', ({ request, params }) => {
        const tenant = tenantOf(request);
        if (!tenant) return undefined;
        // The leaking partner serves tenant A's allergy to any valid token.
        if (params.id === ALLERGY_A2.id && (tenant === TENANT_A || leaks)) {
          return HttpResponse.json(ALLERGY_A2, { headers });
        }
        return HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] },
          { status: 404, headers },
        );
      }),
    ],
  });
}

async function isolationRow(p: MswPartner) {
  const run = await runCli(
    [
      'run',
      '--base-url',
      p.baseUrl,
      '--allow-insecure-http',
      '--client-id',
      CLIENT_ID,
      '--tenant',
      TENANT_A,
      '--tenant',
      TENANT_B,
      '--fhir-version',
      'stu3',
      '--only',
      'ROUTE-02',
      '--format',
      'json',
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
  );
  const rows = rowsOf(run.report, 'ROUTE-02');
  return {
    ofA: rows.find((r) => r.subject?.startsWith(`AllergyIntolerance of tenant ${TENANT_A.slice(0, 8)}`))!,
    ofB: rows.find((r) => r.subject?.startsWith(`AllergyIntolerance of tenant ${TENANT_B.slice(0, 8)}`))!,
  };
}

describe('ROUTE-02 on a partner that searches per patient only', () => {
  it("samples another patient's allergy when the probe has none, and a leak of it fails the row", async () => {
    partner = await start(true);
    const { ofA } = await isolationRow(partner);
    expect(ofA.status, ofA.message).toBe('fail');
    expect(ofA.message).toMatch(/\(Patient\/pA1 has none; sampled from Patient\/pA2\)/);
    expect(ofA.message).toMatch(/GET AllergyIntolerance\/alg-A2 returned tenant 72f988bf…'s resource/);
  });

  it('passes the isolated partner, and says na only for the tenant that has none at all', async () => {
    partner = await start(false);
    const { ofA, ofB } = await isolationRow(partner);
    expect(ofA.status, ofA.message).toBe('pass');
    expect(ofA.message).toMatch(
      /^1 AllergyIntolerance of tenant \S+ \(Patient\/pA1 has none; sampled from Patient\/pA2\) can neither/,
    );
    expect(ofB.status).toBe('na');
    expect(ofB.message).toMatch(
      /has no AllergyIntolerance to cross-check, so its isolation is untested: GET AllergyIntolerance\?patient&_count answered HTTP 200 .* with none, then GET AllergyIntolerance\?_count answered HTTP 400 \([^)]*\)$/,
    );
  });
});

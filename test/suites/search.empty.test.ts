/**
 * A patient-scoped search that answers nothing is "only that patient's" vacuously. SRCH-OBS-1,
 * SRCH-CON-1 and SRCH-MED-1 therefore also hold the answer against a listing of the type: a search
 * that loses the probe's own resources fails, and one whose probe really has none passes only once a
 * patient who has some is found by it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { searchChecks } from '../../suites/search.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { runDataChecks } from './data-setup.js';

let partners: MswPartner[] = [];
afterEach(async () => {
  await Promise.all(partners.map((p) => p.close()));
  partners = [];
});

const probe = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Nakamura', given: ['Aiko'] }],
  gender: 'female',
  birthDate: '1980-02-03',
};
const fhir = { 'content-type': 'application/fhir+json' };
const searchset = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  ...(resources.length
    ? { entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) }
    : {}),
});

const vitals = (id: string, patient: string, date: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: date,
});
const condition = (id: string, patient: string) => ({
  resourceType: 'Condition',
  id,
  subject: { reference: `Patient/${patient}` },
  code: { text: 'asthma' },
  clinicalStatus: { coding: [{ code: 'active' }] },
});
const order = (id: string, patient: string) => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: `Patient/${patient}` },
  medicationCodeableConcept: { text: 'salbutamol' },
});

/**
 * A partner that lists each type tenant-wide, and answers the patient-scoped search with `scoped`
 * (what a broken one returns: nothing).
 */
async function partnerWith(
  all: Record<string, object[]>,
  scoped: (type: string, patient: string) => object[],
): Promise<MswPartner> {
  const p = await startMswPartner([
    http.get('*/fhir/:type', ({ params, request }) => {
      const type = String(params.type);
      const patient = new URL(request.url).searchParams.get('patient');
      const resources = patient ? scoped(type, patient) : (all[type] ?? []);
      return HttpResponse.json(searchset(resources), { headers: fhir });
    }),
  ]);
  partners.push(p);
  return p;
}

const checks = searchChecks.filter((c) => ['SRCH-OBS-1', 'SRCH-CON-1', 'SRCH-MED-1'].includes(c.requirement));
const tenant = {
  Observation: [vitals('o1', 'p1', '2024-01-02T10:00:00Z'), vitals('o2', 'p2', '2024-01-03T10:00:00Z')],
  Condition: [condition('c1', 'p1')],
  MedicationRequest: [order('m1', 'p1')],
};
const refersTo = (patient: string) => (r: object) =>
  JSON.stringify(r).includes(`"reference":"Patient/${patient}"`);

describe('a patient-scoped search that returns nothing', () => {
  it("fails SRCH-OBS-1 and warns SRCH-CON-1 and SRCH-MED-1 when a listing shows the probe's own", async () => {
    const p = await partnerWith(tenant, () => []);
    const rows = await runDataChecks(p.baseUrl, checks, { version: 'stu3', probe });
    const by = (id: string) => rows.find((r) => r.requirement === id)!;
    expect(by('SRCH-OBS-1').status, by('SRCH-OBS-1').message).toBe('fail');
    expect(by('SRCH-OBS-1').message).toMatch(
      /Observation\/o1 refer\(s\) to Patient\/p1 .* but the search did not return it/,
    );
    // Recommended requirements: a failure is a warning.
    expect(by('SRCH-CON-1').status).toBe('warn');
    expect(by('SRCH-MED-1').status).toBe('warn');
  });

  it('passes the searches that return what the listing shows of the probe', async () => {
    const p = await partnerWith(tenant, (type) =>
      (tenant[type as keyof typeof tenant] ?? []).filter(refersTo('p1')),
    );
    const rows = await runDataChecks(p.baseUrl, checks, { version: 'stu3', probe });
    for (const row of rows) expect(row.status, `${row.requirement}: ${row.message}`).toBe('pass');
  });

  it('passes a probe with no Condition of its own once the search finds another patient’s', async () => {
    const others = { ...tenant, Condition: [condition('c2', 'p2')] };
    const p = await partnerWith(others, (type, patient) =>
      (others[type as keyof typeof others] ?? []).filter(refersTo(patient)),
    );
    const rows = await runDataChecks(p.baseUrl, checks, { version: 'stu3', probe });
    const row = rows.find((r) => r.requirement === 'SRCH-CON-1')!;
    expect(row.status, row.message).toBe('pass');
    expect(row.message).toMatch(/Patient\/p1 has none; for Patient\/p2 it returns Condition\/c2/);
  });
});

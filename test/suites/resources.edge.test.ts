/** RES edge cases on msw partners: unsupported types, a 404 without OperationOutcome, alternatives in fields. */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { resourceChecks, resourceValidityChecks } from '../../suites/resources.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { runDataChecks } from './data-setup.js';

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

const fhir = { 'content-type': 'application/fhir+json' };
const probe = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Okafor', given: ['Ada'], prefix: ['Dr'] }],
  gender: 'female',
  birthDate: '1975-06-07',
  identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'M-1' }],
};
const searchset = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource })),
});
const checks = (...ids: string[]) =>
  [...resourceChecks, ...resourceValidityChecks].filter((c) => ids.includes(c.requirement));

describe('RES on msw partners', () => {
  it('a type the capability statement does not list is na, and nothing is fetched for it', async () => {
    partner = await startMswPartner([]);
    const rows = await runDataChecks(partner.baseUrl, checks('RES-OBS-1', 'RES-OBS-2', 'RES-LOC-1'), {
      version: 'stu3',
      probe,
      capability: (c) =>
        (c.rest[0]!.resource = c.rest[0]!.resource.filter(
          (r) => !['Observation', 'Location'].includes(String(r.type)),
        )),
    });
    expect(rows.map((r) => r.status)).toEqual(['na', 'na', 'na']);
    expect(rows[0]!.message).toMatch(/Observation is not supported/);
    expect(rows[2]!.message).toMatch(/Location is not supported/);
    expect(partner.requests).toHaveLength(0);
  });

  it('field alternatives: a component blood pressure passes RES-OBS-1, a value-less one fails naming the field', async () => {
    const bp = (id: string, withValues: boolean) => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ code: '55284-4', display: 'Blood pressure' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2024-01-01T10:00:00Z',
      component: ['8480-6', '8462-4'].map((code) => ({
        code: { coding: [{ code }] },
        valueQuantity: withValues ? { value: 120, unit: 'mmHg' } : { unit: 'mmHg' },
      })),
    });
    partner = await startMswPartner([
      http.get('*/fhir/Observation', () =>
        HttpResponse.json(searchset([bp('o1', true), bp('o2', false)]), { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(partner.baseUrl, checks('RES-OBS-1'), { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toBe(
      "1 of 2 Observations of Patient/p1 lack a field the app reads: valueQuantity.value (or each component's code and valueQuantity.value) (Observation/o2)",
    );
  });

  it('a 404 for an unknown id without an OperationOutcome body only warns', async () => {
    partner = await startMswPartner([
      http.get('*/fhir/Patient/p1', () => HttpResponse.json(probe, { headers: fhir })),
      http.get(
        '*/fhir/Patient/:id',
        () => new HttpResponse('not here', { status: 404, headers: { 'content-type': 'text/plain' } }),
      ),
      http.get('*/fhir/:type', () => HttpResponse.json(searchset([]), { headers: fhir })),
    ]);
    const rows = await runDataChecks(partner.baseUrl, checks('RES-READ-1'), { version: 'dstu2', probe });
    const unknown = rows.find((r) => r.id.includes('#unknown id'))!;
    expect(unknown.status).toBe('warn');
    expect(unknown.level).toBe('recommended');
    expect(unknown.message).toMatch(/404 as required, but its body is not an OperationOutcome/);
    expect(rows.find((r) => r.id.includes('#reads'))!.status).toBe('pass');
  });

  it('RES-VAL-1 names the resource and FHIR path of each problem, bounded', async () => {
    const bad = (i: number) => ({
      resourceType: 'Condition',
      id: `c${i}`,
      subject: { reference: 'Patient/p1' },
      code: { coding: [{ code: 'x', display: 'X' }] },
      clinicalStatus: 'sort-of',
    });
    partner = await startMswPartner([
      http.get('*/fhir/Condition', () =>
        HttpResponse.json(searchset([1, 2, 3, 4, 5].map(bad)), { headers: fhir }),
      ),
    ]);
    const rows = await runDataChecks(partner.baseUrl, checks('RES-CON-1', 'RES-VAL-1'), {
      version: 'stu3',
      probe,
    });
    const val = rows.find((r) => r.id === 'res-val-1-structure#Condition')!;
    expect(val.status).toBe('fail');
    expect(val.message).toMatch(
      /^5 of 5 Condition resources are not valid STU3: Condition\/c1 @ tenant \S+: Condition\.clinicalStatus: /,
    );
    expect(val.message).toMatch(/; and 2 more$/);
    expect(val.evidence.length).toBeGreaterThan(0);
    expect(rows.find((r) => r.id === 'res-val-1-structure#Patient')!.status).toBe('pass');
  });

  it('RES-VAL-1 fails an empty string, array or object at its path; a value-less primitive with an extension passes', async () => {
    const condition = (id: string, extra: object) => ({
      resourceType: 'Condition',
      id,
      subject: { reference: 'Patient/p1' },
      code: { coding: [{ code: 'x', display: 'X' }] },
      ...extra,
    });
    const absent = { extension: [{ url: 'http://example.org/data-absent-reason', valueCode: 'asked' }] };
    partner = await startMswPartner([
      http.get('*/fhir/Condition', () =>
        HttpResponse.json(
          searchset([
            condition('empty-string', { code: { coding: [{ code: 'x', display: '' }] } }),
            condition('empty-array', { note: [] }),
            condition('empty-object', { severity: {} }),
            // Legal: no onsetDateTime value, only its extension.
            condition('extension-only', { _onsetDateTime: absent }),
          ]),
          { headers: fhir },
        ),
      ),
    ]);
    const rows = await runDataChecks(partner.baseUrl, checks('RES-CON-1', 'RES-VAL-1'), {
      version: 'stu3',
      // Legal too: a null placeholder in given, aligned with the extension in _given.
      probe: { ...probe, name: [{ ...probe.name[0], given: ['Ada', null], _given: [null, absent] }] },
    });
    const val = rows.find((r) => r.id === 'res-val-1-structure#Condition')!;
    expect(val.status).toBe('fail');
    expect(val.message).toMatch(/^3 of 4 Condition resources are not valid STU3: /);
    expect(val.message).toContain('Condition/empty-string @ tenant ');
    expect(val.message).toContain(
      'Condition.code.coding[0].display: an empty string: FHIR JSON has no "", the element is left out instead',
    );
    expect(val.message).toContain('Condition.note: an empty array: FHIR JSON has no []');
    expect(val.message).toContain(
      'Condition.severity: an empty object: an element has a value or children (ele-1)',
    );
    expect(val.message).not.toContain('extension-only');
    expect(rows.find((r) => r.id === 'res-val-1-structure#Patient')!.status).toBe('pass');
  });
});

/** 1000 patients per tenant: the partner starts, pages and searches correctly at that size. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Json } from './helpers.js';
import { entries, fhirGet, get, postJson, token } from './helpers.js';

let p: ReferencePartner;
beforeAll(async () => {
  p = await startReferencePartner({ patientsPerTenant: 1000 });
}, 60_000);
afterAll(async () => {
  await p.close();
});

describe('1000 patients per tenant', () => {
  it('counts, pages and isolates them', async () => {
    for (const tenant of p.tenants) {
      const t = await token(p, tenant);
      const page = await fhirGet(p, 'stu3', 'Patient?_count=1000', t);
      expect(page.json.total).toBe(1000);
      const ids = entries(page.json).map((r) => r.id as string);
      expect(new Set(ids).size).toBe(1000);
      const last = await get(`${p.baseUrl('stu3')}/Patient?_count=50&_offset=950`, t);
      expect(entries(last.json)).toHaveLength(50);
      expect((last.json.link as Json[]).some((l) => l.relation === 'next')).toBe(false);
    }
  });

  it('searches by MRN, family and patient at that size', async () => {
    const t = await token(p);
    const target = entries((await fhirGet(p, 'dstu2', 'Patient?_count=1&_offset=777', t)).json)[0]!;
    const mrn = target.identifier[0].value as string;
    expect(
      entries((await fhirGet(p, 'dstu2', `Patient?identifier=${mrn}`, t)).json).map((r) => r.id),
    ).toEqual([target.id]);
    const fam = (target.name[0].family as string[])[0]!;
    const byFamily = await fhirGet(
      p,
      'dstu2',
      `Patient?family:contains=${encodeURIComponent(fam)}&_count=1000`,
      t,
    );
    expect(entries(byFamily.json).map((r) => r.id)).toContain(target.id);
    const vitals = entries(
      (
        await fhirGet(
          p,
          'dstu2',
          `Observation?patient=${String(target.id)}&category=vital-signs&_sort:desc=date`,
          t,
        )
      ).json,
    );
    expect(vitals.length).toBeGreaterThan(0);
    expect(vitals.every((o) => o.subject.reference === `Patient/${String(target.id)}`)).toBe(true);
    const batch = await postJson(
      p.baseUrl('dstu2'),
      {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: `Patient/${String(target.id)}` } },
          { request: { method: 'GET', url: `Encounter?patient=${String(target.id)}` } },
        ],
      },
      t,
    );
    expect((batch.json.entry as Json[]).map((e) => e.response.status)).toEqual(['200 OK', '200 OK']);
  });
});

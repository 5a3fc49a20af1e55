/**
 * SRCH edge cases an msw partner shows more sharply than the reference partner: paging loops, next
 * links to another origin, too many pages, answers that are not searchsets, types the partner does
 * not serve.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { searchChecks } from '../../suites/search.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { runDataChecks, TOKEN } from './data-setup.js';

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
  identifier: [{ type: { coding: [{ code: 'MR' }] }, system: 'urn:mrn', value: 'MRN-1' }],
};
const other = { ...probe, id: 'p2', name: [{ family: 'Nakamoto', given: ['Ken'] }] };

const fhir = { 'content-type': 'application/fhir+json' };
const searchset = (resources: object[], extra: object = {}) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  ...extra,
});

const familyCheck = searchChecks.filter((c) => c.requirement === 'SRCH-PAT-2');

async function partner(handlers: Parameters<typeof startMswPartner>[0]) {
  const p = await startMswPartner(handlers);
  partners.push(p);
  return p;
}

describe('SRCH paging', () => {
  it('follows next links, and a next link seen twice is a loop that fails the row', async () => {
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(
          searchset([other], { total: 2, link: [{ relation: 'next', url: `${p.baseUrl}/Patient?page=2` }] }),
          { headers: fhir },
        ),
      ),
      http.get('*/fhir/Patient', () =>
        // Page 2 links back to itself.
        HttpResponse.json(
          searchset([probe], { total: 2, link: [{ relation: 'next', url: `${p.baseUrl}/Patient?page=2` }] }),
          { headers: fhir },
        ),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/paging loops: page 2 links back to .*page=2/);
    // The probe on page 2 was found: paging was followed before the loop was seen.
    expect(row!.message).not.toMatch(/not among/);
    expect(row!.evidence.length).toBe(2);
    // POST with a form body, as the app sends it; then GET for the next page; always with the token.
    expect(p.requests[0]!.method).toBe('POST');
    expect(p.requests[0]!.headers.get('content-type')).toMatch(/x-www-form-urlencoded/);
    expect(await p.requests[0]!.text()).toBe('family=Nakam');
    expect(p.requests[1]!.method).toBe('GET');
    for (const r of p.requests) expect(r.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('passes when page 2 holds the probe and ends the paging', async () => {
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(
          searchset([other], { total: 2, link: [{ relation: 'next', url: `${p.baseUrl}/Patient?page=2` }] }),
          { headers: fhir },
        ),
      ),
      http.get('*/fhir/Patient', () =>
        HttpResponse.json(searchset([probe], { total: 2 }), { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(/2 match\(es\), total 2 over 2 pages; Patient\/p1 \(the probe\) is found/);
  });

  it('stops at --max-pages and says the probe was not in the pages read', async () => {
    let n = 0;
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(
          searchset([other], { total: 99, link: [{ relation: 'next', url: `${p.baseUrl}/Patient?page=1` }] }),
          { headers: fhir },
        ),
      ),
      http.get('*/fhir/Patient', () => {
        n++;
        return HttpResponse.json(
          searchset([other], {
            total: 99,
            link: [{ relation: 'next', url: `${p.baseUrl}/Patient?page=${n + 1}` }],
          }),
          { headers: fhir },
        );
      }),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe }, 3);
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/not among the 3 matches in the first 3 pages/);
    expect(p.requests).toHaveLength(3);
  });

  it('never follows a next link to another origin (the token would leave the partner)', async () => {
    const elsewhere = await partner([
      http.get('*', () => HttpResponse.json(searchset([probe]), { headers: fhir })),
    ]);
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(
          searchset([probe], { link: [{ relation: 'next', url: `${elsewhere.baseUrl}/Patient?page=2` }] }),
          { headers: fhir },
        ),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/leaves the partner's origin/);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('SRCH answer shape', () => {
  it('a Bundle that is not a searchset and has no total fails', async () => {
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(
          { resourceType: 'Bundle', type: 'collection', entry: [{ resource: probe }] },
          { headers: fhir },
        ),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/not "searchset"/);
    expect(row!.message).toMatch(/no total/);
  });

  it('an OperationOutcome instead of a Bundle fails and says what came', async () => {
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 200, headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/answered a OperationOutcome, not a Bundle/);
  });

  it('a name search matching accents and case passes (FHIR string search ignores both)', async () => {
    const accented = { ...other, id: 'p3', name: [{ family: 'NAKAMURÁ', given: ['Yū'] }] };
    const p = await partner([
      http.post('*/fhir/Patient/_search', () =>
        HttpResponse.json(searchset([probe, accented]), { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, familyCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
  });

  it('a type the capability statement does not list is "not supported", not a failure', async () => {
    const p = await partner([]);
    const rows = await runDataChecks(
      p.baseUrl,
      searchChecks.filter((c) => c.requirement === 'SRCH-COV-1'),
      {
        version: 'dstu2',
        probe,
        capability: (c) => (c.rest[0]!.resource = c.rest[0]!.resource.filter((r) => r.type !== 'Coverage')),
      },
    );
    expect(rows[0]!.status).toBe('na');
    expect(rows[0]!.message).toMatch(/Coverage is not supported/);
    expect(p.requests).toHaveLength(0);
  });
});

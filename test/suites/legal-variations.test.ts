/**
 * Judges that once gave false verdicts on legal answers: each case has the legal-but-unusual answer
 * the check must pass beside the violation it must still fail.
 *   SRCH-OBS-1 judged the data twice: an undated match (RES-OBS-1's finding) failed the search.
 *   SRCH-ENC-1 failed an undated first match, whose place FHIR leaves to the server.
 *   RES-LOC-1 warned on a contained Location (`"reference": "#home"`), valid FHIR resolved in place.
 *   SRCH-ALG-1/SRCH-COV-1 completeness read one page of its listing, so a partner paging by 3 hid the
 *   probe's own resources from it and the row passed on another patient.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { resourceChecks } from '../../suites/resources.js';
import { searchChecks } from '../../suites/search.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { runDataChecks } from './data-setup.js';

let partners: MswPartner[] = [];
afterEach(async () => {
  await Promise.all(partners.map((p) => p.close()));
  partners = [];
});

async function partner(handlers: Parameters<typeof startMswPartner>[0]): Promise<MswPartner> {
  const p = await startMswPartner(handlers);
  partners.push(p);
  return p;
}

const fhir = { 'content-type': 'application/fhir+json' };
const probe = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Okafor', given: ['Ada'] }],
  gender: 'female',
  birthDate: '1975-06-07',
  identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'M-1' }],
};
const searchset = (resources: object[], extra: object = {}) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  ...extra,
});

function vital(id: string, effective?: string): object {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ code: 'vital-signs' }] }],
    code: { coding: [{ code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
    ...(effective ? { effectiveDateTime: effective } : {}),
    valueQuantity: { value: 70 },
  };
}

const vitalsCheck = searchChecks.filter((c) => c.requirement === 'SRCH-OBS-1');

describe('SRCH-OBS-1 judges the search, not the data twice', () => {
  it('passes when a match has no date and the dated matches are newest first, and says what it left out', async () => {
    const p = await partner([
      http.get('*/fhir/Observation', () =>
        HttpResponse.json(
          searchset([
            vital('o3', '2024-03-01T10:00:00+09:00'),
            vital('o-undated'),
            vital('o1', '2023-01-01T10:00:00Z'),
          ]),
          { headers: fhir },
        ),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, vitalsCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(/newest first \(2024-03-01T10:00:00\+09:00 … 2023-01-01T10:00:00Z\)/);
    expect(row!.message).toMatch(
      /1 match\(es\) have no .* and were left out of the order: Observation\/o-undated/,
    );
  });

  it('one undated match alone passes and says the order could not be judged', async () => {
    const p = await partner([
      http.get('*/fhir/Observation', () =>
        HttpResponse.json(searchset([vital('o-undated')]), { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, vitalsCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(/the order could not be judged/);
  });

  it('still fails dated matches out of order, an undated one between them or not', async () => {
    const p = await partner([
      http.get('*/fhir/Observation', () =>
        HttpResponse.json(
          searchset([vital('o1', '2023-01-01'), vital('o-undated'), vital('o3', '2024-03-01')]),
          { headers: fhir },
        ),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, vitalsCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(
      /not newest first: Observation\/o1 \(2023-01-01\) comes before the later Observation\/o3/,
    );
  });
});

function visit(id: string, start?: string): object {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Patient/p1' },
    ...(start ? { period: { start } } : {}),
  };
}
const latestCheck = searchChecks.filter((c) => c.requirement === 'SRCH-ENC-1');

/** Answers the sorted search with `sorted`, the unsorted one with `all` (paged by 2 when `paged`). */
async function encounterPartner(sorted: object[], all: object[], paged = false): Promise<MswPartner> {
  const p = await partner([
    http.get('*/fhir/Encounter', ({ request }) => {
      const url = new URL(request.url);
      if (url.searchParams.has('_sort')) return HttpResponse.json(searchset(sorted), { headers: fhir });
      if (!paged) return HttpResponse.json(searchset(all), { headers: fhir });
      const page = Number(url.searchParams.get('page') ?? '0');
      const link = [{ relation: 'next', url: `${p.baseUrl}/Encounter?page=${page + 1}` }];
      return HttpResponse.json(searchset(all.slice(page * 2, page * 2 + 2), { total: 99, link }), {
        headers: fhir,
      });
    }),
  ]);
  return p;
}

describe('SRCH-ENC-1 judges the order, not the data', () => {
  const older = visit('e-old', '2022-01-01T09:00:00-05:00');
  const newer = visit('e-new', '2024-06-01T09:00:00+09:00');
  const undated = visit('e-undated');

  it('passes an undated first match (FHIR leaves where it sorts to the server) and says it cannot judge it', async () => {
    const p = await encounterPartner([undated], [older, undated, newer]);
    const [row] = await runDataChecks(p.baseUrl, latestCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /the first match Encounter\/e-undated has no period.start, so whether it is the latest cannot be judged/,
    );
  });

  it('still fails (warns) a dated first match that is not the latest', async () => {
    const p = await encounterPartner([older], [older, undated, newer]);
    const [row] = await runDataChecks(p.baseUrl, latestCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('warn');
    expect(row!.message).toMatch(
      /Encounter\/e-old \(2022-01-01T09:00:00-05:00\) is not the newest: Encounter\/e-new/,
    );
  });

  it('says the look was partial when the unsorted listing goes on past --max-pages', async () => {
    const p = await encounterPartner([newer], [newer, older, older, older, older, older], true);
    const [row] = await runDataChecks(p.baseUrl, latestCheck, { version: 'stu3', probe }, 2);
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /is the newest of 4 \(the look was partial: the unsorted search went on past --max-pages 2\)/,
    );
  });
});

function encounter(location: object, contained?: object[]): object {
  return {
    resourceType: 'Encounter',
    id: 'e1',
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Patient/p1' },
    ...(contained ? { contained } : {}),
    location: [{ location }],
  };
}
const home = { resourceType: 'Location', id: 'home', name: "the patient's home" };
const locationCheck = resourceChecks.filter((c) => c.requirement === 'RES-LOC-1');

describe('RES-LOC-1 resolves contained Locations', () => {
  it('passes a contained Location referenced by #id without a request for it', async () => {
    const p = await partner([
      http.get('*/fhir/Encounter', () =>
        HttpResponse.json(searchset([encounter({ reference: '#home', display: 'Home' }, [home])]), {
          headers: fhir,
        }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, locationCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /1 reference\(s\) name a Location contained in the Encounter, resolved there/,
    );
    expect(p.requests.filter((r) => new URL(r.url).pathname.includes('/Location'))).toHaveLength(0);
  });

  it('passes a version-specific reference, read by its id', async () => {
    const p = await partner([
      http.get('*/fhir/Encounter', () =>
        HttpResponse.json(searchset([encounter({ reference: 'Location/l1/_history/3' })]), { headers: fhir }),
      ),
      http.get('*/fhir/Location/l1', () =>
        HttpResponse.json({ resourceType: 'Location', id: 'l1', name: 'Ward 1' }, { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, locationCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
  });

  it('fails (a warning: RES-LOC-1 is recommended) a #id the Encounter does not contain', async () => {
    const p = await partner([
      http.get('*/fhir/Encounter', () =>
        HttpResponse.json(searchset([encounter({ reference: '#ward' }, [home])]), { headers: fhir }),
      ),
    ]);
    const [row] = await runDataChecks(p.baseUrl, locationCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('warn');
    expect(row!.message).toMatch(
      /Encounter\/e1 refers to "#ward", but it contains no Location with id "ward"/,
    );
  });
});

function allergy(id: string, patient: string): object {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    verificationStatus: 'confirmed',
    code: { text: 'Peanut' },
    patient: { reference: `Patient/${patient}` },
  };
}

/**
 * A partner that pages every listing by 3 whatever _count asks. The probe's own allergy is on the
 * last page of the tenant's listing; the patient search answers `ownAnswer`.
 */
async function pagingPartner(ownAnswer: object[], pages = 3): Promise<MswPartner> {
  const all = [
    ...Array.from({ length: pages * 3 - 1 }, (_, i) => allergy(`a${i}`, `p${i + 2}`)),
    allergy('a-own', 'p1'),
  ];
  const p = await partner([
    http.get('*/fhir/AllergyIntolerance', ({ request }) => {
      const url = new URL(request.url);
      if (url.searchParams.get('patient') === 'p1') {
        return HttpResponse.json(searchset(ownAnswer), { headers: fhir });
      }
      if (url.searchParams.get('patient')) {
        const id = url.searchParams.get('patient');
        return HttpResponse.json(
          searchset(
            all.filter(
              (a) => (a as { patient: { reference: string } }).patient.reference === `Patient/${id}`,
            ),
          ),
          { headers: fhir },
        );
      }
      const page = Number(url.searchParams.get('page') ?? '0');
      const next =
        page + 1 < pages
          ? [{ relation: 'next', url: `${p.baseUrl}/AllergyIntolerance?page=${page + 1}` }]
          : [];
      return HttpResponse.json(
        searchset(all.slice(page * 3, page * 3 + 3), { total: all.length, link: next }),
        {
          headers: fhir,
        },
      );
    }),
  ]);
  return p;
}
const allergiesCheck = searchChecks.filter((c) => c.requirement === 'SRCH-ALG-1');

describe('SRCH completeness follows the listing past its first page', () => {
  it("fails (warns) a search that loses the probe's allergy listed on page 3", async () => {
    const p = await pagingPartner([]);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe });
    // SRCH-ALG-1 is recommended: its failure is a warning.
    expect(row!.status).toBe('warn');
    expect(row!.message).toMatch(
      /AllergyIntolerance\/a-own refer\(s\) to Patient\/p1 .* 9 AllergyIntolerance over 3 page\(s\)\) but the search did not return it/,
    );
  });

  it('passes the search that returns it, having read the whole listing', async () => {
    const p = await pagingPartner([allergy('a-own', 'p1')]);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(/it returns all 1 AllergyIntolerance of Patient\/p1 that a listing shows$/);
  });

  it('says the look was partial when the listing goes on past --max-pages', async () => {
    const p = await pagingPartner([], 5);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe }, 2);
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /Patient\/p1 has none that the listing shows; for Patient\/p2 it returns AllergyIntolerance\/a0 \(the look was partial: the listing went on past --max-pages 2; 6 AllergyIntolerance over 2 page\(s\) read\)/,
    );
  });
});

/**
 * A partner that searches AllergyIntolerance per patient only (400 too-costly without `patient`),
 * with patients p1 (the probe) and p2; `ofP2` is what the search for p2 answers.
 */
async function perPatientPartner(ofP2: object[]): Promise<MswPartner> {
  return partner([
    http.get('*/fhir/Patient', () =>
      HttpResponse.json(searchset([probe, { ...probe, id: 'p2' }]), { headers: fhir }),
    ),
    http.get('*/fhir/AllergyIntolerance', ({ request }) => {
      const who = new URL(request.url).searchParams.get('patient');
      if (!who) {
        return HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'too-costly' }] },
          { status: 400, headers: fhir },
        );
      }
      return HttpResponse.json(searchset(who === 'p2' ? ofP2 : []), { headers: fhir });
    }),
  ]);
}

describe('SRCH completeness on a partner that searches per patient only', () => {
  it('shows the search finds something with another patient when the probe has none', async () => {
    const p = await perPatientPartner([allergy('a-p2', 'p2')]);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe });
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /Patient\/p1 has none and the tenant cannot be listed \(GET AllergyIntolerance\?_count=100 answered HTTP 400.*\); for Patient\/p2 it returns 1, all theirs/,
    );
  });

  it("fails (warns) when the other patient's search returns someone else's allergy", async () => {
    const p = await perPatientPartner([allergy('a-p7', 'p7')]);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('warn');
    expect(row!.message).toMatch(
      /asked for Patient\/p2, the search returned AllergyIntolerance\/a-p7, which do\(es\) not belong to them/,
    );
  });

  it('is a skip that says why when nobody it can ask has any: an empty answer proves nothing', async () => {
    const p = await perPatientPartner([]);
    const [row] = await runDataChecks(p.baseUrl, allergiesCheck, { version: 'stu3', probe });
    expect(row!.status).toBe('skip');
    expect(row!.message).toMatch(
      /Patient\/p1 has none, the tenant cannot be listed .* and none of 1 other patient\(s\) has any: whether the search finds anything is not shown/,
    );
  });
});

/** Search semantics, paging and batch of the conformant reference partner. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Json } from './helpers.js';
import { entries, fhirGet, get, postForm, postJson, token } from './helpers.js';

let p: ReferencePartner;
let t: string;
let patients: { dstu2: Json[]; stu3: Json[] };
beforeAll(async () => {
  p = await startReferencePartner({ seed: 7, patientsPerTenant: 40 });
  t = await token(p);
  patients = {
    dstu2: entries((await fhirGet(p, 'dstu2', 'Patient?_count=100', t)).json),
    stu3: entries((await fhirGet(p, 'stu3', 'Patient?_count=100', t)).json),
  };
});
afterAll(async () => {
  await p.close();
});

const ids = (b: Json): string[] => entries(b).map((r) => r.id as string);
const family = (r: Json): string => {
  const f = (r.name as Json[])[0]!.family;
  return (Array.isArray(f) ? f[0] : f) as string;
};

async function search(version: 'dstu2' | 'stu3', query: string): Promise<Json> {
  const r = await fhirGet(p, version, query, t);
  expect(r.status, query).toBe(200);
  expect(r.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
  return r.json;
}

describe('Patient search', () => {
  it('family: starts-with by default, substring with :contains, case-insensitive', async () => {
    const target = patients.stu3[3]!;
    const name = family(target);
    const prefix = name.slice(0, 3).toUpperCase();
    const starts = await search('stu3', `Patient?family=${encodeURIComponent(prefix)}`);
    const expected = patients.stu3
      .filter((x) => family(x).toLowerCase().startsWith(prefix.toLowerCase()))
      .map((x) => x.id);
    expect(ids(starts).sort()).toEqual(expected.sort());
    const middle = name.slice(1, 4);
    const contains = await search('dstu2', `Patient?family:contains=${encodeURIComponent(middle)}`);
    expect(ids(contains)).toContain(target.id);
    expect(entries(contains).every((x) => family(x).toLowerCase().includes(middle.toLowerCase()))).toBe(true);
    const plain = await search('stu3', `Patient?family=${encodeURIComponent(middle)}`);
    expect(entries(plain).every((x) => family(x).toLowerCase().startsWith(middle.toLowerCase()))).toBe(true);
  });

  it('given, and DSTU2 name over every part of the name', async () => {
    const target = patients.dstu2[5]!;
    const given = ((target.name as Json[])[0]!.given as string[])[0]!;
    const byGiven = await search('dstu2', `Patient?given=${given.slice(0, 3)}`);
    expect(ids(byGiven)).toContain(target.id);
    const byName = await search('dstu2', `Patient?name=${family(target)}`);
    expect(ids(byName)).toContain(target.id);
    const byPrefix = await search(
      'dstu2',
      `Patient?name=${encodeURIComponent(((target.name as Json[])[0]!.prefix as string[])[0]!)}`,
    );
    expect(ids(byPrefix)).toContain(target.id);
  });

  it('birthdate: exact day, month, year and comparison prefixes', async () => {
    const target = patients.stu3[0]!;
    const day = target.birthDate as string;
    expect(ids(await search('stu3', `Patient?birthdate=${day}`))).toEqual(
      patients.stu3.filter((x) => x.birthDate === day).map((x) => x.id),
    );
    const year = await search('stu3', `Patient?birthdate=${day.slice(0, 4)}`);
    expect(entries(year).every((x) => (x.birthDate as string).startsWith(day.slice(0, 4)))).toBe(true);
    const before = await search('stu3', `Patient?birthdate=lt${day}&_count=100`);
    expect(entries(before).every((x) => (x.birthDate as string) < day)).toBe(true);
    expect(before.total + (await search('stu3', `Patient?birthdate=ge${day}`)).total).toBe(40);
  });

  it('identifier by value and system|value; gender; _id lists', async () => {
    const target = patients.stu3[7]!;
    const { system, value } = (target.identifier as Json[])[0]!;
    expect(ids(await search('stu3', `Patient?identifier=${value}`))).toEqual([target.id]);
    expect(
      ids(await search('stu3', `Patient?identifier=${encodeURIComponent(`${system}|${value}`)}`)),
    ).toEqual([target.id]);
    expect(
      (await search('stu3', `Patient?identifier=${encodeURIComponent(`urn:other|${value}`)}`)).total,
    ).toBe(0);
    const women = await search('stu3', 'Patient?gender=female&_count=100');
    expect(women.total).toBe(patients.stu3.filter((x) => x.gender === 'female').length);
    const two = await search('stu3', `Patient?_id=${patients.stu3[1]!.id},${patients.stu3[2]!.id}`);
    expect(ids(two).sort()).toEqual([patients.stu3[1]!.id, patients.stu3[2]!.id].sort());
  });

  it('POST _search merges the form body with the query string and ignores unknown parameters', async () => {
    const target = patients.stu3[9]!;
    const r = await postForm(
      `${p.baseUrl('stu3')}/Patient/_search?gender=${target.gender}`,
      { family: family(target), _unknown: 'x', 'foo:bar': 'y' },
      { authorization: `Bearer ${t}` },
    );
    expect(r.status).toBe(200);
    expect(ids(r.json)).toContain(target.id);
    expect(entries(r.json).every((x) => x.gender === target.gender && family(x) === family(target))).toBe(
      true,
    );
  });
});

describe('paging', () => {
  it('follows next links with a stateless offset until every match was seen once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${p.baseUrl('stu3')}/Patient?_count=7`;
    let pages = 0;
    while (url) {
      const r = await get(url, t);
      expect(r.json.total).toBe(40);
      expect(entries(r.json).length).toBeLessThanOrEqual(7);
      seen.push(...ids(r.json));
      const links = r.json.link as Json[];
      expect(links.find((l) => l.relation === 'self')?.url).toBe(url);
      url = links.find((l) => l.relation === 'next')?.url as string | undefined;
      pages++;
    }
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(40);
  });

  it('_count=0 gives the total only; entries carry fullUrl and search.mode', async () => {
    const zero = await search('dstu2', 'Patient?_count=0');
    expect(zero.total).toBe(40);
    expect(zero.entry).toBeUndefined();
    const one = await search('dstu2', 'Patient?_count=1');
    expect(one.entry[0]).toMatchObject({
      fullUrl: `${p.baseUrl('dstu2')}/Patient/${String(one.entry[0].resource.id)}`,
      search: { mode: 'match' },
    });
  });
});

describe('clinical searches', () => {
  it.each([
    ['dstu2', '_sort:desc=date'],
    ['stu3', '_sort=-date'],
  ] as const)(
    '%s vital signs of one patient, newest first; ascending with _sort=date',
    async (version, sort) => {
      const pid = patients[version][2]!.id as string;
      const desc = entries(await search(version, `Observation?patient=${pid}&category=vital-signs&${sort}`));
      expect(desc.length).toBeGreaterThan(5);
      const dates = desc.map((o) => o.effectiveDateTime as string);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(
        desc.every(
          (o) =>
            o.subject.reference === `Patient/${pid}` && JSON.stringify(o.category).includes('vital-signs'),
        ),
      ).toBe(true);
      const bp = desc.find((o) => o.component)!;
      expect(bp.component.map((c: Json) => c.code.coding[0].code)).toEqual(['8480-6', '8462-4']);
      const asc = entries(
        await search(version, `Observation?patient=Patient/${pid}&category=vital-signs&_sort=date`),
      );
      expect(asc.map((o) => o.effectiveDateTime)).toEqual([...dates].sort());
      const labs = entries(await search(version, `Observation?patient=${pid}&category=laboratory`));
      expect(labs.length).toBe(1);
    },
  );

  it('latest encounter, and per-patient Condition, AllergyIntolerance, medication orders and Coverage', async () => {
    for (const version of ['dstu2', 'stu3'] as const) {
      const pid = patients[version][4]!.id as string;
      const ref = `Patient/${pid}`;
      const sort = version === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
      const all = entries(await search(version, `Encounter?patient=${pid}`));
      const latest = entries(await search(version, `Encounter?patient=${pid}&${sort}&_count=1`));
      expect(latest[0]!.period.start).toBe(
        all
          .map((e) => e.period.start as string)
          .sort()
          .pop(),
      );
      const subject = version === 'dstu2' ? 'patient' : 'subject';
      const med = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
      for (const [query, key] of [
        [`Condition?patient=${pid}&_count=10`, subject],
        [`${med}?patient=${pid}&_count=10`, subject],
        [`AllergyIntolerance?patient=${pid}`, 'patient'],
        [`Coverage?patient=${pid}`, version === 'dstu2' ? 'subscriber' : 'beneficiary'],
      ] as const) {
        const found = entries(await search(version, query));
        expect(
          found.every((r) => r[key].reference === ref),
          query,
        ).toBe(true);
        if (!query.startsWith('Allergy')) expect(found.length, query).toBeGreaterThan(0);
      }
      expect((await search(version, 'Coverage?patient=nobody')).total).toBe(0);
    }
  });
});

describe('batch', () => {
  it.each(['dstu2', 'stu3'] as const)(
    '%s: one entry per request, in order, the same answers as single calls',
    async (version) => {
      const pid = patients[version][1]!.id as string;
      const urls = [
        `Patient/${pid}`,
        `Observation?patient=${pid}&category=vital-signs&_count=3`,
        'Patient/nobody',
        `${p.baseUrl(version)}/Condition?patient=${pid}`,
        'Basic?x=1',
      ];
      const r = await postJson(
        p.baseUrl(version),
        {
          resourceType: 'Bundle',
          type: 'batch',
          entry: urls.map((url) => ({ request: { method: 'GET', url } })),
        },
        t,
      );
      expect(r.status).toBe(200);
      expect(r.json.type).toBe('batch-response');
      const e = r.json.entry as Json[];
      expect(e.map((x) => x.response.status)).toEqual([
        '200 OK',
        '200 OK',
        '404 Not Found',
        '200 OK',
        '404 Not Found',
      ]);
      expect(e[0]!.resource).toEqual((await fhirGet(p, version, `Patient/${pid}`, t)).json);
      const single = (await fhirGet(p, version, urls[1]!, t)).json;
      expect(ids(e[1]!.resource)).toEqual(ids(single));
      expect(e[1]!.resource.total).toBe(single.total);
      const outcome = version === 'stu3' ? e[2]!.response.outcome : e[2]!.resource;
      expect(outcome.resourceType).toBe('OperationOutcome');
    },
  );

  it('refuses transactions and non-GET entries', async () => {
    const tx = await postJson(
      p.baseUrl('stu3'),
      { resourceType: 'Bundle', type: 'transaction', entry: [] },
      t,
    );
    expect(tx.status).toBe(400);
    const post = await postJson(
      p.baseUrl('stu3'),
      { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'DELETE', url: 'Patient/x' } }] },
      t,
    );
    expect(post.json.entry[0].response.status).toBe('405 Method Not Allowed');
  });
});

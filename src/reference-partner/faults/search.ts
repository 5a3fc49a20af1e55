/** SRCH faults: a search parameter ignored or never matching, or an order forced whatever _sort asks. */
import type { Json } from '../plain-client.js';
import { entries, fhirGet, token } from '../plain-client.js';
import {
  MED,
  all,
  newestFirst,
  probePatient,
  searchByProbe,
  familyOf,
  mrnOf,
  patientSearch,
  problems,
  everyResource,
} from './detector-tools.js';
import type { FaultPlugin, SearchParamEffect } from './hooks.js';

/** Searches of `type` (of every type when undefined) treat the parameters `names` as `effect`. */
function param(type: string | undefined, names: string[], effect: SearchParamEffect) {
  return (t: string, p: string): SearchParamEffect | undefined =>
    (type === undefined || t === type) && names.includes(p) ? effect : undefined;
}

const oldestFirst = (type: string) => (t: string) =>
  t === type ? { key: 'date', descending: false } : undefined;

export const searchFaults: FaultPlugin[] = [
  {
    name: 'SRCH-PAT-1',
    requirement: 'SRCH-PAT-1',
    description: 'Patient search ignores _id and returns every patient',
    request: { searchParam: param('Patient', ['_id'], 'ignored') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const found = await patientSearch(p, v, bearer, { _id: patient.id as string });
        return problems([found.length === 1 && found[0]?.id === patient.id, `${found.length} entries`]);
      },
    },
  },
  {
    name: 'SRCH-PAT-2',
    requirement: 'SRCH-PAT-2',
    description: 'Patient search ignores family and returns every patient',
    request: { searchParam: param('Patient', ['family'], 'ignored') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const part = familyOf(patient, v).slice(0, 3);
        const found = await patientSearch(p, v, bearer, {
          [v === 'dstu2' ? 'family:contains' : 'family']: part,
        });
        const ok =
          found.some((f) => f.id === patient.id) &&
          found.every((f) => familyOf(f, v).toLowerCase().includes(part.toLowerCase()));
        return problems([ok, `family ${part}: ${found.length} entries, some not matching`]);
      },
    },
  },
  {
    name: 'SRCH-PAT-3',
    requirement: 'SRCH-PAT-3',
    description: 'Patient search ignores given and name and returns every patient',
    request: { searchParam: param('Patient', ['given', 'name'], 'ignored') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const given = ((patient.name as Json[])[0]?.given as string[])[0] ?? '';
        const part = given.slice(0, 3).toLowerCase();
        const out: string[] = [];
        const queries: Array<[string, (f: Json) => string]> = [
          ['given', (f) => ((f.name as Json[])[0]?.given as string[]).join(' ')],
        ];
        if (v === 'dstu2') queries.push(['name', (f) => JSON.stringify(f.name)]);
        for (const [param, text] of queries) {
          const found = await patientSearch(p, v, bearer, { [param]: part });
          const ok =
            found.some((f) => f.id === patient.id) &&
            found.every((f) => text(f).toLowerCase().includes(part));
          if (!ok) out.push(`${param} ${part}: ${found.length} entries, some not matching`);
        }
        return out;
      },
    },
  },
  {
    name: 'SRCH-PAT-4',
    requirement: 'SRCH-PAT-4',
    description: 'Patient search ignores birthdate and returns every patient',
    request: { searchParam: param('Patient', ['birthdate'], 'ignored') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const found = await patientSearch(p, v, bearer, { birthdate: patient.birthDate as string });
        const ok =
          found.some((f) => f.id === patient.id) && found.every((f) => f.birthDate === patient.birthDate);
        return problems([ok, `birthdate: ${found.length} entries`]);
      },
    },
  },
  {
    name: 'SRCH-PAT-5',
    requirement: 'SRCH-PAT-5',
    description: 'Patient search by identifier never matches',
    request: { searchParam: param('Patient', ['identifier'], 'matches-nothing') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const found = await patientSearch(p, v, bearer, { identifier: mrnOf(patient) });
        return problems([
          found.length === 1 && found[0]?.id === patient.id,
          `identifier: ${found.length} entries`,
        ]);
      },
    },
  },
  {
    name: 'SRCH-PAT-6',
    requirement: 'SRCH-PAT-6',
    description: 'Patient search ignores gender and returns every patient',
    request: { searchParam: param('Patient', ['gender'], 'ignored') },
    detect: {
      async run(p, v) {
        const { patient, bearer } = await probePatient(p, v);
        const found = await patientSearch(p, v, bearer, { gender: patient.gender as string });
        const ok = found.length > 0 && found.every((f) => f.gender === patient.gender);
        return problems([ok, `gender: ${found.length} entries, some of another gender`]);
      },
    },
  },
  {
    name: 'SRCH-CNT-1',
    requirement: 'SRCH-CNT-1',
    description: '_count is ignored (the default page size is used)',
    request: { searchParam: param(undefined, ['_count'], 'ignored') },
    detect: {
      async run(p, v) {
        const r = await fhirGet(p, v, 'Patient?_count=2', await token(p, p.tenants[1]));
        const n = entries(r.json).length;
        return problems([
          n <= 2 && n > 0 && (r.json.total as number) >= n,
          `${n} entries, total ${String(r.json.total)}`,
        ]);
      },
    },
  },
  {
    name: 'SRCH-OBS-1',
    requirement: 'SRCH-OBS-1',
    description: 'Observation searches sort oldest first whatever _sort asks',
    request: { sortOrder: oldestFirst('Observation') },
    detect: {
      async run(p, v) {
        const probe = await probePatient(p, v);
        const found = await searchByProbe(
          p,
          v,
          probe,
          'Observation',
          `category=vital-signs&${newestFirst(v)}`,
        );
        const dates = found.map((o) => o.effectiveDateTime as string);
        const sorted = dates.every((d, i) => i === 0 || (dates[i - 1] ?? '') >= d);
        const own = found.every((o) => o.subject?.reference === probe.reference);
        const vitals = found.every((o) => JSON.stringify(o.category).includes('vital-signs'));
        return problems(
          [found.length > 1, 'no vital signs'],
          [sorted, 'not newest first'],
          [own && vitals, 'foreign or non-vital entries'],
        );
      },
    },
  },
  {
    name: 'SRCH-CON-1',
    requirement: 'SRCH-CON-1',
    description: 'Condition search ignores patient and returns every condition',
    request: { searchParam: param('Condition', ['patient'], 'ignored') },
    detect: {
      async run(p, v) {
        const probe = await probePatient(p, v);
        const found = await searchByProbe(p, v, probe, 'Condition', '_count=10');
        const key = v === 'dstu2' ? 'patient' : 'subject';
        return everyResource(found, 'conditions', (c) => c[key]?.reference === probe.reference);
      },
    },
  },
  {
    name: 'SRCH-ENC-1',
    requirement: 'SRCH-ENC-1',
    description: 'Encounter search ignores _sort and returns the oldest encounter first',
    request: { sortOrder: oldestFirst('Encounter') },
    detect: {
      async run(p, v) {
        const probe = await probePatient(p, v);
        const latest = await searchByProbe(p, v, probe, 'Encounter', `${newestFirst(v)}&_count=1`);
        const every = await searchByProbe(p, v, probe, 'Encounter');
        const newest = every
          .map((e) => e.period.start as string)
          .sort()
          .pop();
        return problems([latest[0]?.period?.start === newest, 'not the latest encounter']);
      },
    },
  },
  {
    name: 'SRCH-ALG-1',
    requirement: 'SRCH-ALG-1',
    description: 'AllergyIntolerance search ignores patient and returns every allergy',
    request: { searchParam: param('AllergyIntolerance', ['patient'], 'ignored') },
    detect: {
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const allergic = (await all(p, v, 'AllergyIntolerance'))[0];
        const pid = (allergic?.patient?.reference as string).replace('Patient/', '');
        const found = entries((await fhirGet(p, v, `AllergyIntolerance?patient=${pid}`, bearer)).json);
        return everyResource(found, 'allergies', (a) => a.patient?.reference === `Patient/${pid}`);
      },
    },
  },
  {
    name: 'SRCH-MED-1',
    requirement: 'SRCH-MED-1',
    description: 'MedicationOrder / MedicationRequest search ignores patient',
    request: {
      searchParam: (type, p) =>
        (type === 'MedicationOrder' || type === 'MedicationRequest') && p === 'patient'
          ? 'ignored'
          : undefined,
    },
    detect: {
      async run(p, v) {
        const probe = await probePatient(p, v);
        const found = await searchByProbe(p, v, probe, MED(v), '_count=10');
        const key = v === 'dstu2' ? 'patient' : 'subject';
        return everyResource(found, 'orders', (m) => m[key]?.reference === probe.reference);
      },
    },
  },
  {
    name: 'SRCH-COV-1',
    requirement: 'SRCH-COV-1',
    description: 'Coverage search by patient returns nothing',
    request: { searchParam: param('Coverage', ['patient'], 'matches-nothing') },
    detect: {
      async run(p, v) {
        const probe = await probePatient(p, v);
        const found = await searchByProbe(p, v, probe, 'Coverage');
        const key = v === 'dstu2' ? 'subscriber' : 'beneficiary';
        return everyResource(found, 'coverages', (c) => c[key]?.reference === probe.reference);
      },
    },
  },
];

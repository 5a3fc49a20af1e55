/**
 * Version-neutral synthetic clinical data for one tenant, generated from a seeded PRNG. The DSTU2 and
 * STU3 mappers turn these records into resources; keeping one model guarantees that both versions
 * serve the same patients.
 */
import type { Prng } from './prng.js';
import {
  ALLERGY_SUBSTANCES,
  CITIES,
  CONDITIONS,
  DRUGS,
  ENCOUNTER_TYPES,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  HBA1C,
  MALE_GIVEN,
  MANIFESTATIONS,
  MIDDLE_INITIALS,
  PAYORS,
  PRACTITIONERS,
  SEVERITIES,
  STREETS,
  VITALS,
} from './vocabulary.js';
import type { AllergySubstance, Concept, Drug, VitalKind } from './vocabulary.js';

/** Data is anchored to a fixed day so that the same seed gives byte-identical resources on any date. */
const ANCHOR_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const DAY_MS = 86_400_000;

export interface LocationRec {
  id: string;
  name: string;
  kind: 'HOSP' | 'OF';
  city: string;
  state: string;
  line: string;
  postalCode: string;
  phone: string;
}

export interface VitalRec {
  id: string;
  kind: VitalKind;
  effective: string;
  value: number;
  /** Blood pressure only: systolic and diastolic. */
  components?: [number, number];
}

export interface LabRec {
  id: string;
  code: Concept;
  effective: string;
  value: number;
  unit: string;
}

export interface VisitRec {
  encounterId: string;
  type: Concept;
  start: string;
  end: string;
  location: LocationRec;
  vitals: VitalRec[];
}

export interface ConditionRec {
  id: string;
  code: Concept;
  severity: Concept;
  onset: string;
  recorded: string;
  encounterId: string;
  clinicalStatus: 'active' | 'resolved';
}

export interface AllergyRec {
  id: string;
  substance: AllergySubstance;
  manifestation: Concept;
  severity: 'mild' | 'moderate' | 'severe';
  recorded: string;
  onset: string;
  note: string;
  criticality: 'high' | 'low';
}

export interface MedRec {
  id: string;
  drug: Drug;
  written: string;
  ended: string;
  status: 'completed' | 'stopped';
  prescriber: string;
  encounterId: string;
}

export interface CoverageRec {
  id: string;
  payor: string;
  group: string;
  plan: string;
  subscriberId: string;
  start: string;
  end: string;
}

export interface PatientRec {
  id: string;
  mrn: string;
  family: string;
  given: string[];
  prefix: string;
  gender: 'male' | 'female';
  birthDate: string;
  phone: string;
  line: string;
  city: string;
  state: string;
  postalCode: string;
  practitioner: string;
  visits: VisitRec[];
  labs: LabRec[];
  conditions: ConditionRec[];
  allergies: AllergyRec[];
  meds: MedRec[];
  coverage: CoverageRec;
}

export interface TenantData {
  tenantId: string;
  /** Short prefix that keeps every resource id of this tenant distinct from the other tenant's. */
  idPrefix: string;
  mrnSystem: string;
  organization: string;
  locations: LocationRec[];
  patients: PatientRec[];
}

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** A dateTime with seconds and a zone, as FHIR requires when a time is given. */
const dateTimeOf = (ms: number): string =>
  new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function vitalValue(rng: Prng, kind: VitalKind, weightBase: number): VitalRec['value'] {
  switch (kind.key) {
    case 'hr':
      return rng.int(55, 105);
    case 'weight':
      return round1(weightBase + (rng.next() - 0.5) * 4);
    case 'temp':
      return round1(36.2 + rng.next() * 1.6);
    case 'resp':
      return rng.int(12, 22);
    case 'bp':
      return 0;
  }
}

export function generateTenant(
  rng: Prng,
  tenantId: string,
  idPrefix: string,
  index: number,
  patients: number,
): TenantData {
  const organization = index === 0 ? 'Riverside Community Health' : 'Lakeshore Medical Group';
  const mrnSystem = `urn:oid:2.16.840.1.113883.3.7${index}.${rng.int(100, 999)}`;
  const locations: LocationRec[] = [];
  const locationNames =
    index === 0
      ? [
          'Riverside Main Hospital',
          'Riverside North Clinic',
          'Riverside Family Practice',
          'Riverside Urgent Care',
        ]
      : [
          'Lakeshore General Hospital',
          'Lakeshore East Clinic',
          'Lakeshore Pediatrics',
          'Lakeshore Walk-in Center',
        ];
  locationNames.forEach((name, i) => {
    const city = rng.pick(CITIES);
    locations.push({
      id: `${idPrefix}-loc${i + 1}`,
      name,
      kind: i === 0 ? 'HOSP' : 'OF',
      city: city.city,
      state: city.state,
      line: `${rng.int(10, 9999)} ${rng.pick(STREETS)}`,
      postalCode: `${city.postalPrefix}${pad(rng.int(0, 99), 2)}`,
      phone: `+1-555-${pad(rng.int(100, 999), 3)}-${pad(rng.int(0, 9999), 4)}`,
    });
  });

  const list: PatientRec[] = [];
  for (let i = 1; i <= patients; i++) list.push(generatePatient(rng, idPrefix, index, i, locations));
  return { tenantId, idPrefix, mrnSystem, organization, locations, patients: list };
}

function generatePatient(
  rng: Prng,
  idPrefix: string,
  tenantIndex: number,
  n: number,
  locations: LocationRec[],
): PatientRec {
  const gender = rng.chance(0.5) ? 'female' : 'male';
  const first = rng.pick(gender === 'female' ? FEMALE_GIVEN : MALE_GIVEN);
  const given = rng.chance(0.6)
    ? [first, MIDDLE_INITIALS[rng.int(0, MIDDLE_INITIALS.length - 1)] ?? 'A']
    : [first];
  const birthMs =
    Date.UTC(1935, 0, 1) + Math.floor(rng.next() * (Date.UTC(2012, 0, 1) - Date.UTC(1935, 0, 1)));
  const age = (ANCHOR_MS - birthMs) / (365.25 * DAY_MS);
  const prefix = gender === 'female' ? (age > 30 && rng.chance(0.5) ? 'Mrs.' : 'Ms.') : 'Mr.';
  const city = rng.pick(CITIES);
  const id = `${idPrefix}-p${pad(n, 4)}`;
  const practitioner = rng.pick(PRACTITIONERS);
  const weightBase = 55 + rng.next() * 45;

  let seq = 0;
  const nextId = (kind: string): string => `${idPrefix}-${kind}${pad(n, 4)}-${++seq}`;

  // Visits spread over the last three years, oldest first; each carries a full set of vital signs.
  const visitCount = rng.int(2, 4);
  const visits: VisitRec[] = [];
  let t = ANCHOR_MS - rng.int(900, 1100) * DAY_MS;
  for (let v = 0; v < visitCount; v++) {
    t += rng.int(60, 300) * DAY_MS + rng.int(8, 16) * 3_600_000;
    const start = Math.floor(t / 60_000) * 60_000;
    const encounterId = nextId('e');
    const vitals: VitalRec[] = VITALS.map((kind) => {
      const rec: VitalRec = {
        id: nextId('o'),
        kind,
        effective: dateTimeOf(start + rng.int(5, 25) * 60_000),
        value: vitalValue(rng, kind, weightBase),
      };
      if (kind.key === 'bp') rec.components = [rng.int(105, 165), rng.int(60, 100)];
      return rec;
    });
    visits.push({
      encounterId,
      type: v === 0 ? ENCOUNTER_TYPES[0]! : rng.pick(ENCOUNTER_TYPES),
      start: dateTimeOf(start),
      end: dateTimeOf(start + rng.int(20, 90) * 60_000),
      location: rng.pick(locations),
      vitals,
    });
  }
  const lastVisit = visits[visits.length - 1]!;
  const labs: LabRec[] = [
    {
      id: nextId('o'),
      code: HBA1C,
      effective: lastVisit.vitals[0]!.effective,
      value: round1(4.8 + rng.next() * 4),
      unit: '%',
    },
  ];

  const conditions: ConditionRec[] = [];
  const conditionCount = rng.int(1, 3);
  const usedConditions = new Set<string>();
  for (let c = 0; c < conditionCount; c++) {
    const code = rng.pick(CONDITIONS);
    if (usedConditions.has(code.code)) continue;
    usedConditions.add(code.code);
    const visit = rng.pick(visits);
    conditions.push({
      id: nextId('c'),
      code,
      severity: rng.pick(SEVERITIES),
      onset: dateOf(Date.parse(visit.start) - rng.int(10, 2000) * DAY_MS),
      recorded: visit.start.slice(0, 10),
      encounterId: visit.encounterId,
      clinicalStatus: rng.chance(0.8) ? 'active' : 'resolved',
    });
  }

  const allergies: AllergyRec[] = [];
  const allergyCount = rng.int(0, 2);
  const usedSubstances = new Set<string>();
  for (let a = 0; a < allergyCount; a++) {
    const substance = rng.pick(ALLERGY_SUBSTANCES);
    if (usedSubstances.has(substance.code)) continue;
    usedSubstances.add(substance.code);
    const manifestation = rng.pick(MANIFESTATIONS);
    const severity = manifestation.code === '39579001' ? 'severe' : rng.pick(['mild', 'moderate'] as const);
    const recorded = visits[0]!.start;
    allergies.push({
      id: nextId('a'),
      substance,
      manifestation,
      severity,
      recorded,
      onset: dateOf(birthMs + rng.int(365, 20 * 365) * DAY_MS),
      note: `Reported ${manifestation.display.toLowerCase()} after exposure to ${substance.display.toLowerCase()}.`,
      criticality: severity === 'severe' ? 'high' : 'low',
    });
  }

  const meds: MedRec[] = [];
  const medCount = rng.int(1, 3);
  const usedDrugs = new Set<string>();
  for (let m = 0; m < medCount; m++) {
    const drug = rng.pick(DRUGS);
    if (usedDrugs.has(drug.code)) continue;
    usedDrugs.add(drug.code);
    const visit = rng.pick(visits);
    const written = Date.parse(visit.end);
    meds.push({
      id: nextId('m'),
      drug,
      written: dateTimeOf(written),
      ended: dateTimeOf(written + rng.int(30, 180) * DAY_MS),
      status: rng.chance(0.8) ? 'completed' : 'stopped',
      prescriber: practitioner,
      encounterId: visit.encounterId,
    });
  }

  const payor = rng.pick(PAYORS);
  const coverageStart = Date.UTC(2024 - rng.int(0, 3), 0, 1);
  const coverage: CoverageRec = {
    id: nextId('cov'),
    payor: payor.payor,
    group: payor.group,
    plan: payor.plan,
    subscriberId: `${payor.payor.slice(0, 3).toUpperCase()}${tenantIndex}${pad(rng.int(0, 99_999_999), 8)}`,
    start: dateOf(coverageStart),
    end: dateOf(Date.UTC(2025, 11, 31)),
  };

  return {
    id,
    mrn: `${tenantIndex === 0 ? 'RCH' : 'LMG'}${pad(100_000 + n, 7)}`,
    family: rng.pick(FAMILY_NAMES),
    given,
    prefix,
    gender,
    birthDate: dateOf(birthMs),
    phone: `+1-555-${pad(rng.int(100, 999), 3)}-${pad(rng.int(0, 9999), 4)}`,
    line: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
    city: city.city,
    state: city.state,
    postalCode: `${city.postalPrefix}${pad(rng.int(0, 99), 2)}`,
    practitioner,
    visits,
    labs,
    conditions,
    allergies,
    meds,
    coverage,
  };
}

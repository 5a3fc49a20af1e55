/**
 * FHIR search over one tenant's store, with the parameters and semantics of the SRCH table. String
 * parameters follow FHIR: the default is case- and accent-insensitive starts-with, `:contains` is a
 * substring, `:exact` equality; a comma separates alternatives (OR) and a repeated parameter must
 * match too (AND). Unknown parameters are ignored. Paging is stateless: `_offset` in the next link.
 */
import type { ActiveFaults } from './faults/index.js';
import type { SearchParamEffect } from './faults/hooks.js';
import type { PatientKeys, Stored, TenantStore } from './store.js';
import { normalise } from './store.js';
import type { FhirVersion } from './versions.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
/** The unusual variant pages small, so every answer of more than a few matches needs next links. */
export const UNUSUAL_PAGE_SIZE = { default: 3, max: 5 };

export class SearchError extends Error {
  constructor(
    message: string,
    /** The OperationOutcome issue code the 400 answer carries. */
    readonly code: 'invalid' | 'too-costly' = 'invalid',
  ) {
    super(message);
  }
}

export interface SearchRequest {
  version: FhirVersion;
  type: string;
  params: Array<[string, string]>;
  store: TenantStore;
  faults: ActiveFaults;
  /** A fault hides this tenant's patients: Patient searches find nothing. */
  hideTenant: boolean;
  /** The unusual variant: small pages, and newest first when no _sort is asked. */
  unusual?: boolean;
}

export interface SearchResult {
  page: Stored[];
  total: number;
  offset: number;
  count: number;
}

const PATIENT_REF_TYPES = new Set([
  'Observation',
  'Condition',
  'Encounter',
  'AllergyIntolerance',
  'MedicationOrder',
  'MedicationRequest',
  'Coverage',
]);

const DATE_PARAM = /^(eq|ne|gt|lt|ge|le)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T[0-9:.+\-Z]*)?$/;

type Predicate = (s: Stored) => boolean;

function stringMatch(field: readonly string[], modifier: string, wanted: string): boolean {
  const value = normalise(wanted);
  if (modifier === 'contains') return field.some((f) => f.includes(value));
  if (modifier === 'exact') return field.some((f) => f === value);
  return field.some((f) => f.startsWith(value));
}

function token(value: string): { system: string | undefined; code: string } {
  const bar = value.indexOf('|');
  if (bar < 0) return { system: undefined, code: value };
  return { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

function referenceId(value: string, type: string): string {
  const marker = `${type}/`;
  const at = value.lastIndexOf(marker);
  return at >= 0 ? value.slice(at + marker.length) : value;
}

function dateMatch(birthDate: string, wanted: string): boolean {
  const m = DATE_PARAM.exec(wanted);
  if (!m) throw new SearchError(`birthdate value "${wanted}" is not a FHIR date`);
  const prefix = m[1] ?? 'eq';
  const value = m[2] ?? '';
  if (!birthDate) return false;
  const lo = value.padEnd(10, value.length === 4 ? '-01-01' : '-01').slice(0, 10);
  const hi = value.length === 10 ? value : value.length === 7 ? `${value}-31` : `${value}-12-31`;
  const within = birthDate >= lo && birthDate <= hi;
  switch (prefix) {
    case 'ne':
      return !within;
    case 'gt':
      return birthDate > hi;
    case 'ge':
      return birthDate >= lo;
    case 'lt':
      return birthDate < lo;
    case 'le':
      return birthDate <= hi;
    default:
      return within;
  }
}

function patientPredicate(
  name: string,
  modifier: string,
  values: string[],
  effect: SearchParamEffect | undefined,
): Predicate | undefined {
  if (effect === 'ignored') return undefined;
  if (effect === 'matches-nothing') return () => false;
  const keys = (s: Stored): PatientKeys | undefined => s.patient;
  const any =
    (test: (k: PatientKeys, v: string) => boolean): Predicate =>
    (s) => {
      const k = keys(s);
      return k !== undefined && values.some((v) => test(k, v));
    };
  switch (name) {
    case 'family':
      return any((k, v) => stringMatch(k.family, modifier, v));
    case 'given':
      return any((k, v) => stringMatch(k.given, modifier, v));
    case 'name':
      return any((k, v) => stringMatch(k.names, modifier, v));
    case 'birthdate':
      return any((k, v) => dateMatch(k.birthDate, v));
    case 'gender':
      return any((k, v) => k.gender === token(v).code.toLowerCase());
    case 'identifier':
      return any((k, v) => {
        const { system, code } = token(v);
        return k.identifiers.some((i) => i.value === code && (system === undefined || i.system === system));
      });
    default:
      return undefined;
  }
}

function parseCount(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw))
    throw new SearchError(`${name} must be a non-negative integer, got "${raw.slice(0, 40)}"`);
  return Number(raw);
}

interface SortSpec {
  key: string;
  descending: boolean;
}

function sortSpec(name: string, modifier: string, value: string): SortSpec | undefined {
  const first = value.split(',')[0]?.trim() ?? '';
  if (!first) return undefined;
  if (first.startsWith('-')) return { key: first.slice(1), descending: true };
  return { key: first, descending: modifier === 'desc' && name === '_sort' };
}

function sortValue(s: Stored, key: string): number | string {
  if (key === 'birthdate') return s.patient?.birthDate ?? '';
  if (key === '_id') return s.id;
  return s.date;
}

export function search(request: SearchRequest): SearchResult {
  const { type, store, faults, version } = request;
  const predicates: Predicate[] = [];
  let patientFilter: string[] | undefined;
  const pageSize = request.unusual ? UNUSUAL_PAGE_SIZE : { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE };
  let count = pageSize.default;
  let offset = 0;
  let sort: SortSpec | undefined;

  for (const [rawName, rawValue] of request.params) {
    const colon = rawName.indexOf(':');
    const name = colon < 0 ? rawName : rawName.slice(0, colon);
    const modifier = colon < 0 ? '' : rawName.slice(colon + 1);
    const values = rawValue.split(',').filter((v) => v !== '');
    if (name === '_count') {
      const n = parseCount(rawValue, '_count');
      if (faults.searchParam(type, '_count') !== 'ignored') count = Math.min(n, pageSize.max);
      continue;
    }
    if (name === '_offset') {
      offset = parseCount(rawValue, '_offset');
      continue;
    }
    if (name === '_sort') {
      sort = sortSpec(name, modifier, rawValue);
      continue;
    }
    if (values.length === 0) continue;
    if (name === '_id') {
      if (faults.searchParam(type, '_id') === 'ignored') continue;
      const ids = new Set(values);
      predicates.push((s) => ids.has(s.id));
      continue;
    }
    if (type === 'Patient') {
      const p = patientPredicate(name, modifier, values, faults.searchParam(type, name));
      if (p) predicates.push(p);
      continue;
    }
    if (PATIENT_REF_TYPES.has(type) && isPatientParam(type, version, name)) {
      const effect = faults.searchParam(type, 'patient');
      if (effect === 'ignored') continue;
      if (effect === 'matches-nothing') {
        predicates.push(() => false);
        continue;
      }
      const ids = values.map((v) => referenceId(v, 'Patient'));
      if (patientFilter === undefined) patientFilter = ids;
      else predicates.push((s) => s.patientId !== undefined && ids.includes(s.patientId));
      continue;
    }
    if (type === 'Observation' && (name === 'category' || name === 'code')) {
      const codes = values.map((v) => token(v).code);
      predicates.push(
        name === 'category'
          ? (s) => codes.some((c) => s.categories.includes(c))
          : (s) => codes.some((c) => s.codes.includes(c)),
      );
      continue;
    }
    if (type === 'Location' && name === 'name') {
      predicates.push((s) => values.some((v) => stringMatch(s.names ?? [], modifier, v)));
    }
  }

  // The unusual variant searches clinical types per patient only, as many EHRs do.
  const byId = request.params.some(([name, value]) => name === '_id' && value !== '');
  if (request.unusual && PATIENT_REF_TYPES.has(type) && patientFilter === undefined && !byId) {
    throw new SearchError(
      `a ${type} search needs a patient (or _id): the tenant-wide search is too costly`,
      'too-costly',
    );
  }
  let candidates: Stored[];
  if (patientFilter !== undefined) {
    const perPatient = store.byPatient.get(type);
    candidates = [];
    for (const id of new Set(patientFilter)) candidates.push(...(perPatient?.get(id) ?? []));
  } else {
    candidates = store.byType.get(type) ?? [];
  }
  if (request.hideTenant && type === 'Patient') candidates = [];

  let matches =
    predicates.length === 0 ? candidates : candidates.filter((s) => predicates.every((p) => p(s)));

  // A fault may force one order, whatever was asked.
  sort = faults.sortOrder(type) ?? sort;
  if (!sort && request.unusual) matches = [...matches].reverse();
  if (sort && ['date', 'birthdate', '_id'].includes(sort.key)) {
    const { key, descending } = sort;
    const dir = descending ? -1 : 1;
    matches = [...matches].sort((a, b) => {
      const va = sortValue(a, key);
      const vb = sortValue(b, key);
      if (va < vb) return -dir;
      if (va > vb) return dir;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  return { page: matches.slice(offset, offset + count), total: matches.length, offset, count };
}

function isPatientParam(type: string, version: FhirVersion, name: string): boolean {
  if (name === 'patient') return true;
  if (name === 'subject') return type !== 'AllergyIntolerance' && type !== 'Coverage';
  if (type === 'Coverage') return name === 'subscriber' || (version === 'stu3' && name === 'beneficiary');
  return false;
}

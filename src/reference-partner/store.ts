/**
 * The in-memory store: every resource of a tenant and version, serialised once at start, with the
 * indexes searches need (by type, by id, by patient). Serving then costs a map lookup and string
 * concatenation, which keeps reads and searches far under a millisecond with 1000 patients.
 */
import type { ActiveFaults } from './faults/index.js';
import type { FhirVersion } from './versions.js';
import { mapTenantDstu2 } from './map-dstu2.js';
import { mapTenantStu3 } from './map-stu3.js';
import type { TenantData } from './synthetic.js';
import { makeUnusual } from './unusual-data.js';
import type { Variant } from './variations.js';

export interface Stored {
  type: string;
  id: string;
  /** The resource as served, serialised once. */
  json: string;
  patientId: string | undefined;
  date: number;
  categories: readonly string[];
  codes: readonly string[];
  patient?: PatientKeys;
  /** Location only: the normalised name, for `name` searches. */
  names?: string[];
}

/** Normalised search keys of a Patient (lower case, accents stripped). */
export interface PatientKeys {
  family: string[];
  given: string[];
  /** Every part of every name: family, given, prefix. */
  names: string[];
  birthDate: string;
  gender: string;
  identifiers: Array<{ system: string; value: string }>;
}

export interface TenantStore {
  tenantId: string;
  byType: Map<string, Stored[]>;
  byId: Map<string, Map<string, Stored>>;
  /** type → patient id → resources of that patient, in insertion (date) order. */
  byPatient: Map<string, Map<string, Stored[]>>;
}

export function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function patientKeys(resource: Record<string, unknown>, version: FhirVersion): PatientKeys {
  const names = (resource.name as Array<Record<string, unknown>> | undefined) ?? [];
  const family: string[] = [];
  const given: string[] = [];
  const all: string[] = [];
  for (const n of names) {
    const fam = n.family;
    const famList =
      version === 'dstu2' ? ((fam as string[] | undefined) ?? []) : typeof fam === 'string' ? [fam] : [];
    for (const f of famList) family.push(normalise(f));
    for (const g of (n.given as string[] | undefined) ?? []) given.push(normalise(g));
    for (const p of (n.prefix as string[] | undefined) ?? []) all.push(normalise(p));
  }
  all.push(...family, ...given);
  const identifiers = ((resource.identifier as Array<Record<string, unknown>> | undefined) ?? []).map(
    (i) => ({
      system: String(i.system ?? ''),
      value: String(i.value ?? ''),
    }),
  );
  return {
    family,
    given,
    names: all,
    birthDate: String(resource.birthDate ?? ''),
    gender: String(resource.gender ?? ''),
    identifiers,
  };
}

export interface StoreOptions {
  variant: Variant;
  /** The base URL of this version, for the unusual variant's absolute references. */
  base: string;
}

export function buildStore(
  data: TenantData,
  version: FhirVersion,
  faults: ActiveFaults,
  options: StoreOptions = { variant: 'standard', base: '' },
): TenantStore {
  const served = version === 'dstu2' ? mapTenantDstu2(data) : mapTenantStu3(data);
  for (const m of served) faults.resource(m.resource, version);
  const mapped =
    options.variant === 'unusual' ? makeUnusual(served, { version, base: options.base }) : served;
  const store: TenantStore = {
    tenantId: data.tenantId,
    byType: new Map(),
    byId: new Map(),
    byPatient: new Map(),
  };
  for (const m of mapped) {
    const { resourceType: type, id } = m.resource;
    const stored: Stored = {
      type,
      id,
      json: JSON.stringify(m.resource),
      patientId: m.patientId,
      date: m.date ?? 0,
      categories: m.categories ?? [],
      codes: m.codes ?? [],
    };
    if (type === 'Patient') stored.patient = patientKeys(m.resource, version);
    if (type === 'Location') stored.names = [normalise(String(m.resource.name ?? ''))];
    let list = store.byType.get(type);
    if (!list) store.byType.set(type, (list = []));
    list.push(stored);
    let ids = store.byId.get(type);
    if (!ids) store.byId.set(type, (ids = new Map()));
    ids.set(id, stored);
    if (m.patientId !== undefined) {
      let perPatient = store.byPatient.get(type);
      if (!perPatient) store.byPatient.set(type, (perPatient = new Map()));
      let own = perPatient.get(m.patientId);
      if (!own) perPatient.set(m.patientId, (own = []));
      own.push(stored);
    }
  }
  return store;
}

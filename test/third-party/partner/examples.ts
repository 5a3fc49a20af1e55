/**
 * The official HL7 examples (`../shared/fhir-examples/<version>/`, see its SOURCES.md), unedited, split
 * between two tenants the way two hospitals' records are split: by patient. Patients alternate in id
 * order, every resource goes with the patient it refers to, a resource referring to no patient goes
 * with the first resource that refers to it (an Encounter's Location), and what is left alternates.
 * So no resource is in both tenants, and ROUTE-02 has something real to find.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from './libraries.js';

/** Not records of a patient: capability statements, error bodies, and Bundles of other resources. */
const NOT_RECORDS = new Set(['Bundle', 'Conformance', 'CapabilityStatement', 'OperationOutcome']);

export type TenantRecords = Map<string, Map<string, Json>>;

export interface SplitExamples {
  /** tenant → resourceType → id → resource */
  tenants: Map<string, TenantRecords>;
  /** Example files not served, with why. */
  left: string[];
}

function key(type: string, id: string): string {
  return `${type}/${id}`;
}

/** Every `Type/id` a resource refers to, wherever the Reference sits. */
function referencesOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesOf(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') {
        const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(v);
        if (m) out.push(key(m[1]!, m[2]!));
      } else referencesOf(v, out);
    }
  }
  return out;
}

export function loadExamples(folder: string, tenantIds: readonly [string, string]): SplitExamples {
  const left: string[] = [];
  const records: Json[] = [];
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const resource = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json;
    const type = resource.resourceType;
    if (typeof type !== 'string' || NOT_RECORDS.has(type)) continue;
    // json-edge-cases.json (STU3) is a Patient without an id: a server would have to invent one.
    if (typeof resource.id !== 'string') {
      left.push(`${file}: no id`);
      continue;
    }
    records.push(resource);
  }

  const byKey = new Map(records.map((r) => [key(r.resourceType as string, r.id as string), r]));
  const patientIds = new Set<string>();
  for (const r of records) {
    if (r.resourceType === 'Patient') patientIds.add(r.id as string);
    for (const ref of referencesOf(r)) if (ref.startsWith('Patient/')) patientIds.add(ref.slice(8));
  }
  const tenantOfPatient = new Map([...patientIds].sort().map((id, i) => [id, tenantIds[i % 2]!]));

  const owner = new Map<string, string>();
  for (const r of records) {
    const k = key(r.resourceType as string, r.id as string);
    const patient =
      r.resourceType === 'Patient'
        ? (r.id as string)
        : referencesOf(r)
            .find((ref) => ref.startsWith('Patient/'))
            ?.slice(8);
    if (patient !== undefined) owner.set(k, tenantOfPatient.get(patient)!);
  }
  for (const r of records) {
    const tenant = owner.get(key(r.resourceType as string, r.id as string));
    if (!tenant) continue;
    for (const ref of referencesOf(r)) if (byKey.has(ref) && !owner.has(ref)) owner.set(ref, tenant);
  }
  let next = 0;
  for (const k of [...byKey.keys()].sort()) if (!owner.has(k)) owner.set(k, tenantIds[next++ % 2]!);

  const tenants = new Map<string, TenantRecords>(tenantIds.map((t) => [t, new Map()]));
  for (const [k, resource] of byKey) {
    const types = tenants.get(owner.get(k)!)!;
    const type = resource.resourceType as string;
    if (!types.has(type)) types.set(type, new Map());
    types.get(type)!.set(resource.id as string, resource);
  }
  return { tenants, left };
}

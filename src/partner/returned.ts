/**
 * Every resource the partner returned during the run, judged for RES-VAL-1 (structural validity).
 * Suites that fetch FHIR data call `recordReturned` with what came back; Bundles are judged as an
 * envelope (their entries' resources are judged separately), so each resource is validated once.
 * Once the FHIR version is known and its validator loaded (META-02 loads it) a resource is validated
 * as it is recorded and only the verdict is kept: holding the resources themselves until RES-VAL-1
 * runs kept every large answer alive.
 */
import type { PartnerAccess } from './access.js';
import { returnedResources } from './facts.js';
import type { Evidence } from '../core/model.js';
import { isObject, objects, type Json } from '../core/json.js';
import {
  isValidatorLoaded,
  validateResource,
  type FhirVersion,
  type ValidationIssue,
} from '../fhir/validate.js';

/** What RES-VAL-1 needs of one resource's validation. */
export interface Validity {
  version: FhirVersion;
  /** How many issues it has; 0 when valid. */
  issues: number;
  first?: ValidationIssue;
}

export interface ReturnedResource {
  tenant: string;
  /** Its resourceType. */
  type: string;
  id?: string;
  /** Kept only while the version or its validator is not there yet; dropped once judged. */
  resource?: Json;
  validity?: Validity;
  /** `Patient/123`, or `Bundle <request>` for a Bundle envelope. */
  key: string;
  /** What returned it, e.g. `GET Observation?patient=…`. */
  source: string;
  /** The exchange that returned it, when the recorder had one. */
  evidence?: Evidence;
}

/** Keeps the run's memory bounded on a partner with huge answers; RES-VAL-1 says when it was reached. */
export const MAX_RETURNED = 20_000;

/** Records a returned resource, and every resource inside it when it is a Bundle. */
export function recordReturned(
  partner: Pick<PartnerAccess, 'ctx' | 'version'>,
  tenant: string,
  body: unknown,
  source: string,
  evidence?: Evidence,
): void {
  if (!isObject(body) || typeof body.resourceType !== 'string') return;
  const returned = partner.ctx.collect(returnedResources);
  const { version } = partner;
  const judgedNow = isValidatorLoaded(version);
  const add = (resource: Json, key: string): void => {
    const at = `${tenant}\u0000${key}`;
    if (returned.size >= MAX_RETURNED || returned.has(at)) return;
    const kept: ReturnedResource = { tenant, type: String(resource.resourceType), key, source };
    if (typeof resource.id === 'string') kept.id = resource.id;
    if (evidence) kept.evidence = evidence;
    if (judgedNow) kept.validity = validityOf(resource, version);
    else kept.resource = resource;
    returned.set(at, kept);
  };
  if (body.resourceType === 'Bundle') {
    const entries = objects(body.entry);
    // The envelope is checked without its resources: they are recorded (and checked) one by one.
    const envelope = Array.isArray(body.entry)
      ? { ...body, entry: entries.map(({ resource: _resource, ...rest }) => rest) }
      : body;
    add(envelope, `Bundle ${source}`);
    for (const entry of entries) {
      const resource = entry.resource;
      if (isObject(resource)) recordReturned(partner, tenant, resource, source, evidence);
    }
    return;
  }
  add(
    body,
    typeof body.id === 'string' ? `${body.resourceType}/${body.id}` : `${body.resourceType} ${source}`,
  );
}

export function validityOf(resource: unknown, version: FhirVersion): Validity {
  const issues = validateResource(resource, version);
  return issues.length === 0 ? { version, issues: 0 } : { version, issues: issues.length, first: issues[0]! };
}

/** The resource's validity against `version`: as recorded, or judged now when it was kept. */
export function validityAgainst(r: ReturnedResource, version: FhirVersion): Validity {
  if (r.validity?.version === version) return r.validity;
  return validityOf(r.resource, version);
}

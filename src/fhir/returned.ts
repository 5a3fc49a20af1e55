/**
 * Every resource the partner returned during the run, kept for RES-VAL-1 (structural validity).
 * Suites that fetch FHIR data call `recordReturned` with what came back; Bundles are kept as an
 * envelope (their entries' resources are kept separately), so each resource is validated once.
 */
import type { RunContext } from '../engine/context.js';
import type { Evidence } from '../report/model.js';
import { isObject, objects, type Json } from './capability.js';

export interface ReturnedResource {
  tenant: string;
  resource: Json;
  /** `Patient/123`, or `Bundle <request>` for a Bundle envelope. */
  key: string;
  /** What returned it, e.g. `GET Observation?patient=…`. */
  source: string;
  /** The exchange that returned it, when the recorder had one. */
  evidence?: Evidence;
}

declare module '../engine/state.js' {
  interface RunState {
    /** tenant + key → the first copy the partner returned. */
    returned?: Map<string, ReturnedResource>;
  }
}

/** Keeps the run's memory bounded on a partner with huge answers; RES-VAL-1 says when it was reached. */
export const MAX_RETURNED = 20_000;

/** Records a returned resource, and every resource inside it when it is a Bundle. */
export function recordReturned(
  ctx: RunContext,
  tenant: string,
  body: unknown,
  source: string,
  evidence?: Evidence,
): void {
  if (!isObject(body) || typeof body.resourceType !== 'string') return;
  const returned = (ctx.state.returned ??= new Map());
  const add = (resource: Json, key: string): void => {
    const at = `${tenant}\u0000${key}`;
    if (returned.size >= MAX_RETURNED || returned.has(at)) return;
    returned.set(at, { tenant, resource, key, source, ...(evidence ? { evidence } : {}) });
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
      if (isObject(resource)) recordReturned(ctx, tenant, resource, source, evidence);
    }
    return;
  }
  add(
    body,
    typeof body.id === 'string' ? `${body.resourceType}/${body.id}` : `${body.resourceType} ${source}`,
  );
}

/**
 * The probe patient's own data, per tenant and resource type, fetched once with the request its
 * profile entry names (`fetch`) and shared by the RES checks that judge it. A type the capability
 * statement does not list is "unsupported" and not fetched: the app lives without it.
 */
import { asTenant, fhirUrl } from '../auth/session.js';
import { skip, type Outcome } from '../engine/check.js';
import type { Json } from '../core/json.js';
import { runCache } from '../engine/facts.js';
import type { PartnerAccess } from './access.js';
import { describe } from '../http/exchange.js';
import type { ProfileResource } from '../profile/model.js';
import type { Evidence } from '../core/model.js';
import { isResource, type ResourceLike } from '../fhir/bundle.js';
import { resourceEntry } from '../fhir/capability.js';
import { evidenceOf, runSearch } from './paged-search.js';
import type { Probe } from './probe.js';
import { fillRequest, label, relativeUrl } from '../profile/requests.js';
import { recordReturned } from './returned.js';
import { probeValues, type ProbeValues } from '../fhir/search-values.js';

export type TypeData =
  | {
      status: 'ok';
      type: string;
      label: string;
      resources: ResourceLike[];
      evidence: Evidence[];
      truncated: boolean;
    }
  | { status: 'unsupported'; type: string; message: string }
  | { status: 'error'; type: string; message: string; evidence: Evidence[] };

/** The probe patients in the order the tenants were given. */
export function tenantProbes(partner: Pick<PartnerAccess, 'ctx' | 'probes'>): Probe[] {
  const { probes } = partner;
  const ordered = partner.ctx.options.tenants.map((t) => probes.get(t)).filter((p): p is Probe => !!p);
  for (const p of probes.values()) if (!ordered.includes(p)) ordered.push(p);
  return ordered;
}

/**
 * One check's rows for every tenant's probe patient, in tenant order and one probe at a time (a
 * check's requests never overlap), or a skip when discovery found no probe at all.
 */
export async function perProbe(
  partner: PartnerAccess,
  rows: (probe: Probe) => Promise<Outcome | Outcome[]>,
): Promise<Outcome | Outcome[]> {
  const probes = tenantProbes(partner);
  if (probes.length === 0) return skip('no probe patient is known for any tenant');
  const outcomes: Outcome[] = [];
  for (const probe of probes) outcomes.push(...[await rows(probe)].flat());
  return outcomes;
}

export function valuesOf(probe: Probe): ProbeValues {
  return probeValues(probe.patient, probe.id);
}

/** True when the capability statement lists the type (a required type is always treated as listed). */
export function isServed(rest: Json | undefined, resource: Pick<ProfileResource, 'type' | 'level'>): boolean {
  if (resource.level === 'required') return true;
  return !rest || resourceEntry(rest, resource.type) !== undefined;
}

export function subjectFor(type: string, probe: Probe): string {
  return `${type} @ tenant ${probe.tenant}`;
}

/**
 * tenant → type → the probe's instances of that type (a promise, so the checks that judge it share
 * it). The checks that read it name it in their `uses`, so it is dropped once they have run: a read
 * answer can be 20 MiB.
 */
export const probeData = runCache<Map<string, Map<string, Promise<TypeData>>>>(
  "the probe patients' data",
  () => new Map(),
);

export function patientData(
  partner: PartnerAccess,
  probe: Probe,
  resource: ProfileResource,
): Promise<TypeData> {
  const byTenant = partner.ctx.cached(probeData);
  let byType = byTenant.get(probe.tenant);
  if (!byType) byTenant.set(probe.tenant, (byType = new Map()));
  let data = byType.get(resource.type);
  if (!data) {
    data = fetchTypeData(partner, probe, resource);
    byType.set(resource.type, data);
  }
  return data;
}

async function fetchTypeData(
  partner: PartnerAccess,
  probe: Probe,
  resource: ProfileResource,
): Promise<TypeData> {
  const { ctx } = partner;
  const { type } = resource;
  if (!isServed(partner.rest, resource)) {
    return {
      status: 'unsupported',
      type,
      message: `${type} is not supported: the capability statement does not list it`,
    };
  }
  if (!resource.fetch)
    return { status: 'error', type, message: `the profile gives ${type} no fetch request`, evidence: [] };
  const filled = fillRequest(resource.fetch, valuesOf(probe));
  if (!filled.ok) {
    return {
      status: 'error',
      type,
      message: `the probe Patient/${probe.id} has no ${filled.missing} to fetch its ${type} with; name another probe with --probe-patient`,
      evidence: [],
    };
  }
  const request = filled.request;
  const isRead =
    request.method === 'GET' && /^[A-Za-z]+\/[^/]+$/.test(request.path) && !request.path.endsWith('/_search');
  if (isRead) {
    const exchange = await asTenant(ctx, partner.tokens, probe.tenant, {
      url: fhirUrl(ctx, relativeUrl(request)),
    });
    const evidence = [exchange.evidence];
    const body = exchange.status === 200 ? exchange.json() : undefined;
    if (!body?.ok || !isResource(body.value) || body.value.resourceType !== type) {
      const why = !body ? describe(exchange) : body.ok ? 'a body that is not a ' + type : body.reason;
      return { status: 'error', type, message: `${label(request)} answered ${why}`, evidence };
    }
    recordReturned(partner, probe.tenant, body.value, label(request), exchange.evidence);
    return { status: 'ok', type, label: label(request), resources: [body.value], evidence, truncated: false };
  }
  const result = await runSearch(partner, probe.tenant, request, { resultType: type });
  if (result.fatal) return { status: 'error', type, message: result.fatal, evidence: evidenceOf(result) };
  return {
    status: 'ok',
    type,
    label: result.label,
    resources: result.matches,
    evidence: evidenceOf(result),
    truncated: result.truncated,
  };
}

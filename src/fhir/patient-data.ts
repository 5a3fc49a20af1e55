/**
 * The probe patient's own data, per tenant and resource type, fetched once with the request its
 * profile entry names (`fetch`) and shared by the RES checks that judge it. A type the capability
 * statement does not list is "unsupported" and not fetched: the app lives without it.
 */
import { asTenant, fhirUrl } from '../auth/session.js';
import { skip, type Outcome } from '../engine/check.js';
import type { RunContext } from '../engine/context.js';
import type { FhirVersion } from '../engine/state.js';
import { describe } from '../http/exchange.js';
import type { ProfileResource } from '../profile/model.js';
import type { Evidence } from '../report/model.js';
import { isResource, type ResourceLike } from './bundle.js';
import { resourceEntry } from './capability.js';
import { evidenceOf, runSearch } from './paged-search.js';
import type { Probe } from './probe.js';
import { fillRequest, label, relativeUrl } from './requests.js';
import { recordReturned } from './returned.js';
import { probeValues, type ProbeValues } from './search-values.js';

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

declare module '../engine/state.js' {
  interface RunState {
    /**
     * tenant → type → the probe's instances of that type (a promise, so concurrent checks share it).
     * Only the RES checks read it (suites/resources.ts), and it is dropped once they have run.
     */
    patientData?: Map<string, Map<string, Promise<TypeData>>>;
  }
}

export function versionOf(ctx: RunContext): FhirVersion {
  const version = ctx.state.fhirVersion;
  if (!version) throw new Error('the FHIR version is not known (META-02 did not settle it)');
  return version;
}

/** The probe patients in the order the tenants were given. */
export function tenantProbes(ctx: RunContext): Probe[] {
  const probes = ctx.state.probes;
  if (!probes) return [];
  const ordered = ctx.options.tenants.map((t) => probes.get(t)).filter((p): p is Probe => !!p);
  for (const p of probes.values()) if (!ordered.includes(p)) ordered.push(p);
  return ordered;
}

/**
 * One check's rows for every tenant's probe patient, in tenant order and one probe at a time (a
 * check's requests never overlap), or a skip when discovery found no probe at all.
 */
export async function perProbe(
  ctx: RunContext,
  rows: (probe: Probe) => Promise<Outcome | Outcome[]>,
): Promise<Outcome | Outcome[]> {
  const probes = tenantProbes(ctx);
  if (probes.length === 0) return skip('no probe patient is known for any tenant');
  const outcomes: Outcome[] = [];
  for (const probe of probes) outcomes.push(...[await rows(probe)].flat());
  return outcomes;
}

export function valuesOf(probe: Probe): ProbeValues {
  return probeValues(probe.patient, probe.id);
}

/** True when the capability statement lists the type (a required type is always treated as listed). */
export function isServed(ctx: RunContext, resource: Pick<ProfileResource, 'type' | 'level'>): boolean {
  if (resource.level === 'required') return true;
  const rest = ctx.state.restServer;
  return !rest || resourceEntry(rest, resource.type) !== undefined;
}

export function subjectFor(type: string, probe: Probe): string {
  return `${type} @ tenant ${probe.tenant}`;
}

export function patientData(ctx: RunContext, probe: Probe, resource: ProfileResource): Promise<TypeData> {
  const byTenant = (ctx.state.patientData ??= new Map());
  let byType = byTenant.get(probe.tenant);
  if (!byType) byTenant.set(probe.tenant, (byType = new Map()));
  let data = byType.get(resource.type);
  if (!data) {
    data = fetchTypeData(ctx, probe, resource);
    byType.set(resource.type, data);
  }
  return data;
}

async function fetchTypeData(ctx: RunContext, probe: Probe, resource: ProfileResource): Promise<TypeData> {
  const { type } = resource;
  if (!isServed(ctx, resource)) {
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
    const exchange = await asTenant(ctx, probe.tenant, { url: fhirUrl(ctx, relativeUrl(request)) });
    const evidence = [exchange.evidence];
    const body = exchange.status === 200 ? exchange.json() : undefined;
    if (!body?.ok || !isResource(body.value) || body.value.resourceType !== type) {
      const why = !body ? describe(exchange) : body.ok ? 'a body that is not a ' + type : body.reason;
      return { status: 'error', type, message: `${label(request)} answered ${why}`, evidence };
    }
    recordReturned(ctx, probe.tenant, body.value, label(request), exchange.evidence);
    return { status: 'ok', type, label: label(request), resources: [body.value], evidence, truncated: false };
  }
  const result = await runSearch(ctx, probe.tenant, request, { resultType: type });
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

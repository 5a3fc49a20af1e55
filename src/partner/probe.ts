/**
 * The probe patient of a tenant: a patient the run knows exists there, either named with
 * --probe-patient or the first one a `_count=1` search returns. Search and resource checks derive their
 * query values from this patient's own data. ROUTE-01 finds them and provides them as a fact.
 */
import { asTenant, fhirUrl } from '../auth/session.js';
import type { TokenProvider } from '../auth/token-client.js';
import type { RunContext } from '../engine/context.js';
import { describe, type Exchange } from '../http/exchange.js';
import { isObject, objects, type Json } from '../core/json.js';

export interface Probe {
  tenant: string;
  id: string;
  patient: Json;
  source: 'configured' | 'discovered';
}

export type ProbeResult =
  { ok: true; probe: Probe; exchange: Exchange } | { ok: false; reason: string; exchange?: Exchange };

export async function findProbe(
  ctx: RunContext,
  tokens: TokenProvider,
  tenant: string,
): Promise<ProbeResult> {
  const configured = ctx.options.probePatients[tenant];
  if (configured) {
    const exchange = await asTenant(ctx, tokens, tenant, {
      url: fhirUrl(ctx, `Patient/${encodeURIComponent(configured)}`),
    });
    const body = exchange.status === 200 ? exchange.json() : undefined;
    if (body?.ok && isObject(body.value) && body.value.resourceType === 'Patient') {
      return {
        ok: true,
        exchange,
        probe: { tenant, id: configured, patient: body.value, source: 'configured' },
      };
    }
    return {
      ok: false,
      exchange,
      reason: `the configured probe Patient/${configured} could not be read: ${describe(exchange)}`,
    };
  }
  const exchange = await asTenant(ctx, tokens, tenant, { url: fhirUrl(ctx, 'Patient?_count=1') });
  if (exchange.status !== 200)
    return { ok: false, exchange, reason: `Patient?_count=1 answered ${describe(exchange)}` };
  const body = exchange.json();
  if (!body.ok) return { ok: false, exchange, reason: `Patient?_count=1 answered 200 but ${body.reason}` };
  const patient = isObject(body.value)
    ? objects(body.value.entry)
        .map((e) => e.resource)
        .find((r): r is Json => isObject(r) && r.resourceType === 'Patient' && typeof r.id === 'string')
    : undefined;
  if (!patient) return { ok: false, exchange, reason: 'Patient?_count=1 returned no Patient with an id' };
  return { ok: true, exchange, probe: { tenant, id: patient.id as string, patient, source: 'discovered' } };
}

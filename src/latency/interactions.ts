/**
 * The interactions LAT measures, as the app makes them: metadata without a token, a token request
 * for a tenant, a read of the probe patient, the app's searches, and a batch. Every request is
 * `quiet` (samples are not evidence: the rows attach the slowest one themselves); all but the token
 * request are `headOnly`, as a sample is timed and never read, and data requests
 * carry a current token from the run's token provider, which renews it on its own during long runs.
 * `lane` is the load mode's simulated user, who sends on a connection of their own.
 */
import { fhirUrl, sampleAsTenant } from '../auth/session.js';
import { requestToken, type TokenProvider } from '../auth/token-client.js';
import type { Json } from '../core/json.js';
import type { Profile } from '../profile/model.js';
import type { RunContext } from '../engine/context.js';
import type { FhirVersion } from '../core/fhir-version.js';
import type { Probe } from '../partner/probe.js';
import type { HttpRequest } from '../http/exchange.js';
import { isServed } from '../partner/patient-data.js';
import { relativeUrl } from '../profile/requests.js';
import { fhirJsonMediaType } from '../fhir/version.js';
import { batchUrls, latencyQueries, type LatencyQuery, type QueryContext } from './queries.js';
import type { Interaction } from './sampler.js';

/** What the data samples are sent with: the run, its tokens, and what it knows of the partner. */
export interface SampledPartner {
  readonly ctx: RunContext;
  readonly tokens: TokenProvider;
  /** STU3 when META-02 could not tell. */
  readonly version: FhirVersion;
  readonly profile: Profile | undefined;
  /** The capability statement's server entry, when META-03 found one: which types are served. */
  readonly rest: Json | undefined;
}

/** The tenant whose data is sampled: the first configured tenant that has a probe patient. */
export function sampledProbe(ctx: RunContext, probes: ReadonlyMap<string, Probe>): Probe | undefined {
  for (const tenant of ctx.options.tenants) {
    const probe = probes.get(tenant);
    if (probe) return probe;
  }
  return undefined;
}

export function metadataInteraction(ctx: RunContext): Interaction {
  const url = `${ctx.options.baseUrl.replace(/\/+$/, '')}/metadata`;
  return {
    cls: 'metadata',
    label: 'GET metadata',
    send: (lane) => ctx.client.request({ url, quiet: true, headOnly: true, lane }),
  };
}

/** `clientSecret` is the secret that works now (after a rotation, the new one). */
export function tokenInteraction(
  ctx: RunContext,
  tokenUrl: string,
  tenant: string,
  clientSecret = ctx.options.clientSecret,
): Interaction {
  const { clientId, tokenAuthMethod } = ctx.options;
  return {
    cls: 'token',
    label: 'POST token (client_credentials)',
    async send(lane) {
      const { exchange } = await requestToken(
        ctx.client,
        tokenUrl,
        { clientId, clientSecret, scope: tenant, method: tokenAuthMethod, quiet: true, lane },
        ctx.redactor,
      );
      return exchange;
    },
  };
}

export function readInteraction(partner: SampledPartner, probe: Probe): Interaction {
  const { ctx, tokens } = partner;
  const req = { url: fhirUrl(ctx, `Patient/${encodeURIComponent(probe.id)}`), quiet: true, headOnly: true };
  return {
    cls: 'read',
    label: 'GET Patient/{probe.id}',
    send: (lane) => sampleAsTenant(ctx, tokens, probe.tenant, req, lane),
  };
}

export function searchInteraction(partner: SampledPartner, tenant: string, query: LatencyQuery): Interaction {
  const { ctx, tokens } = partner;
  const { request } = query;
  // Built once: the load mode sends the same search tens of thousands of times.
  const req: HttpRequest =
    request.method === 'POST'
      ? {
          method: 'POST',
          url: fhirUrl(ctx, request.path),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(request.params).toString(),
          quiet: true,
          headOnly: true,
        }
      : { url: fhirUrl(ctx, relativeUrl(request)), quiet: true, headOnly: true };
  return {
    cls: 'search',
    label: query.label,
    send: (lane) => sampleAsTenant(ctx, tokens, tenant, req, lane),
  };
}

/** A batch of GET entries as the app posts it. */
export function batchBundle(urls: readonly string[]): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: urls.map((url) => ({ request: { method: 'GET', url } })),
  };
}

export function batchInteraction(
  partner: SampledPartner,
  probe: Probe,
  queries: readonly LatencyQuery[],
): Interaction {
  const { ctx, tokens } = partner;
  const url = ctx.options.baseUrl.replace(/\/+$/, '');
  const entries = batchUrls(queryContext(partner), probe, queries);
  const req: HttpRequest = {
    method: 'POST',
    url,
    headers: { 'content-type': fhirJsonMediaType[partner.version] },
    body: JSON.stringify(batchBundle(entries)),
    quiet: true,
    headOnly: true,
  };
  return {
    cls: 'batch',
    label: `POST batch of ${entries.length} GET entries`,
    send: (lane) => sampleAsTenant(ctx, tokens, probe.tenant, req, lane),
  };
}

function queryContext(partner: SampledPartner): QueryContext {
  return {
    version: partner.version,
    ...(partner.profile ? { profile: partner.profile } : {}),
    served: (resource) => isServed(partner.rest, resource),
  };
}

export function queriesFor(partner: SampledPartner, probe: Probe): LatencyQuery[] {
  return latencyQueries(queryContext(partner), probe);
}

/** Makes sure a token exists before timing starts, so the first data sample does not include one. */
export async function primeToken(tokens: TokenProvider, tenant: string): Promise<void> {
  await tokens.get(tenant);
}

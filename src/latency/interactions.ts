/**
 * The interactions LAT measures, as the app makes them: metadata without a token, a token request
 * for a tenant, a read of the probe patient, the app's searches, and a batch. Every request is
 * `quiet` (samples are not evidence: the rows attach the slowest one themselves); all but the token
 * request are `headOnly`, as a sample is timed and never read, and data requests
 * carry a current token from the run's token provider, which renews it on its own during long runs.
 * `lane` is the load mode's simulated user, who sends on a connection of their own.
 */
import { fhirUrl, sampleAsTenant, tokenProvider } from '../auth/session.js';
import { requestToken } from '../auth/token-client.js';
import type { RunContext } from '../engine/context.js';
import type { FhirVersion } from '../engine/state.js';
import type { Probe } from '../fhir/probe.js';
import type { HttpRequest } from '../http/exchange.js';
import { isServed } from '../fhir/patient-data.js';
import { relativeUrl } from '../fhir/requests.js';
import { fhirJsonMediaType } from '../fhir/version.js';
import { batchUrls, latencyQueries, type LatencyQuery, type QueryContext } from './queries.js';
import type { Interaction } from './sampler.js';

export function versionOf(ctx: RunContext): FhirVersion {
  return ctx.state.fhirVersion ?? 'stu3';
}

/** The tenant whose data is sampled: the first configured tenant that has a probe patient. */
export function sampledProbe(ctx: RunContext): Probe | undefined {
  for (const tenant of ctx.options.tenants) {
    const probe = ctx.state.probes?.get(tenant);
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
  tenant: string,
  clientSecret = ctx.options.clientSecret,
): Interaction {
  const { clientId, tokenAuthMethod } = ctx.options;
  const tokenUrl = ctx.state.tokenUrl;
  return {
    cls: 'token',
    label: 'POST token (client_credentials)',
    async send(lane) {
      if (!tokenUrl) throw new Error('no token URL is known (META-04 did not find one)');
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

export function readInteraction(ctx: RunContext, probe: Probe): Interaction {
  const req = { url: fhirUrl(ctx, `Patient/${encodeURIComponent(probe.id)}`), quiet: true, headOnly: true };
  return {
    cls: 'read',
    label: 'GET Patient/{probe.id}',
    send: (lane) => sampleAsTenant(ctx, probe.tenant, req, lane),
  };
}

export function searchInteraction(ctx: RunContext, tenant: string, query: LatencyQuery): Interaction {
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
    send: (lane) => sampleAsTenant(ctx, tenant, req, lane),
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
  ctx: RunContext,
  probe: Probe,
  queries: readonly LatencyQuery[],
): Interaction {
  const url = ctx.options.baseUrl.replace(/\/+$/, '');
  const entries = batchUrls(queryContext(ctx), probe, queries);
  const req: HttpRequest = {
    method: 'POST',
    url,
    headers: { 'content-type': fhirJsonMediaType[versionOf(ctx)] },
    body: JSON.stringify(batchBundle(entries)),
    quiet: true,
    headOnly: true,
  };
  return {
    cls: 'batch',
    label: `POST batch of ${entries.length} GET entries`,
    send: (lane) => sampleAsTenant(ctx, probe.tenant, req, lane),
  };
}

function queryContext(ctx: RunContext): QueryContext {
  return {
    version: versionOf(ctx),
    ...(ctx.state.profile ? { profile: ctx.state.profile } : {}),
    served: (resource) => isServed(ctx, resource),
  };
}

export function queriesFor(ctx: RunContext, probe: Probe): LatencyQuery[] {
  return latencyQueries(queryContext(ctx), probe);
}

/** Makes sure a token exists before timing starts, so the first data sample does not include one. */
export async function primeToken(ctx: RunContext, tenant: string): Promise<void> {
  await (await tokenProvider(ctx)).get(tenant);
}

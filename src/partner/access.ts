/**
 * What the data checks reach the probe patients' data with: the run's context and the facts each of
 * them is judged on, declared once so that every RES, SRCH and BATCH check uses the same ones.
 */
import type { TokenProvider } from '../auth/token-client.js';
import type { FhirVersion } from '../core/fhir-version.js';
import type { Json } from '../core/json.js';
import type { RunContext } from '../engine/context.js';
import type { Given } from '../engine/facts.js';
import type { Profile } from '../profile/model.js';
import { fhirVersion, probes, profile, restServer, returnedResources, tokens } from './facts.js';
import type { Probe } from './probe.js';

export interface PartnerAccess {
  readonly ctx: RunContext;
  readonly tokens: TokenProvider;
  readonly version: FhirVersion;
  /** The capability statement's server entry: which types the partner serves. */
  readonly rest: Json;
  readonly probes: ReadonlyMap<string, Probe>;
  readonly profile: Profile;
}

/** The `uses` of a data check. */
export const dataFacts = { tokens, fhirVersion, rest: restServer, probes, profile };

/** The `adds` of a data check: every resource it is returned is judged by RES-VAL-1. */
export const dataAdds = [returnedResources];

export function partnerAccess(ctx: RunContext, given: Given<typeof dataFacts>): PartnerAccess {
  return {
    ctx,
    tokens: given.tokens,
    version: given.fhirVersion.version,
    rest: given.rest,
    probes: given.probes,
    profile: given.profile,
  };
}

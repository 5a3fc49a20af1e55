/**
 * What a run learns about the partner, one fact at a time, and which check learns it. Checks declare
 * these in `uses` and `provides` (src/engine/facts.ts); the report's target reads the first four.
 */
import type { Json } from '../core/json.js';
import type { Evidence, Status } from '../core/model.js';
import type { FhirVersion } from '../core/fhir-version.js';
import { collection, fact, runCache } from '../engine/facts.js';
import type { TokenProvider } from '../auth/token-client.js';
import type { IssuedToken } from '../auth/token-response.js';
import type { KeptAnswer } from '../http/exchange.js';
import type { Profile } from '../profile/model.js';
import type { FilledRequest } from '../profile/requests.js';
import type { SearchQuery } from '../profile/model.js';
import type { SearchResult } from './paged-search.js';
import type { Probe } from './probe.js';
import type { ReturnedResource } from './returned.js';

/** META-01: the capability statement as the partner sent it, and the exchange it came in. */
export const capabilityStatement = fact<{ statement: Json; answer: KeptAnswer; evidence: Evidence }>(
  'the capability statement',
);

/**
 * META-01: the statement was served without a token, for checks that need only that (LAT-01, LAT-06)
 * and so need not keep the statement itself alive (it is dropped after the META checks).
 */
export const metadataServed = fact<true>('a capability statement served without a token');

/** META-02: the version the run certifies, and the literal fhirVersion the partner declared. */
export const fhirVersion = fact<{ version: FhirVersion; declared: string | undefined }>('the FHIR version', {
  keep: true,
});

/** META-02: the requirement profile for that version (or the one the run was given). */
export const profile = fact<Profile>('the requirement profile', { keep: true });

/** META-04: the token URL the capability statement declares. */
export const tokenUrl = fact<string>('the token URL', { keep: true });

/**
 * The token URL when META-04 did not run (`--only SEC`) and the transport checks read it themselves,
 * so that the report's target still names where the credentials would go.
 */
export const statedTokenUrl = runCache<{ url?: string }>('the token URL the SEC checks read', () => ({}));

/** META-03: the capability statement's `rest` entry with mode = server. */
export const restServer = fact<Json>("the capability statement's server entry");

/** META-06: the capability statement's Patient entry, listed with read and search-type. */
export const patientListed = fact<Json>("the capability statement's Patient entry");

/** AUTH-01: tokens for each tenant, with the working secret. */
export const tokens = fact<TokenProvider>('a working token provider');

/** AUTH-01: the token it obtained for the first tenant, with its exchange. */
export const firstToken = fact<{ exchange: KeptAnswer; token: IssuedToken; tenant: string }>(
  "the first tenant's token",
);

/** ROUTE-01: each tenant's probe patient. */
export const probes = fact<ReadonlyMap<string, Probe>>('the probe patients');

/** BATCH-1's verdict, so that LAT-05 times only a batch that BATCH-1 did not fail. */
export const batchJudged = fact<true>('a batch that BATCH-1 accepted');

export interface TokenAnswerSeen {
  status: number;
  evidence: Evidence;
  /** Where the answer echoed a known secret (`the body`, `the x-echo header`), when it did. */
  echoedIn?: string;
}

/**
 * Every token-endpoint answer the AUTH and ROUTE checks got, for AUTH-11: searched for an echoed
 * secret when it arrived, so only the evidence is kept, not a body that may be 20 MiB.
 */
export const tokenAnswers = collection<TokenAnswerSeen[]>('the token answers', () => []);

/** tenant + key → the first copy of each resource the partner returned, for RES-VAL-1. */
export const returnedResources = collection<Map<string, ReturnedResource>>(
  'the returned resources',
  () => new Map(),
);

export interface SearchRun {
  query: SearchQuery;
  tenant: string;
  request: FilledRequest;
  result: SearchResult;
}

/** `tenant query-id` → the search as the SRCH checks ran it (for SRCH-CNT-1 and BATCH-1). */
export const searchRuns = collection<Map<string, SearchRun>>('the searches run', () => new Map());

/** interaction label → the verdict of its sequential latency row, so LAT-06 judges only what load adds. */
export const latencyVerdicts = collection<Map<string, Status>>('the latency verdicts', () => new Map());

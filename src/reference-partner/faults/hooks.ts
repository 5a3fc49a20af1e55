/**
 * What a named fault is and where it may hook into the reference partner. A fault is one object: its
 * name, the requirement it breaks, one line on what it breaks, hooks into token, capability,
 * resource (mapping) or request handling, and the detector that proves the requirement broken. A
 * partner without faults behaves as if no hook were set; the partner's modules call the hooks (through
 * ActiveFaults) at the few points where a fault can bend them.
 */
import type { BatchAnswer } from '../bundle.js';
import type { ReferencePartner, ReferencePartnerOptions } from '../partner.js';
import type { FhirVersion } from '../versions.js';

/** The parts of the capability statement a fault can change, before the statement is rendered. */
export interface CapabilityDraft {
  readonly version: FhirVersion;
  fhirVersion: string;
  /** rest.mode of the server's entry. */
  mode: string;
  /** The oauth-uris `token` URL. */
  tokenUrl: string;
  /** security.service names OAuth. */
  securityService: boolean;
  /** Batch is declared (STU3 rest.interaction, DSTU2 rest.transactionMode). */
  batch: boolean;
  resources: Array<{
    readonly type: string;
    interactions: string[];
    searchParams: Array<[name: string, type: string]>;
  }>;
}

/** A mapped resource, as the store will serialise it. */
export type MappedResource = Record<string, unknown> & { resourceType: string; id: string };

/** What a conformant token endpoint refuses. */
export type TokenRequestFlaw =
  | 'unknown-client'
  | 'wrong-secret'
  /** The secret a rotation replaced (also a wrong secret). */
  | 'retired-secret'
  | 'missing-grant-type'
  | 'unsupported-grant-type'
  | 'missing-scope'
  /** A scope that is not a GUID. */
  | 'malformed-scope'
  | 'unknown-tenant';

/** How a fault answers a token request flaw instead of refusing it with an OAuth error. */
export type FlawAnswer = 'accept' | 'server-error';

/** What a conformant partner refuses on a data request. */
export type BearerFlaw =
  /** No Authorization header: a fault that accepts it serves the first tenant. */
  | 'missing'
  | 'bad-signature'
  | 'expired'
  /** The token names a tenant this partner does not serve: accepted means the first tenant. */
  | 'unknown-tenant'
  /** The token names no tenant at all: accepted means the first tenant. */
  | 'no-tenant';

/** A token answer about to be sent (client credentials grant). */
export interface TokenAnswer {
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** The client secret the request authenticated with. */
  readonly clientSecret: string;
}

export interface TokenHooks {
  /** A token request the conformant partner refuses: let it through, or fail with HTTP 500. */
  requestFlaw?(flaw: TokenRequestFlaw): FlawAnswer | undefined;
  /** A bearer token the conformant partner refuses on a data request: true lets it through. */
  bearerFlaw?(flaw: BearerFlaw): boolean;
  /** The claims of a JWT about to be signed; the server still expires the token after expires_in. */
  claims?(claims: { iat: number; exp: number }): void;
  answer?(answer: TokenAnswer): void;
}

/** The interactions whose answers a fault can delay. */
export const INTERACTIONS = ['metadata', 'token', 'read', 'search', 'batch'] as const;

export type Interaction = (typeof INTERACTIONS)[number];

/** What a fault makes of one search parameter instead of applying it. */
export type SearchParamEffect = 'ignored' | 'matches-nothing';

export interface RequestHooks {
  /** Extra milliseconds before an answer to this interaction. */
  delayMs?(interaction: Interaction): number;
  /** The Content-Type of every FHIR answer, given the conformant one. */
  contentType?(conformant: string): string;
  /** GET metadata needs a bearer token as data requests do. */
  metadataNeedsToken?: boolean;
  /** Every data request is held `holdMs`; one that overlaps another answers 503. */
  overlapping?: { holdMs: number };
  /** Error OperationOutcomes carry a stack trace. */
  stackTraces?: boolean;
  /** Patient searches with a token of the first tenant find nothing. */
  hidesFirstTenantPatients?: boolean;
  /** A read of an id the tenant does not hold looks in the other tenant's data. */
  readsOtherTenant?: boolean;
  /** The status of a read of an unknown id (conformant: 404). */
  unknownIdStatus?: number;
  /**
   * One search parameter of a type. `param` is the parameter's name without modifier, or `patient` for
   * any parameter that names the patient (patient, subject, subscriber, beneficiary).
   */
  searchParam?(type: string, param: string): SearchParamEffect | undefined;
  /** An order a type's searches always use, whatever _sort asks. */
  sortOrder?(type: string): { key: string; descending: boolean } | undefined;
  /** The entries of a batch-response, in order, before it is rendered. */
  batchEntries?(entries: BatchAnswer[]): void;
}

/**
 * A fault's detector, written against the reference partner over plain HTTP without the harness's
 * code: it returns the problems it saw (none = the requirement holds). The fault tests run it against
 * a conformant partner (must hold) and against one with its fault on (must not hold), and the
 * narrowness test runs every detector against every other fault (must hold).
 */
export interface FaultDetector {
  options?: ReferencePartnerOptions;
  /** Takes seconds (waits out a token or measures a delay): left out of the narrowness sweep. */
  slow?: boolean;
  /** Changes server state (a secret rotation): needs a partner of its own. */
  mutates?: boolean;
  run(p: ReferencePartner, v: FhirVersion): Promise<string[]>;
}

export interface FaultPlugin {
  /** The name `--fault` takes. */
  name: string;
  /** The catalogue ID of the requirement the fault breaks. */
  requirement: string;
  /** What the fault breaks, in one line. */
  description: string;
  token?: TokenHooks;
  capability?(draft: CapabilityDraft): void;
  /** Breaks a conformant resource (in place) before it is stored. */
  resource?(resource: MappedResource, version: FhirVersion): void;
  request?: RequestHooks;
  detect: FaultDetector;
  /**
   * What the harness's failing row for this requirement says with the fault on: proof it fails for
   * this reason, not another. The family fault tests that judge messages require it of every fault.
   */
  rowSays?: RegExp;
}

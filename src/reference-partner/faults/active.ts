/**
 * The faults switched on in one partner, composed: the partner's modules ask this object at each hook
 * point, and with no fault on every answer is the conformant one.
 */
import type { BatchAnswer } from '../bundle.js';
import type { FhirVersion } from '../versions.js';
import type {
  BearerFlaw,
  CapabilityDraft,
  FaultPlugin,
  FlawAnswer,
  Interaction,
  MappedResource,
  RequestHooks,
  SearchParamEffect,
  TokenAnswer,
  TokenRequestFlaw,
} from './hooks.js';

type RequestSwitch = 'metadataNeedsToken' | 'stackTraces' | 'hidesFirstTenantPatients' | 'readsOtherTenant';

export class ActiveFaults {
  constructor(private readonly plugins: readonly FaultPlugin[]) {}

  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  capability(draft: CapabilityDraft): void {
    for (const p of this.plugins) p.capability?.(draft);
  }

  resource(resource: MappedResource, version: FhirVersion): void {
    for (const p of this.plugins) p.resource?.(resource, version);
  }

  /** The first fault that answers the flaw decides; undefined: refuse it as a conformant partner does. */
  tokenRequestFlaw(flaw: TokenRequestFlaw): FlawAnswer | undefined {
    for (const p of this.plugins) {
      const answer = p.token?.requestFlaw?.(flaw);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  bearerAccepted(flaw: BearerFlaw): boolean {
    return this.plugins.some((p) => p.token?.bearerFlaw?.(flaw) === true);
  }

  tokenClaims(claims: { iat: number; exp: number }): void {
    for (const p of this.plugins) p.token?.claims?.(claims);
  }

  tokenAnswer(answer: TokenAnswer): void {
    for (const p of this.plugins) p.token?.answer?.(answer);
  }

  delayMs(interaction: Interaction): number {
    return this.plugins.reduce((sum, p) => sum + (p.request?.delayMs?.(interaction) ?? 0), 0);
  }

  contentType(conformant: string): string {
    return this.plugins.reduce((type, p) => p.request?.contentType?.(type) ?? type, conformant);
  }

  switchedOn(name: RequestSwitch): boolean {
    return this.plugins.some((p) => p.request?.[name] === true);
  }

  overlapping(): RequestHooks['overlapping'] {
    return this.plugins.find((p) => p.request?.overlapping)?.request?.overlapping;
  }

  unknownIdStatus(): number | undefined {
    return this.plugins.find((p) => p.request?.unknownIdStatus !== undefined)?.request?.unknownIdStatus;
  }

  searchParam(type: string, param: string): SearchParamEffect | undefined {
    for (const p of this.plugins) {
      const effect = p.request?.searchParam?.(type, param);
      if (effect !== undefined) return effect;
    }
    return undefined;
  }

  sortOrder(type: string): { key: string; descending: boolean } | undefined {
    for (const p of this.plugins) {
      const order = p.request?.sortOrder?.(type);
      if (order !== undefined) return order;
    }
    return undefined;
  }

  batchEntries(entries: BatchAnswer[]): void {
    for (const p of this.plugins) p.request?.batchEntries?.(entries);
  }
}

/** A conformant partner's faults: none. */
export const NO_FAULTS = new ActiveFaults([]);

/**
 * Named faults: each switches on one nonconformity, named after the requirement ID it breaks, so a
 * test can prove that the check for that requirement can fail. Faults are kept narrow: one switched on
 * should break its own requirement and, as far as possible, nothing else. Each fault is one object in
 * its family's file; a requirement without a fault is listed in NOT_FAULTABLE with the reason.
 */
import { ActiveFaults } from './active.js';
import { authFaults } from './auth.js';
import { batchFaults } from './batch.js';
import type { FaultPlugin } from './hooks.js';
import { latencyFaults } from './latency.js';
import { metadataFaults } from './metadata.js';
import { resourceFaults } from './resources.js';
import { routingFaults } from './routing.js';
import { searchFaults } from './search.js';
import { securityFaults } from './security.js';

export { ActiveFaults, NO_FAULTS } from './active.js';
export type { FaultPlugin } from './hooks.js';

export interface FaultInfo {
  name: string;
  requirement: string;
  description: string;
}

export const FAULTS: readonly FaultPlugin[] = [
  ...metadataFaults,
  ...authFaults,
  ...routingFaults,
  ...resourceFaults,
  ...searchFaults,
  ...batchFaults,
  ...latencyFaults,
  ...securityFaults,
];

/** Requirements no fault breaks, each with the reason. */
export const NOT_FAULTABLE: Readonly<Record<string, string>> = {
  'SEC-01':
    "the scheme is the partner's transport, chosen by its options, not a fault: over http it fails SEC-01 as is",
  'SEC-02':
    'the TLS version and certificate come from the TLS options; the TLS tests serve old versions and bad certificates',
};

export function listFaults(): FaultInfo[] {
  return FAULTS.map(({ name, requirement, description }) => ({ name, requirement, description }));
}

/**
 * Fault names as the catalogue spells them, matched without regard to case ("lat-06" is LAT-06), and
 * the names that match nothing.
 */
export function canonicalFaultNames(names: readonly string[]): { known: string[]; unknown: string[] } {
  const byUpper = new Map(FAULTS.map((f) => [f.name.toUpperCase(), f.name]));
  const known: string[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const canonical = byUpper.get(name.trim().toUpperCase());
    if (canonical === undefined) unknown.push(name);
    else if (!known.includes(canonical)) known.push(canonical);
  }
  return { known, unknown };
}

/**
 * The faults named (in any case), in the order given; throws an Error that lists every valid name.
 */
export function parseFaults(names: readonly string[] | undefined): ActiveFaults {
  const { known, unknown } = canonicalFaultNames(names ?? []);
  if (unknown.length > 0) {
    throw new Error(
      `unknown fault name${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ` +
        `valid names: ${FAULTS.map((f) => f.name).join(', ')}`,
    );
  }
  return new ActiveFaults(known.map((name) => FAULTS.find((f) => f.name === name)!));
}

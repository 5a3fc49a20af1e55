/**
 * The catalogue and the reference partner's fault list, by family: what each family's fault test loops
 * over, so a requirement added to the catalogue without a fault (or a stated reason) fails a test.
 */
import { expect } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { NOT_FAULTABLE } from '../../src/reference-partner/faults/index.js';
import { listFaults, type FaultInfo } from '../../src/reference-partner/index.js';

/** The catalogue's requirement IDs of one family, in catalogue order. */
export function familyRequirements(family: string): string[] {
  return [...requirements.values()].filter((r) => r.family === family).map((r) => r.id);
}

/** The reference partner's faults that break a requirement of the family. */
export function faultsOf(family: string): FaultInfo[] {
  return listFaults().filter((f) => requirements.get(f.requirement)?.family === family);
}

/** A fault fails its row, or warns when the requirement is recommended. */
export function expectedStatus(requirement: string): 'fail' | 'warn' {
  return requirements.get(requirement)?.level === 'recommended' ? 'warn' : 'fail';
}

/** Every requirement of the family has a fault, or is listed as not faultable with the reason. */
export function expectEveryRequirementFaulted(family: string): void {
  const faulted = new Set(faultsOf(family).map((f) => f.requirement));
  const ids = familyRequirements(family);
  expect(ids.length, family).toBeGreaterThan(0);
  expect(ids.filter((id) => !faulted.has(id) && !(id in NOT_FAULTABLE))).toEqual([]);
}

/**
 * The requirements of a family that a test expects something of: exactly the family's faulted
 * requirements, each once, so a new fault without an expectation fails as well.
 */
export function expectCovers(family: string, covered: string[]): void {
  expect([...covered].sort()).toEqual(
    faultsOf(family)
      .map((f) => f.requirement)
      .sort(),
  );
}

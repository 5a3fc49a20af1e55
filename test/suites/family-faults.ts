/**
 * The catalogue and the reference partner's fault list, by family: what each family's fault test loops
 * over, so a requirement added to the catalogue without a fault (or a stated reason) fails a test.
 */
import { expect } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { FAULTS, NOT_FAULTABLE, type FaultPlugin } from '../../src/reference-partner/faults/index.js';

/** The catalogue's requirement IDs of one family, in catalogue order. */
export function familyRequirements(family: string): string[] {
  return [...requirements.values()].filter((r) => r.family === family).map((r) => r.id);
}

/** The reference partner's faults that break a requirement of the family. */
export function faultsOf(family: string): FaultPlugin[] {
  return FAULTS.filter((f) => requirements.get(f.requirement)?.family === family);
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
 * Every fault of the family says what its failing row says (`rowSays`), but the faults a test judges
 * apart, each of which must be a fault of the family: so a new fault without an expected message
 * fails as well.
 */
export function expectEveryFaultSaysItsRow(family: string, testedApart: readonly string[] = []): void {
  const faults = faultsOf(family);
  const silent = faults.filter((f) => f.rowSays === undefined && !testedApart.includes(f.name));
  expect(
    silent.map((f) => f.name),
    `${family} faults without rowSays`,
  ).toEqual([]);
  const strays = testedApart.filter((name) => !faults.some((f) => f.name === name));
  expect(strays, `tested apart, but not a fault of ${family}`).toEqual([]);
}

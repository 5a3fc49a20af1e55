/**
 * Every named fault, table-driven over FAULTS: its own detector (the plugin's `detect`) holds on a
 * conformant partner and fails with the fault switched on, for DSTU2 and STU3. A requirement of the
 * catalogue that has no fault and no reason fails here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { FAULTS, NOT_FAULTABLE } from '../../src/reference-partner/faults/index.js';
import type { ReferencePartner, ReferencePartnerOptions } from '../../src/reference-partner/index.js';
import { listFaults, startReferencePartner } from '../../src/reference-partner/index.js';

const VERSIONS = ['dstu2', 'stu3'] as const;

const started: ReferencePartner[] = [];
async function start(options: ReferencePartnerOptions): Promise<ReferencePartner> {
  const p = await startReferencePartner(options);
  started.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(started.map((p) => p.close()));
});

describe('fault catalogue', () => {
  it('names each fault after a requirement ID of the catalogue, once', () => {
    for (const f of listFaults()) {
      expect(requirements.has(f.requirement), f.name).toBe(true);
      expect(f.name).toBe(f.requirement);
      expect(f.description.length).toBeGreaterThan(10);
    }
    const names = listFaults().map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every fault at least one hook', () => {
    const hookless = FAULTS.filter((f) => !f.token && !f.capability && !f.resource && !f.request);
    expect(hookless.map((f) => f.name)).toEqual([]);
  });

  it('has a fault for every requirement not listed as not faultable, with the reason', () => {
    const faulted = new Set(listFaults().map((f) => f.requirement));
    const missing = [...requirements.keys()].filter((id) => !faulted.has(id) && !(id in NOT_FAULTABLE));
    expect(missing).toEqual([]);
    for (const [id, reason] of Object.entries(NOT_FAULTABLE)) {
      expect(requirements.has(id), id).toBe(true);
      expect(faulted.has(id), `${id} is listed as not faultable but has a fault`).toBe(false);
      expect(reason.length, id).toBeGreaterThan(20);
    }
  });

  it('gives every fault a detector of its own, not one copied with another plugin', () => {
    // A plugin made by spreading another one would carry a detector that judges the other requirement.
    const owners = new Map<unknown, string>();
    const shared: string[] = [];
    for (const f of FAULTS) {
      const owner = owners.get(f.detect.run);
      if (owner) shared.push(`${f.name} shares the detector of ${owner}`);
      else owners.set(f.detect.run, f.name);
    }
    expect(shared).toEqual([]);
  });

  it('refuses an unknown fault name and lists the valid ones', async () => {
    await expect(startReferencePartner({ faults: ['NOPE-1'] })).rejects.toThrow(
      /unknown fault name "NOPE-1".*valid names: META-01/,
    );
  });
});

describe.concurrent('each fault breaks its own requirement', () => {
  it.each(FAULTS)('$name: $description', async ({ name, detect: detector }) => {
    const conformant = await start({ ...detector.options });
    const faulty = await start({ ...detector.options, faults: [name] });
    for (const version of VERSIONS) {
      expect(await detector.run(conformant, version), `${name} on a conformant ${version} partner`).toEqual(
        [],
      );
      expect(
        (await detector.run(faulty, version)).length,
        `${name} switched on (${version})`,
      ).toBeGreaterThan(0);
    }
  });
});

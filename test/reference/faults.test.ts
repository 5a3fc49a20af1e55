/**
 * Every named fault, table-driven over listFaults(): the probe of its requirement holds on a conformant
 * partner and fails with the fault switched on, for DSTU2 and STU3. A fault without a probe fails here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import type { ReferencePartner, ReferencePartnerOptions } from '../../src/reference/index.js';
import { listFaults, startReferencePartner } from '../../src/reference/index.js';
import { probes } from './probes.js';

const VERSIONS = ['dstu2', 'stu3'] as const;
/** Transport requirements: the reference serves plain HTTP in tests, so these have no fault. */
const NOT_FAULTED = new Set(['SEC-01', 'SEC-02']);

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
  it('names each fault after a requirement ID of the catalogue', () => {
    for (const f of listFaults()) {
      expect(requirements.has(f.requirement), f.name).toBe(true);
      expect(f.name).toBe(f.requirement);
      expect(f.description.length).toBeGreaterThan(10);
    }
  });

  it('has a fault for every requirement but the transport ones', () => {
    const faulted = new Set(listFaults().map((f) => f.requirement));
    const missing = [...requirements.keys()].filter((id) => !faulted.has(id) && !NOT_FAULTED.has(id));
    expect(missing).toEqual([]);
  });

  it('has a probe for every fault', () => {
    expect(
      listFaults()
        .filter((f) => !probes[f.name])
        .map((f) => f.name),
    ).toEqual([]);
  });

  it('refuses an unknown fault name and lists the valid ones', async () => {
    await expect(startReferencePartner({ faults: ['NOPE-1'] })).rejects.toThrow(
      /unknown fault name "NOPE-1".*valid names: META-01/,
    );
  });
});

describe.concurrent('each fault breaks its own requirement', () => {
  it.each(listFaults())('$name: $description', async ({ name }) => {
    const probe = probes[name];
    expect(probe, `no probe for ${name}`).toBeDefined();
    if (!probe) return;
    const conformant = await start({ ...probe.options });
    const faulty = await start({ ...probe.options, faults: [name] });
    for (const version of VERSIONS) {
      expect(await probe.run(conformant, version), `${name} on a conformant ${version} partner`).toEqual([]);
      expect((await probe.run(faulty, version)).length, `${name} switched on (${version})`).toBeGreaterThan(
        0,
      );
    }
  });
});

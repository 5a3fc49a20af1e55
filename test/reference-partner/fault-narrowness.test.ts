/**
 * Faults are narrow: with one fault switched on, the detectors of every other requirement still hold.
 * The slow detectors (token expiry, latency) and the latency faults are left out to keep this quick; the
 * known, unavoidable overlaps are listed with their reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FAULTS } from '../../src/reference-partner/faults/index.js';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import { listFaults, startReferencePartner } from '../../src/reference-partner/index.js';

const ALLOWED_OVERLAP: Record<string, string[]> = {
  // Accepting any secret also accepts the secret a rotation retired.
  'AUTH-03': ['AUTH-10'],
  // With tenant A's patients hidden there is no tenant A patient to try on tenant B.
  'ROUTE-01': ['ROUTE-02'],
};

const started: ReferencePartner[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.close()));
});

const faults = listFaults().filter((f) => !f.name.startsWith('LAT-'));
const fastDetectors = FAULTS.filter(({ detect: d }) => !d.slow && !d.options).map(
  (f) => [f.name, f.detect] as const,
);

describe.concurrent('faults are narrow', () => {
  it.each(faults)('$name breaks no other requirement', async ({ name }) => {
    const broken: string[] = [];
    const shared = await startReferencePartner({ faults: [name], patientsPerTenant: 4 });
    started.push(shared);
    for (const version of ['dstu2', 'stu3'] as const) {
      for (const [id, detector] of fastDetectors) {
        if (id === name || ALLOWED_OVERLAP[name]?.includes(id)) continue;
        const p = detector.mutates
          ? await startReferencePartner({ faults: [name], patientsPerTenant: 4 })
          : shared;
        try {
          const problems = await detector.run(p, version);
          if (problems.length > 0) broken.push(`${id} (${version}): ${problems.join('; ')}`);
        } finally {
          if (p !== shared) await p.close();
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

/**
 * META against the reference partner: conformant, every row passes in both versions; with the fault
 * named after a META requirement switched on, that requirement's row fails (warns when it is
 * recommended), with evidence. The msw tests in metadata.test.ts cover the other ways to break META.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import {
  expectedStatus,
  expectEveryRequirementFaulted,
  faultsOf,
  familyRequirements,
} from './family-faults.js';
import { certifyReference, VERSIONS } from './security-run.js';

let p: ReferencePartner | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const META = familyRequirements('META');

describe.each(VERSIONS)('META on the conformant reference partner (%s)', (version) => {
  it('passes every row', async () => {
    p = await startReferencePartner();
    const run = await certifyReference({ partner: p, version, only: 'META' });
    for (const id of META) expect(statusOf(run.report, id), id).toBe('pass');
    expect(run.code).toBe(0);
  });
});

describe('each META fault of the reference partner fails its row', () => {
  it('has a fault for every META requirement of the catalogue', () => {
    expectEveryRequirementFaulted('META');
  });

  describe.each(faultsOf('META').flatMap((f) => VERSIONS.map((version) => ({ fault: f.name, version }))))(
    '$fault ($version)',
    ({ fault, version }) => {
      const expected = expectedStatus(fault);
      it(`is ${expected}, and no other META row fails`, async () => {
        p = await startReferencePartner({ faults: [fault] });
        const run = await certifyReference({ partner: p, version, only: 'META' });
        expect(statusOf(run.report, fault)).toBe(expected);
        const bad = rowsOf(run.report, fault).filter((r) => r.status === expected);
        for (const row of bad) {
          expect(row.evidence.length, row.id).toBeGreaterThan(0);
          expect(row.message.length, row.id).toBeGreaterThan(20);
        }
        for (const id of META.filter((m) => m !== fault)) {
          expect(['pass', 'skip'], `${id} under ${fault}`).toContain(statusOf(run.report, id));
        }
        expect(run.code).toBe(expected === 'fail' ? 1 : 0);
      });
    },
  );
});

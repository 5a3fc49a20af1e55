/** BATCH: the conformant reference partner passes, and the BATCH-1 fault (reversed entries) fails. */
import { describe, expect, it } from 'vitest';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { certifyReference, faultCases } from './data-run.js';
import { expectEveryFaultSaysItsRow, expectEveryRequirementFaulted, faultsOf } from './family-faults.js';

describe.each<FhirVersion>(['dstu2', 'stu3'])('BATCH-1 on the reference partner (%s)', (version) => {
  it('passes when conformant, comparing every entry with its single call', async () => {
    const { report, code } = await certifyReference(version, 'BATCH');
    expectContract(report);
    const rows = rowsOf(report, 'BATCH-1');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.status, row.message).toBe('pass');
      expect(row.message).toMatch(
        /batch-response with (\d+) entries in order, each with response\.status; \1 hold the same resources/,
      );
      expect(row.evidence[0]!.request.method).toBe('POST');
      expect(row.evidence[0]!.request.body).toMatch(/"type":"batch"/);
    }
    expect(code).toBe(0);
  });
});

describe('each BATCH fault fails its row', () => {
  it('has a fault for every BATCH requirement of the catalogue, and an expectation for each', () => {
    expectEveryRequirementFaulted('BATCH');
    expectEveryFaultSaysItsRow('BATCH');
  });
  const faults = faultsOf('BATCH').map((f) => f.name);
  it.each(faultCases(faults))('$fault ($version)', async ({ fault, version }) => {
    const says = faultsOf('BATCH').find((f) => f.name === fault)?.rowSays;
    expect(says, `no rowSays for ${fault}`).toBeDefined();
    const { report } = await certifyReference(version, fault, [fault]);
    expect(statusOf(report, fault)).toBe('fail');
    const row = rowsOf(report, fault)[0]!;
    expect(row.message).toMatch(says!);
    expect(row.evidence.length).toBeGreaterThan(1);
  });
});

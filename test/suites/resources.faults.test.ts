/**
 * RES: the conformant reference partner passes every row in both versions (and the rows show what
 * they checked), and each RES fault fails its row (warns for a recommended requirement).
 */
import { describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { listFaults } from '../../src/reference-partner/index.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { certifyReference, faultCases } from './data-run.js';

const RES = [...requirements.values()].filter((r) => r.family === 'RES').map((r) => r.id);

describe.each<FhirVersion>(['dstu2', 'stu3'])('RES on the conformant reference partner (%s)', (version) => {
  it('passes every row, having checked real instances', async () => {
    const { report, code } = await certifyReference(version, 'RES');
    expectContract(report);
    for (const id of RES) {
      const rows = rowsOf(report, id);
      expect(rows.length, id).toBeGreaterThan(0);
      for (const row of rows) expect(row.status, `${row.id}: ${row.message}`).toBe('pass');
    }
    expect(code).toBe(0);
    const messages = report.checks.map((r) => r.message).join('\n');
    // Each field row judged at least one instance of its type, in both tenants.
    const med = version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
    for (const type of [
      'Patient',
      'Observation',
      'Condition',
      'Encounter',
      'AllergyIntolerance',
      'Coverage',
      med,
    ]) {
      expect(messages, type).toMatch(new RegExp(`all \\d+ ${type}s? of Patient/\\S+ carry`));
    }
    expect(
      rowsOf(report, 'RES-READ-1').filter((r) => /answered 404 with an OperationOutcome/.test(r.message)),
    ).toHaveLength(2);
    expect(rowsOf(report, 'RES-READ-1').some((r) => /: \d+ reads/.test(r.message))).toBe(true);
    expect(rowsOf(report, 'RES-LOC-1')[0]!.message).toMatch(/Location\(s\)/);
    expect(rowsOf(report, 'RES-VAL-1').map((r) => r.id)).toContain('res-val-1-structure#Patient');
  }, 60_000);
});

describe('each RES fault of the reference partner fails its row', () => {
  const known = new Set(listFaults().map((f) => f.name));
  it('has a fault for every RES requirement', () => {
    for (const id of RES) expect(known.has(id), id).toBe(true);
  });
  it.each(faultCases(RES))('$fault ($version)', async ({ fault, version }) => {
    const { report } = await certifyReference(version, fault, [fault]);
    const expected = requirements.get(fault)!.level === 'recommended' ? 'warn' : 'fail';
    expect(statusOf(report, fault)).toBe(expected);
    for (const row of rowsOf(report, fault).filter((r) => r.status === expected)) {
      expect(row.evidence.length, row.id).toBeGreaterThan(0);
    }
    expect(report.verdict).toBe(expected === 'fail' ? 'fail' : 'pass');
  });

  it('RES-VAL-1 names the FHIR path of the problem', async () => {
    const { report } = await certifyReference('stu3', 'RES,SRCH', ['RES-VAL-1']);
    const row = rowsOf(report, 'RES-VAL-1').find((r) => r.status === 'fail')!;
    expect(row.message).toMatch(/Patient\.nickname: unknown element "nickname"/);
    expect(row.message).toMatch(/^\d+ of \d+ Patient resources are not valid STU3/);
  });

  it('RES-READ-1 fails on the unknown id while reads by id still pass', async () => {
    const { report } = await certifyReference('dstu2', 'RES-READ-1', ['RES-READ-1']);
    const rows = rowsOf(report, 'RES-READ-1');
    expect(rows.filter((r) => r.id.includes('#reads')).every((r) => r.status === 'pass')).toBe(true);
    expect(rows.find((r) => r.id.includes('#unknown id'))!.message).toMatch(
      /answered HTTP 200.*expected 404/,
    );
  });
});

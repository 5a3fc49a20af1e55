/**
 * ROUTE against the reference partner: conformant, every row passes in both versions (isolation across
 * every served resource type, both directions); each ROUTE-xx fault fails its own row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import {
  expectedStatus,
  expectEveryFaultSaysItsRow,
  expectEveryRequirementFaulted,
  faultsOf,
  familyRequirements,
} from './family-faults.js';
import { certifyReference, expectNoCredentials, VERSIONS } from './security-run.js';

let p: ReferencePartner | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const ROUTE = familyRequirements('ROUTE');
const MEDICATION = { dstu2: 'MedicationOrder', stu3: 'MedicationRequest' } as const;

describe.each(VERSIONS)('ROUTE on the conformant reference partner (%s)', (version) => {
  it('passes every row, crossing both tenants over every served resource type', async () => {
    p = await startReferencePartner();
    const run = await certifyReference({ partner: p, version, only: 'ROUTE' });
    for (const id of ROUTE) expect(statusOf(run.report, id), id).toBe('pass');
    expect(rowsOf(run.report, 'ROUTE-01')).toHaveLength(2);
    const isolation = rowsOf(run.report, 'ROUTE-02');
    const types = [
      'Patient',
      'Observation',
      'Condition',
      'Encounter',
      'AllergyIntolerance',
      'Coverage',
      'Location',
    ];
    for (const type of [...types, MEDICATION[version]]) {
      expect(
        isolation.filter((r) => r.subject?.startsWith(`${type} of`)),
        type,
      ).toHaveLength(2);
    }
    expect(isolation.every((r) => r.evidence.length > 0)).toBe(true);
    expect(rowsOf(run.report, 'ROUTE-05').map((r) => r.subject)).toEqual([
      'not a GUID',
      'SQL injection',
      'path injection',
      '4 KB string',
      'Unicode',
    ]);
    expect(rowsOf(run.report, 'ROUTE-03')[0]!.message).toMatch(/refused with HTTP 400 error=invalid_scope$/);
    expect(run.report!.verdict).toBe('pass');
    expectNoCredentials(run, [p.clientSecret]);
  });

  it('ROUTE-02 is not applicable, with a reason, when one tenant is configured', async () => {
    p = await startReferencePartner();
    const run = await certifyReference({ partner: p, version, only: 'ROUTE-02', tenants: [p.tenants[0]] });
    const [row] = rowsOf(run.report, 'ROUTE-02');
    expect(row!.status).toBe('na');
    expect(row!.message).toMatch(/only one tenant is configured/);
  });
});

/** Seed 4 gives tenant A a first (probe) patient without allergies, while other patients have some. */
const PROBE_WITHOUT_ALLERGIES = 4;

describe('ROUTE-02 when the probe patient has none of a type', () => {
  it("samples the type tenant-wide, so a leak of another patient's allergy fails the row", async () => {
    p = await startReferencePartner({ seed: PROBE_WITHOUT_ALLERGIES, faults: ['ROUTE-02'] });
    const run = await certifyReference({ partner: p, version: 'stu3', only: 'ROUTE-02' });
    const [row] = rowsOf(run.report, 'ROUTE-02').filter((r) =>
      r.subject?.startsWith(`AllergyIntolerance of tenant ${p!.tenants[0].slice(0, 8)}`),
    );
    expect(row!.status, row!.message).toBe('fail');
    expect(row!.message).toMatch(
      /\(Patient\/\S+ has none; sampled tenant-wide\).*returned tenant .*'s resource/,
    );
  });

  it('passes on the conformant partner and says where the samples came from', async () => {
    p = await startReferencePartner({ seed: PROBE_WITHOUT_ALLERGIES });
    const run = await certifyReference({ partner: p, version: 'dstu2', only: 'ROUTE-02' });
    const [row] = rowsOf(run.report, 'ROUTE-02').filter((r) =>
      r.subject?.startsWith(`AllergyIntolerance of tenant ${p!.tenants[0].slice(0, 8)}`),
    );
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.message).toMatch(
      /^3 AllergyIntolerance of tenant \S+ \(Patient\/\S+ has none; sampled tenant-wide\) can neither/,
    );
  });
});

describe('the ROUTE fault tests', () => {
  it('cover every ROUTE requirement of the catalogue, each with a fault', () => {
    expectEveryRequirementFaulted('ROUTE');
    expectEveryFaultSaysItsRow('ROUTE');
  });
});

describe.each(
  faultsOf('ROUTE').flatMap((f) =>
    VERSIONS.map((version) => ({ fault: f.name, message: f.rowSays, version })),
  ),
)('reference partner with fault $fault ($version)', ({ fault, message, version }) => {
  it(`${fault} fails`, async () => {
    expect(message, `no rowSays for ${fault}`).toBeDefined();
    expect(expectedStatus(fault)).toBe('fail');
    p = await startReferencePartner({ faults: [fault] });
    const run = await certifyReference({ partner: p, version, only: 'ROUTE' });
    expect(statusOf(run.report, fault)).toBe('fail');
    const failed = rowsOf(run.report, fault).filter((r) => r.status === 'fail');
    // The first failing row, so the fault breaks the requirement for this reason first.
    expect(failed[0]!.message).toMatch(message!);
    expect(failed.every((r) => r.evidence.length > 0)).toBe(true);
    for (const id of ROUTE.filter((r) => r !== fault)) {
      expect(['pass', 'skip'], `${id} under ${fault}`).toContain(statusOf(run.report, id));
    }
    expect(run.code).toBe(1);
    expectNoCredentials(run, [p.clientSecret]);
  });
});

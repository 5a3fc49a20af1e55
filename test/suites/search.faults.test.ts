/**
 * SRCH: the conformant reference partner passes every row in both versions, with the positive
 * semantics visible (the probe is found, newest first…), and each SRCH fault fails (or, for a
 * recommended requirement, warns) its own row.
 */
import { describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { listFaults } from '../../src/reference-partner/index.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { certifyReference, faultCases } from './data-run.js';

const SRCH = [...requirements.values()].filter((r) => r.family === 'SRCH').map((r) => r.id);

describe.each<FhirVersion>(['dstu2', 'stu3'])('SRCH on the conformant reference partner (%s)', (version) => {
  it('passes every row and shows what it found', async () => {
    const { report, code } = await certifyReference(version, 'SRCH');
    expectContract(report);
    for (const id of SRCH) {
      if (id === 'SRCH-PAT-6' && version === 'dstu2') {
        expect(statusOf(report, id), id).toBe('na');
        continue;
      }
      const rows = rowsOf(report, id);
      expect(rows.length, id).toBeGreaterThanOrEqual(2); // one per tenant at least
      for (const row of rows) expect(row.status, `${row.id}: ${row.message}`).toBe('pass');
    }
    expect(code).toBe(0);
    const message = (id: string) =>
      rowsOf(report, id)
        .map((r) => r.message)
        .join('\n');
    expect(message('SRCH-PAT-1')).toMatch(/exactly Patient\//);
    for (const id of ['SRCH-PAT-2', 'SRCH-PAT-3', 'SRCH-PAT-4', 'SRCH-PAT-5']) {
      expect(message(id), id).toMatch(/\(the probe\) is found/);
      expect(message(id), id).toMatch(/every match's/);
    }
    if (version === 'dstu2') {
      expect(message('SRCH-PAT-2')).toMatch(/family:contains=/);
      expect(message('SRCH-PAT-3')).toMatch(/ name=/);
      expect(message('SRCH-OBS-1')).toMatch(/_sort:desc=date/);
    } else {
      expect(message('SRCH-PAT-6')).toMatch(/gender=(male|female|other|unknown)/);
      expect(message('SRCH-OBS-1')).toMatch(/_sort=-date/);
    }
    expect(message('SRCH-OBS-1')).toMatch(/newest first \(\d{4}/);
    expect(message('SRCH-OBS-1')).toMatch(/belong to Patient\//);
    expect(message('SRCH-ENC-1')).toMatch(/is the newest of \d+/);
    expect(message('SRCH-COV-1')).toMatch(/returns all \d+ Coverage of Patient\//);
    expect(message('SRCH-CNT-1')).toMatch(
      /_count=2: 2 match\(es\) on the first page, total \d+, with a next link/,
    );
    // The Patient searches are sent as the app sends them: POST [base]/Patient/_search with a form body.
    const famRow = rowsOf(report, 'SRCH-PAT-2').find((r) => r.status === 'pass')!;
    expect(famRow.evidence[0]!.request.method).toBe('POST');
    expect(famRow.evidence[0]!.request.url).toMatch(/\/Patient\/_search$/);
    expect(famRow.evidence[0]!.request.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
  }, 60_000);
});

describe('each SRCH fault of the reference partner fails its row', () => {
  const known = new Set(listFaults().map((f) => f.name));
  it('has a fault for every SRCH requirement', () => {
    for (const id of SRCH) expect(known.has(id), id).toBe(true);
  });
  it.each(faultCases(SRCH))('$fault ($version)', async ({ fault, version }) => {
    const { report } = await certifyReference(version, fault, [fault]);
    const expected = requirements.get(fault)!.level === 'recommended' ? 'warn' : 'fail';
    expect(statusOf(report, fault)).toBe(expected);
    const bad = rowsOf(report, fault).filter((r) => r.status === expected);
    for (const row of bad) {
      expect(row.evidence.length, row.id).toBeGreaterThan(0);
      expect(row.message.length).toBeGreaterThan(20);
    }
    expect(report.verdict).toBe(expected === 'fail' ? 'fail' : 'pass');
  });
});

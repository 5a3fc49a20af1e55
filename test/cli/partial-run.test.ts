/**
 * A partial run (`--only AUTH`) of the reference partner: its headline agrees with its exit code, it
 * names the rows a reviewer must attest, and it records the FHIR version and profile its
 * prerequisites learned from the capability statement.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { certifyReference } from '../suites/security-run.js';

describe('fhir-certify run --only AUTH against the reference partner', () => {
  let partner: ReferencePartner;
  beforeAll(async () => {
    partner = await startReferencePartner();
  });
  afterAll(async () => {
    await partner?.close();
  });

  it('exits 0 under the headline PASSED, NOT CERTIFIABLE, naming the manual rows', async () => {
    const run = await certifyReference({ partner, version: 'dstu2', only: 'AUTH' });
    expect(run.code).toBe(0);
    // The verdict's lines end the summary; only the folder's path follows.
    const last = run.stdout.trimEnd().split('\n').slice(-6);
    expect(last[0]).toBe(
      'PASSED, NOT CERTIFIABLE: plain http was allowed (--allow-insecure-http): a run over http cannot certify; only part of the requirements was run (--only AUTH)',
    );
    expect(last[2]).toBe("2 checks need a reviewer's attestation: AUTH-09, AUTH-10");
    expect(last[3]).toMatch(/^client secret sent to 127\.0\.0\.1:\d+, the FHIR base's own origin$/);
    expect(last.slice(4)).toEqual(['', expect.stringMatching(/^Reports: .*-dstu2$/)]);
    expect(run.stdout).not.toContain('NOT CERTIFIED');
  }, 60_000);

  it('records the FHIR version and profile the capability statement gave, and names the folder by them', async () => {
    const run = await certifyReference({ partner, version: 'stu3', only: 'AUTH' });
    expect(run.report!.target.fhirVersion).toBe('3.0.1');
    expect(run.report!.target.profile).toBe('patients-app-stu3');
    expect(basename(run.reportDir!)).toMatch(/-stu3$/);
    expect(run.stdout).toContain('· FHIR 3.0.1 · profile patients-app-stu3');
    // Only what AUTH needs, and the row that chose the version, ran.
    const families = new Set(run.report!.checks.map((r) => r.requirement.split('-')[0]));
    expect([...families].sort()).toEqual(['AUTH', 'META']);
    expect(run.report!.checks.find((r) => r.requirement === 'META-02')!.status).toBe('pass');
  }, 60_000);
});

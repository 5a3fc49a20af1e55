/**
 * LAT on the reference partner through the whole CLI: every row passes with the profile's budgets
 * beside each measurement, `--budget` overrides one class, samples are not evidence, secrets stay out,
 * and the progress line reports each phase.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { runChecks } from '../../src/engine/run-checks.js';
import { HttpClient } from '../../src/http/client.js';
import { Redactor } from '../../src/http/redact.js';
import { loadProfile } from '../../src/profile/load.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { latencyChecks } from '../../suites/latency.js';
import { runCli, rowsOf } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';
import { testOptions } from '../helpers/engine.js';
import { prerequisiteStandIns } from '../latency/prereqs.js';

let partner: ReferencePartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

function certifyLat(p: ReferencePartner, version: FhirVersion, extra: string[] = []) {
  return runCli(
    [
      'run',
      ...['--base-url', p.baseUrl(version), '--allow-insecure-http', '--client-id', p.clientId],
      ...['--tenant', p.tenants[0], '--tenant', p.tenants[1], '--only', 'LAT', '--samples', '4'],
      ...extra,
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: p.clientSecret },
  );
}

describe.each<FhirVersion>(['dstu2', 'stu3'])('LAT on the conformant %s reference partner', (version) => {
  it('passes every row and reports each measurement beside its budget', async () => {
    partner = await startReferencePartner();
    const run = await certifyLat(partner, version, ['--concurrency', '3']);
    const report = run.report!;
    expectContract(report);
    const lat = report.checks.filter((r) => r.requirement.startsWith('LAT-'));
    for (const row of lat) expect(row.status, `${row.id}: ${row.message}`).toBe('pass');
    const profile = loadProfile(`patients-app-${version}`);
    // One LAT-04 row per search of the profile, named by its query; one LAT-06 row per class.
    expect(rowsOf(report, 'LAT-04').map((r) => r.subject)).toHaveLength(profile.searches!.length);
    expect(rowsOf(report, 'LAT-06').map((r) => r.subject)).toEqual([
      'metadata',
      'token',
      'read',
      'search',
      'batch',
    ]);

    const budgetOf = {
      'LAT-01': 'metadata',
      'LAT-02': 'token',
      'LAT-03': 'read',
      'LAT-04': 'search',
      'LAT-05': 'batch',
    } as const;
    expect(report.latency.length).toBe(4 + profile.searches!.length + 5);
    for (const l of report.latency) {
      expect(l.status).toBe('pass');
      expect(l.samples).toBeGreaterThanOrEqual(4);
      expect(l.p50).toBeLessThanOrEqual(l.p90);
      expect(l.p90).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
      expect(l.p99).toBeLessThanOrEqual(l.max);
      expect(l.errors).toBe(0);
      if (l.requirement !== 'LAT-06') {
        expect(l.budgetP95).toBe(profile.budgets[budgetOf[l.requirement as keyof typeof budgetOf]]);
        expect(l.samples).toBe(4);
      } else {
        expect(l.concurrency).toBe(3);
        expect(l.throughputRps as number).toBeGreaterThan(0);
      }
    }
    // Samples are quiet: a row shows its slowest exchange, not its 4 + warm-up requests.
    for (const row of lat) expect(row.evidence.length).toBeLessThanOrEqual(1);
    expect(run.everything()).not.toContain(partner.clientSecret);
    expect(run.stdout).toMatch(/LAT-05/);
  }, 60_000);
});

describe('LAT budgets and progress', () => {
  it('a --budget override applies to its class only and is named in the message', async () => {
    partner = await startReferencePartner();
    const run = await certifyLat(partner, 'stu3', ['--budget', 'read.p95=0.001']);
    const report = run.report!;
    const read = rowsOf(report, 'LAT-03')[0]!;
    expect(read.status).toBe('fail');
    expect(read.message).toMatch(/over the 0\.001 ms budget \(run option\)/);
    expect(report.latency.find((l) => l.requirement === 'LAT-03')).toMatchObject({
      budgetP95: 0.001,
      status: 'fail',
    });
    // Already failing alone, the read is left out of the load and not judged twice.
    expect(rowsOf(report, 'LAT-06').find((r) => r.subject === 'read')!.status).toBe('na');
    for (const id of ['LAT-01', 'LAT-02', 'LAT-04', 'LAT-05']) {
      for (const row of rowsOf(report, id)) expect(row.status, row.id).toBe('pass');
    }
    expect(
      rowsOf(report, 'LAT-06')
        .filter((r) => r.subject !== 'read')
        .every((r) => r.status === 'pass'),
    ).toBe(true);
    expect(run.code).toBe(1);
  }, 60_000);

  it('draws a progress line per phase with requests done and planned', async () => {
    partner = await startReferencePartner();
    const lines: string[] = [];
    const options = testOptions({
      baseUrl: partner.baseUrl('stu3'),
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      tenants: partner.tenants,
      samples: 3,
      concurrency: 2,
    });
    const redactor = new Redactor();
    const client = new HttpClient({
      timeoutMs: 10_000,
      maxResponseBytes: 1 << 24,
      redactor,
      allowInsecureHttp: true,
    });
    try {
      await runChecks({
        checks: [...prerequisiteStandIns, ...latencyChecks],
        options,
        client,
        redactor,
        progress: (t) => lines.push(t),
      });
    } finally {
      await client.close();
    }
    // The first interaction has 3 warm-up requests, then the samples; the last line of a phase is complete.
    expect(lines.some((l) => /^LAT-01 GET metadata 6\/6 requests \(\d+\.\d s\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^LAT-03 GET Patient\/\{probe\.id\} 4\/4 requests/.test(l))).toBe(true);
    expect(lines.some((l) => /^LAT-06 2 users \d+\/\d+ requests/.test(l))).toBe(true);
  }, 60_000);
});

/**
 * `diff` as a CI gate against real runs of the reference partner over HTTPS: back-to-back runs of the
 * unchanged partner, and the same partner on another port, are no regression; a partner whose reads
 * became a second slower is one. (bench/diff-noise.ts repeats the back-to-back pairs twenty times.)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../src/cli/commands/diff.js';
import type { ReportDiff } from '../../src/report/diff.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { createTestPki, type TestPki } from '../../src/reference-partner/tls.js';
import type { CliRun } from '../helpers/cli.js';
import { certifyReference } from '../suites/security-run.js';

/** SEC names the endpoint by host and port; META and LAT are the cheap rows with latency figures. */
const ONLY = 'SEC,META,LAT';

describe('diff between runs of the reference partner', () => {
  let pki: TestPki;
  const partners: ReferencePartner[] = [];
  const start = async (faults: string[] = []): Promise<ReferencePartner> => {
    const p = await startReferencePartner({ faults, tls: { key: pki.key, cert: pki.cert } });
    partners.push(p);
    return p;
  };
  const certify = (partner: ReferencePartner): Promise<CliRun> =>
    certifyReference({
      partner,
      version: 'stu3',
      only: ONLY,
      extra: ['--ca', pki.caPath, '--samples', '5', '--concurrency', '2'],
    });
  const reportFile = (run: CliRun): string => {
    expect(run.reportDir, run.stdout).toBeDefined();
    return join(run.reportDir!, 'report.json');
  };
  const diffJson = async (a: CliRun, b: CliRun): Promise<{ code: number; diff: ReportDiff }> => {
    const r = await runDiff([reportFile(a), reportFile(b), '--json']);
    return { code: r.exitCode, diff: JSON.parse(r.stdout) as ReportDiff };
  };

  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    for (const p of partners) await p.close();
    pki?.dispose();
  });

  let first: CliRun;
  it('finds no regression between back-to-back runs of the unchanged partner', async () => {
    const partner = await start();
    first = await certify(partner);
    for (let pair = 0; pair < 3; pair++) {
      const again = await certify(partner);
      const { code, diff } = await diffJson(first, again);
      expect(diff.latencyRegressions).toEqual([]);
      expect(diff.missing).toEqual([]);
      expect(code).toBe(0);
      first = again;
    }
  }, 120_000);

  it('matches every row of the same partner on another port, TLS rows included', async () => {
    const elsewhere = await certify(await start());
    expect(new URL(elsewhere.report!.target.baseUrl).port).not.toBe(
      new URL(first.report!.target.baseUrl).port,
    );
    // The TLS rows' ids carry host:port; the diff must match them anyway.
    const tlsIds = (run: CliRun): string[] =>
      run.report!.checks.filter((r) => r.requirement === 'SEC-02').map((r) => r.id);
    expect(tlsIds(first)).not.toEqual(tlsIds(elsewhere));
    const { code, diff } = await diffJson(first, elsewhere);
    expect(diff.missing).toEqual([]);
    expect(code).toBe(0);
    const text = await runDiff([reportFile(first), reportFile(elsewhere)]);
    expect(text.stdout).not.toContain('Not in the current report');
  }, 60_000);

  it('exits 1 when the partner got slower (fault LAT-03: reads 1000 ms late)', async () => {
    const slow = await certify(await start(['LAT-03']));
    const { code, diff } = await diffJson(first, slow);
    expect(code).toBe(1);
    expect(diff.latencyRegressions.map((l) => l.requirement)).toContain('LAT-03');
    const read = diff.latencyRegressions.find((l) => l.requirement === 'LAT-03')!;
    expect(read.p95After - read.p95Before).toBeGreaterThan(900);
  }, 60_000);
});

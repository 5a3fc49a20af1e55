import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../src/cli/commands/diff.js';
import { diffReports, parseFraction } from '../../src/report/diff.js';
import type { ReportDiff } from '../../src/report/diff.js';
import type { Report } from '../../src/core/model.js';
import {
  failingReport,
  fixtureText,
  oneNewFailureReport,
  otherProfileReport,
  passingReport,
  refinish,
  slowerP95Report,
} from '../fixtures/reports/build.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Report | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : fixtureText(content));
  return path;
}

const pass = file('pass.json', passingReport());

describe('diffReports', () => {
  it('finds a new failure', () => {
    const d = diffReports(passingReport(), oneNewFailureReport(), { maxLatencyRegression: 0.2 });
    expect(d.regressed).toBe(true);
    expect(d.newFailures.map((r) => [r.id, r.before, r.after])).toEqual([['ROUTE-02', 'pass', 'fail']]);
    expect(d.newErrors).toEqual([]);
    expect(d.latencyRegressions).toEqual([]);
  });

  it('finds new failures, new errors, fixed and still failing rows', () => {
    const base = failingReport();
    const current = failingReport();
    current.checks.find((r) => r.id === 'AUTH-03')!.status = 'pass'; // fixed
    current.checks.find((r) => r.id === 'META-01')!.status = 'error'; // new error
    current.checks.find((r) => r.id === 'SRCH-PAT-1')!.status = 'fail'; // error → fail: still failing
    current.checks.push({ ...current.checks[0]!, id: 'META-01:again', status: 'fail' }); // new row, failing
    const d = diffReports(base, refinish(current), { maxLatencyRegression: 0.2 });
    const ids = (rows: ReportDiff['fixed']) => rows.map((r) => r.id).sort();
    expect(ids(d.fixed)).toEqual(['AUTH-03']);
    expect(ids(d.newErrors)).toEqual(['META-01']);
    expect(d.newFailures.map((r) => [r.id, r.before])).toEqual([['META-01:again', null]]);
    expect(ids(d.stillFailing)).toEqual(
      [
        'LAT-04',
        'META-08',
        'RES-PAT-1:Patient/pat-1001',
        'RES-VAL-1:Observation/obs-7',
        'ROUTE-02',
        'SRCH-PAT-1',
      ].sort(),
    );
    expect(d.regressed).toBe(true);
  });

  it('finds a p95 regression beyond the threshold, matched by requirement and interaction', () => {
    const judgeAll = { maxLatencyRegression: 0.2, ignoreUnderBudget: 0 };
    const d = diffReports(passingReport(), slowerP95Report(), judgeAll);
    expect(d.latencyRegressions).toEqual([
      {
        requirement: 'LAT-04',
        interaction: 'search Patient?family',
        p95Before: 120,
        p95After: 180,
        change: 0.5,
        budgetP95: 600,
      },
    ]);
    expect(d.regressed).toBe(true);
    expect(
      diffReports(passingReport(), slowerP95Report(), { ...judgeAll, maxLatencyRegression: 0.5 }).regressed,
    ).toBe(false);
    // 60 ms of growth: not beyond an absolute threshold of 100 ms.
    expect(
      diffReports(passingReport(), slowerP95Report(), { ...judgeAll, minLatencyRegressionMs: 100 }).regressed,
    ).toBe(false);
  });

  it('ignores growth far inside the budget unless asked: 180 ms of a 600 ms budget', () => {
    const d = diffReports(passingReport(), slowerP95Report(), { maxLatencyRegression: 0.2 });
    expect(d.ignoreUnderBudget).toBe(0.5);
    expect(d.latencyRegressions).toEqual([]);
    expect(d.regressed).toBe(false);
    // Past half the budget the same growth counts.
    const nearer = slowerP95Report();
    nearer.latency.find((l) => l.interaction === 'search Patient?family')!.budgetP95 = 300;
    const base = passingReport();
    base.latency.find((l) => l.interaction === 'search Patient?family')!.budgetP95 = 300;
    expect(diffReports(refinish(base), refinish(nearer), { maxLatencyRegression: 0.2 }).regressed).toBe(true);
  });

  it('does not call loopback noise a regression: p95 0.3 ms → 0.5 ms (+67%)', () => {
    const base = passingReport();
    const now = passingReport();
    for (const [report, p95] of [
      [base, 0.3],
      [now, 0.5],
    ] as const) {
      for (const l of report.latency) Object.assign(l, { p50: p95 / 2, p90: p95, p95, p99: p95, max: p95 });
    }
    const judgeAll = { maxLatencyRegression: 0.2, ignoreUnderBudget: 0 };
    const d = diffReports(refinish(base), refinish(now), judgeAll);
    expect(d.minLatencyRegressionMs).toBe(50);
    expect(d.latencyRegressions).toEqual([]);
    expect(d.regressed).toBe(false);
    // Asked to judge every millisecond, the growth shows.
    expect(
      diffReports(refinish(base), refinish(now), { ...judgeAll, minLatencyRegressionMs: 0 }).regressed,
    ).toBe(true);
  });

  it("matches rows whose ids name the partner's host and port across ports and hosts", () => {
    const withTls = (baseUrl: string): Report => {
      const r = passingReport();
      const { host, port } = new URL(baseUrl);
      const hostPort = port ? host : `${host}:443`;
      r.target.baseUrl = baseUrl;
      r.target.tokenUrl = `${new URL(baseUrl).origin}/oauth/token`;
      r.checks.push({
        ...r.checks[0]!,
        id: `sec-02-tls#${hostPort} (FHIR base URL, token URL)`,
        requirement: 'SEC-02',
        subject: `${hostPort} (FHIR base URL, token URL)`,
      });
      return refinish(r);
    };
    const d = diffReports(withTls('https://127.0.0.1:43839/fhir'), withTls('https://127.0.0.1:39893/fhir'), {
      maxLatencyRegression: 0.2,
    });
    expect(d.missing).toEqual([]);
    const staging = diffReports(
      withTls('https://127.0.0.1:43839/fhir'),
      withTls('https://ehr.example.com/fhir'),
      {
        maxLatencyRegression: 0.2,
      },
    );
    expect(staging.missing).toEqual([]);
    // A row that really went away is still reported.
    const gone = withTls('https://127.0.0.1:39893/fhir');
    gone.checks = gone.checks.filter((r) => !r.id.startsWith('sec-02-tls#'));
    const lost = diffReports(withTls('https://127.0.0.1:43839/fhir'), refinish(gone), {
      maxLatencyRegression: 0.2,
    });
    expect(lost.missing.map((m) => m.id)).toEqual(['sec-02-tls#127.0.0.1:43839 (FHIR base URL, token URL)']);
  });

  it('flags a run that lost certifiability', () => {
    const current = passingReport();
    current.certifiable = false;
    current.notCertifiableReasons = ['--allow-insecure-http was set'];
    const d = diffReports(passingReport(), refinish(current), { maxLatencyRegression: 0.2 });
    expect(d.certifiabilityLost).toEqual(['--allow-insecure-http was set']);
    expect(d.regressed).toBe(true);
  });

  it('reads thresholds as percentages or fractions', () => {
    expect(parseFraction('20%')).toBe(0.2);
    expect(parseFraction('0.2')).toBe(0.2);
    expect(parseFraction('12.5 %')).toBe(0.125);
    expect(parseFraction('20')).toBeNull();
    expect(parseFraction('fast')).toBeNull();
  });
});

describe('fhir-certify diff', () => {
  it('exits 0 for identical reports', async () => {
    const r = await runDiff([pass, file('same.json', passingReport())]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain(
      'NO REGRESSION: 0 new failures, 0 new errors, 0 latency regressions, 0 fixed, 0 still failing',
    );
  });

  it('exits 1 with a table for one new failure', async () => {
    const r = await runDiff([pass, file('new-fail.json', oneNewFailureReport())]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('New failures (1)');
    expect(r.stdout).toMatch(
      /│ ROUTE-02 +│ ROUTE-02 │ pass │ fail │ tenant B's token read Patient\/pat-1001 of tenant A │/,
    );
    expect(r.stdout).toContain('REGRESSED: 1 new failure,');
  });

  it('exits 1 for a slower p95, and 0 when the threshold allows it', async () => {
    const slow = file('slow.json', slowerP95Report());
    const judgeAll = ['--ignore-under-budget', '0'];
    const r = await runDiff([pass, slow, ...judgeAll]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Latency regressions: p95 more than 20% and 50 ms slower (1)');
    expect(r.stdout).toMatch(/│ LAT-04 +│ search Patient\?family │ 120 ms +│ 180 ms +│ \+50% +│ 600 ms +│/);
    expect((await runDiff([pass, slow, ...judgeAll, '--max-latency-regression', '60%'])).exitCode).toBe(0);
    expect((await runDiff([pass, slow, ...judgeAll, '--min-latency-regression', '60ms'])).exitCode).toBe(0);
    // By default a p95 at 30% of its budget is no regression.
    expect((await runDiff([pass, slow])).exitCode).toBe(0);
  });

  it('prints JSON with --json', async () => {
    const r = await runDiff([pass, file('new-fail2.json', oneNewFailureReport()), '--json']);
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as ReportDiff & { baseline: { digest: string } };
    expect(doc.regressed).toBe(true);
    expect(doc.newFailures[0]!.id).toBe('ROUTE-02');
    expect(doc.baseline.digest).toBe(passingReport().digest);
  });

  it('exits 2 with what to fix for different profiles or FHIR versions', async () => {
    const r = await runDiff([pass, file('stu3.json', otherProfileReport())]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'different profiles (patients-app-dstu2 and patients-app-stu3): compare two runs of the same profile',
    );
    const v = passingReport();
    v.target.fhirVersion = '1.0.1';
    const rv = await runDiff([pass, file('v101.json', refinish(v))]);
    expect(rv.exitCode).toBe(2);
    expect(rv.stderr).toContain('different FHIR versions (1.0.2 and 1.0.1)');
  });

  it('exits 2 when a file is missing, is not JSON or is not a report', async () => {
    const missing = await runDiff([pass, join(dir, 'nope.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /cannot read .*nope\.json \(no such file\): pass the path of a report\.json/,
    );
    const notJson = await runDiff([file('page.html', '<!DOCTYPE html>'), pass]);
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toMatch(/page\.html is not JSON .*: pass the report\.json itself/);
    const notReport = await runDiff([pass, file('package.json', '{"name":"x","checks":[]}')]);
    expect(notReport.exitCode).toBe(2);
    expect(notReport.stderr).toContain('is not a fhir-certify report (tool.name is not "fhir-certify")');
    const wrongSchema = await runDiff([
      pass,
      file('v2.json', { ...passingReport(), schemaVersion: 2 } as unknown as Report),
    ]);
    expect(wrongSchema.stderr).toContain('schemaVersion is 2, not 1');
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a report edited by hand: any shape
  type Loose = Record<string, any>;

  it('exits 2 naming the bad field when a nested field is null or of the wrong type', async () => {
    const cases: [string, (r: Loose) => void, string][] = [
      ['null-check.json', (r) => (r.checks[0] = null), 'checks[0] is null, but must be object'],
      [
        'status.json',
        (r) => (r.checks[2].status = 7),
        'checks[2].status is 7, but must be equal to one of the allowed values',
      ],
      ['p95.json', (r) => (r.latency[1].p95 = '140'), 'latency[1].p95 is "140", but must be number'],
      [
        'evidence.json',
        (r) => (r.checks[0].evidence = [null]),
        'checks[0].evidence[0] is null, but must be object',
      ],
      ['no-id.json', (r) => delete r.checks[1].id, 'checks[1].id is missing'],
      [
        'reasons.json',
        (r) => (r.notCertifiableReasons = 'none'),
        'notCertifiableReasons is "none", but must be array',
      ],
    ];
    for (const [name, edit, reason] of cases) {
      const report = passingReport() as unknown as Loose;
      edit(report);
      const path = file(name, JSON.stringify(report));
      for (const args of [
        [pass, path],
        [path, pass],
      ]) {
        const r = await runDiff(args);
        expect(r.exitCode, name).toBe(2);
        expect(r.stderr, name).toBe(
          `fhir-certify diff: ${path} is not a fhir-certify report (${reason}): pass a report.json that fhir-certify run wrote.\n`,
        );
      }
    }
  });

  it('exits 2 for a report nested far deeper than any report is, before parsing it', async () => {
    const deep = JSON.stringify(passingReport()).replace(
      /}$/,
      `,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    const path = file('deep.json', deep);
    const r = await runDiff([pass, path]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /is not a fhir-certify report \(it nests deeper than 64 levels at character \d+\)/,
    );
  });

  it('a current run that stopped before choosing a profile is a regression (exit 1), not incomparable', async () => {
    const stopped = passingReport();
    stopped.target.profile = null;
    stopped.target.fhirVersion = null;
    stopped.checks = stopped.checks
      .filter((c) => c.requirement.startsWith('META') || c.requirement.startsWith('SEC'))
      .map((c) => (c.requirement === 'META-01' ? { ...c, status: 'fail' as const } : c));
    const current = file('stopped.json', refinish(stopped));
    const r = await runDiff([pass, current]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      'Regressed: the current run chose no profile (the baseline used patients-app-dstu2): it stopped before its FHIR version was settled',
    );
    const json = JSON.parse((await runDiff([pass, current, '--json'])).stdout) as ReportDiff;
    expect(json.regressed).toBe(true);
    expect(json.stoppedBeforeProfile).toMatch(/chose no profile/);
    // The other way round the current run chose one again: compared, and no regression from that.
    const back = await runDiff([current, pass]);
    expect(back.exitCode).toBe(0);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runDiff([pass])).exitCode).toBe(2);
    const bad = await runDiff([pass, pass, '--max-latency-regression', 'fast']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('write it as 20% or 0.2');
    const badMs = await runDiff([pass, pass, '--min-latency-regression', 'soon']);
    expect(badMs.exitCode).toBe(2);
    expect(badMs.stderr).toContain('write it in milliseconds, e.g. 50 or 50ms');
    const badShare = await runDiff([pass, pass, '--ignore-under-budget', 'most']);
    expect(badShare.exitCode).toBe(2);
    expect(badShare.stderr).toContain('write it as 50% or 0.5');
  });
});

import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../src/report/ansi.js';
import { renderConsoleSummary } from '../../src/report/console.js';
import { failingReport, passingReport, refinish } from '../fixtures/reports/build.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('renderConsoleSummary', () => {
  it('prints no colour codes when colour is off', () => {
    const text = renderConsoleSummary(failingReport(), { color: false });
    expect(text).not.toMatch(ANSI);
  });

  it('colours statuses and the verdict when colour is on, with the same text underneath', () => {
    const plain = renderConsoleSummary(failingReport(), { color: false });
    const coloured = renderConsoleSummary(failingReport(), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\u001b[31mFAIL\u001b[39m');
    expect(coloured).toContain('\u001b[1m\u001b[31mNOT CERTIFIED');
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('counts rows by family in catalogue order', () => {
    const text = renderConsoleSummary(failingReport(), { color: false });
    const familyLines = text
      .split('\n')
      .filter((l) => /^│ (META|SEC|AUTH|ROUTE|RES|SRCH|BATCH|LAT|all) /.test(l));
    expect(familyLines.map((l) => l.split('│')[1]!.trim())).toEqual([
      'META',
      'SEC',
      'AUTH',
      'ROUTE',
      'RES',
      'SRCH',
      'BATCH',
      'LAT',
      'all',
    ]);
    // RES: 1 pass, 2 fail, 1 na, 4 in all.
    const res = familyLines
      .find((l) => l.startsWith('│ RES '))!
      .split('│')
      .map((c) => c.trim());
    expect(res.slice(1, 10)).toEqual(['RES', '1', '2', '·', '·', '·', '·', '1', '4']);
  });

  it('lists failed, errored and warned rows, failures first, and nothing that passed', () => {
    const text = renderConsoleSummary(failingReport(), { color: false, width: 200 });
    const problemPart = text.slice(
      text.indexOf('Failed, errored and warned checks (9)'),
      text.indexOf('Latency'),
    );
    for (const id of [
      'AUTH-03',
      'ROUTE-02',
      'RES-PAT-1',
      'META-08',
      'RES-VAL-1',
      'SRCH-PAT-1',
      'META-05',
      'SEC-03',
    ]) {
      expect(problemPart).toContain(id);
    }
    expect(problemPart).not.toContain('META-01');
    expect(problemPart.indexOf('SRCH-PAT-1')).toBeGreaterThan(problemPart.indexOf('RES-VAL-1'));
    expect(problemPart.indexOf('META-05')).toBeGreaterThan(problemPart.indexOf('SRCH-PAT-1'));
  });

  it('shows the latency table with budgets', () => {
    const text = renderConsoleSummary(failingReport(), { color: false, width: 160 });
    expect(text).toMatch(
      /LAT-04 +│ search Observation\?patient&category=vital-signs +│ +20 │ +814 ms │ +1480 ms │ +1850 ms │ +600 ms │ FAIL/,
    );
  });

  it('ends with CERTIFIED for a certifiable pass, then names the rows a reviewer must attest', () => {
    const text = renderConsoleSummary(passingReport(), { color: false });
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      'CERTIFIED: all required checks passed',
      "2 checks need a reviewer's attestation: AUTH-09, AUTH-10",
    ]);
    const none = passingReport();
    none.checks = none.checks.filter((r) => r.status !== 'manual');
    const plain = renderConsoleSummary(refinish(none), { color: false });
    expect(plain.trimEnd().split('\n').at(-1)).toBe('CERTIFIED: all required checks passed');
  });

  it('says PASSED, NOT CERTIFIABLE with the reasons when the checks pass but the run cannot certify', () => {
    const report = passingReport();
    report.certifiable = false;
    report.notCertifiableReasons = ['--allow-insecure-http was set'];
    const text = renderConsoleSummary(refinish(report), { color: false });
    expect(text.trimEnd().split('\n').slice(-3)).toEqual([
      'PASSED, NOT CERTIFIABLE: --allow-insecure-http was set',
      'all required checks passed, but a run like this one cannot certify the partner',
      "2 checks need a reviewer's attestation: AUTH-09, AUTH-10",
    ]);
    expect(text).not.toContain('NOT CERTIFIED');
    const coloured = renderConsoleSummary(refinish(report), { color: true });
    expect(coloured).toContain('\u001b[1m\u001b[33mPASSED, NOT CERTIFIABLE');
  });

  it('says NOT CERTIFIED when a required check failed, and why the run could not certify anyway', () => {
    const text = renderConsoleSummary(failingReport(), { color: false });
    expect(text.trimEnd().split('\n').slice(-3)).toEqual([
      'NOT CERTIFIED: 7 required checks failed or errored',
      'this run could not certify in any case: --allow-insecure-http was set; only a subset was run (--only META,AUTH)',
      "2 checks need a reviewer's attestation: AUTH-09, AUTH-10",
    ]);
  });

  it('keeps every line within the given width', () => {
    for (const width of [80, 120]) {
      const text = renderConsoleSummary(failingReport(), { color: false, width });
      const tableLines = text.split('\n').filter((l) => /^[│┌└├]/.test(l));
      for (const line of tableLines) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('strips terminal control sequences from partner text', () => {
    const report = failingReport();
    report.checks.find((r) => r.status === 'fail')!.message =
      'evil \u001b[2J\u001b[31mred\u0007 text\nnext line';
    const text = renderConsoleSummary(report, { color: false, width: 200 });
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain('\u0007');
    expect(text).toContain('evil [2J[31mred text next line');
  });
});

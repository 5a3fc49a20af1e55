/**
 * `fhir-certify demo --variant unusual`, in-process: the unusual reference partner over HTTPS, with
 * short-lived tokens waited out (AUTH-09) and a rotated secret (AUTH-10), is certified in both
 * versions with no failed, warned, skipped or manual row: what a plain-http run cannot show for
 * SEC-01/SEC-02 and the manual AUTH rows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import type { Report } from '../../src/core/model.js';

const out = mkdtempSync(join(tmpdir(), 'fhir-certify-demo-unusual-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('fhir-certify demo --variant unusual', () => {
  it('certifies both versions over HTTPS with nothing failed, warned, skipped or manual', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(
      ['demo', '--variant', 'unusual', '--out', out, '--quiet', '--samples', '3', '--format', 'json'],
      {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        env: { NO_COLOR: '1' },
        isTTY: false,
      },
    );
    expect(code, stderr || stdout.slice(-2000)).toBe(0);
    expect(stdout).toContain('Demo: DSTU2 passed, STU3 passed.');
    const reports = readdirSync(out)
      .sort()
      .map((d) => JSON.parse(readFileSync(join(out, d, 'report.json'), 'utf8')) as Report);
    expect(reports).toHaveLength(2);
    for (const report of reports) {
      expect(report.certifiable, report.notCertifiableReasons.join('; ')).toBe(true);
      const notClean = report.checks
        .filter((c) => !['pass', 'na'].includes(c.status))
        .map((c) => `${c.requirement} ${c.status}: ${c.message}`);
      expect(notClean).toEqual([]);
      // The only rows not applicable: opaque tokens (AUTH-06), the probe without allergies, DSTU2's SRCH-PAT-6.
      const na = report.checks.filter((c) => c.status === 'na').map((c) => c.requirement);
      expect(new Set(na)).toEqual(
        new Set([
          'AUTH-06',
          'RES-ALG-1',
          'RES-ALG-2',
          ...(report.target.fhirVersion === '1.0.2' ? ['SRCH-PAT-6'] : []),
        ]),
      );
    }
  }, 120_000);
});

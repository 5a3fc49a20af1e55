/**
 * The README's first command, end to end: the built CLI (`npm test` builds first, as `npm run demo`
 * does) runs `demo` in its own process, certifies the reference partner as DSTU2 and STU3 over
 * HTTPS, exits 0, and leaves two reports that follow the contract, with nothing left manual.
 * It needs no program but node: the first run has a PATH without openssl. A second run with a fault
 * switched on (named in lower case) exits 1 with that requirement failed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/model.js';
import { expectContract } from '../helpers/contract.js';
import { runVerify } from '../../src/cli/commands/verify.js';

const cli = join(import.meta.dirname, '../../dist/src/cli/main.js');
const out = mkdtempSync(join(tmpdir(), 'fhir-certify-demo-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A PATH where no program at all is found, openssl included. */
const NO_PROGRAMS = join(tmpdir(), 'fhir-certify-no-programs-here');

async function demo(
  dir: string,
  extra: string[] = [],
  path = process.env.PATH,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [cli, 'demo', '--out', dir, '--quiet', '--samples', '5', ...extra],
      { timeout: 120_000, env: { ...process.env, PATH: path, NO_COLOR: '1' } },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function reports(dir: string): Report[] {
  return readdirSync(dir)
    .sort()
    .map((d) => JSON.parse(readFileSync(join(dir, d, 'report.json'), 'utf8')) as Report);
}

describe('fhir-certify demo (the built CLI)', () => {
  it('certifies both versions over HTTPS with no openssl on the PATH, exits 0 and writes two contract reports', async () => {
    expect(existsSync(cli), `${cli} is missing: npm test builds it first`).toBe(true);
    expect(() =>
      execFileSync('openssl', ['version'], { env: { PATH: NO_PROGRAMS }, stdio: 'ignore' }),
    ).toThrow();
    const dir = join(out, 'pass');
    const run = await demo(dir, [], NO_PROGRAMS);
    expect(run.code, run.stderr || run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toContain('Demo: DSTU2 passed, STU3 passed.');
    const [dstu2, stu3] = reports(dir);
    expect([dstu2?.target.fhirVersion, stu3?.target.fhirVersion]).toEqual(['1.0.2', '3.0.1']);
    for (const report of [dstu2!, stu3!]) {
      expectContract(report);
      expect(report.verdict).toBe('pass');
      expect(report.certifiable, report.notCertifiableReasons.join('; ')).toBe(true);
      expect(report.target.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      expect(report.summary.manual).toBe(0);
      expect(report.summary.fail + report.summary.error).toBe(0);
    }
    for (const d of readdirSync(dir)) {
      for (const f of ['report.json', 'report.html', 'junit.xml', 'summary.md'])
        expect(existsSync(join(dir, d, f)), `${d}/${f}`).toBe(true);
      expect((await runVerify([join(dir, d, 'report.json')])).exitCode).toBe(0);
    }
  }, 150_000);

  it('exits 1 with the requirement failed when a fault is switched on', async () => {
    const dir = join(out, 'fault');
    const run = await demo(dir, ['--fault', 'auth-03']);
    expect(run.code).toBe(1);
    for (const report of reports(dir)) {
      expect(report.verdict).toBe('fail');
      expect(report.checks.filter((c) => c.requirement === 'AUTH-03').map((c) => c.status)).toContain('fail');
    }
  }, 150_000);
});

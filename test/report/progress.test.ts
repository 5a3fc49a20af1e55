/**
 * Progress a person can follow: a live line on a terminal (checks done of all, time, the check
 * running, the latency request counter), one line per finished family in a CI log (stderr), and
 * nothing with --quiet. The end-to-end cases run the CLI against the reference partner, with a
 * terminal simulated through the io object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { defineCheck, pass, type Check } from '../../src/engine/check.js';
import type { CheckRow, Status } from '../../src/core/model.js';
import { clock, logProgress, terminalProgress } from '../../src/report/progress.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';

const check = (requirement: string): Check =>
  defineCheck({ id: requirement.toLowerCase(), requirement, run: () => Promise.resolve(pass('')) });
const rows = (...statuses: Status[]): CheckRow[] =>
  statuses.map((status) => ({
    id: 'x',
    requirement: 'X',
    level: 'required',
    title: 'x',
    status,
    message: '',
    evidence: [],
    durationMs: 0,
  }));

describe('logProgress', () => {
  it('writes one line per family once its last check finished, with counts and times', () => {
    const lines: string[] = [];
    let t = 0;
    const checks = [check('META-01'), check('RES-PAT-1'), check('BATCH-1'), check('RES-VAL-1')];
    const p = logProgress({ checks, write: (s) => lines.push(s), now: () => t });
    for (const [c, took, result] of [
      [checks[0]!, 1200, rows('pass')],
      [checks[1]!, 3000, rows('pass', 'fail')],
      [checks[2]!, 500, rows('pass')],
      [checks[3]!, 64_000, rows('pass', 'pass', 'warn')],
    ] as const) {
      p.checkStarted(c);
      t += took;
      p.checkFinished(c, result);
    }
    expect(lines).toEqual([
      'fhir-certify: 4 checks to run; a line follows each finished family\n',
      'fhir-certify: META done in 1.2 s: 1 pass (1/4 checks, 0:01 elapsed)\n',
      'fhir-certify: BATCH done in 500 ms: 1 pass (3/4 checks, 0:04 elapsed)\n',
      // RES ran in two stretches; its line waits for the last one.
      'fhir-certify: RES done in 67.0 s: 3 pass, 1 fail, 1 warn (4/4 checks, 1:08 elapsed)\n',
    ]);
  });
});

describe('terminalProgress', () => {
  it('shows checks done of all, elapsed time, the family and check running, and a check’s detail', () => {
    const frames: string[] = [];
    let t = 0;
    const checks = [check('META-05'), check('LAT-03')];
    const p = terminalProgress({ checks, write: (s) => frames.push(s), now: () => t, columns: 80 });
    p.checkStarted(checks[0]!);
    t += 2000;
    p.checkFinished(checks[0]!, rows('pass'));
    p.checkStarted(checks[1]!);
    t += 63_000;
    p.detail('LAT-03 GET Patient/{probe.id} 12/22 requests (3.4 s)');
    p.stop();
    expect(frames).toEqual([
      '\r\x1b[2K0/2 checks · 0:00 · META: META-05 security.service has the OAuth coding',
      '\r\x1b[2K1/2 checks · 0:02 · META: META-05 security.service has the OAuth coding',
      '\r\x1b[2K1/2 checks · 0:02 · LAT: LAT-03 read by id p95 within budget',
      '\r\x1b[2K1/2 checks · 1:05 · LAT: LAT-03 GET Patient/{probe.id} 12/22 requests (3.4 s)',
      '\r\x1b[2K',
    ]);
    for (const f of frames) expect(f.replace('\r\x1b[2K', '').length).toBeLessThan(80);
  });

  it('formats elapsed time as a clock', () => {
    expect([clock(0), clock(7_900), clock(155_000), clock(3_755_000)]).toEqual([
      '0:00',
      '0:07',
      '2:35',
      '1:02:35',
    ]);
  });
});

describe('fhir-certify run prints progress', () => {
  let partner: ReferencePartner;
  const out = mkdtempSync(join(tmpdir(), 'fhir-certify-progress-'));
  beforeAll(async () => {
    partner = await startReferencePartner();
  });
  afterAll(async () => {
    await partner?.close();
    rmSync(out, { recursive: true, force: true });
  });

  async function run(isTTY: boolean, extra: string[] = []): Promise<{ stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    await main(
      [
        'run',
        ...['--base-url', partner.baseUrl('stu3'), '--allow-insecure-http', '--client-id', partner.clientId],
        ...partner.tenants.flatMap((t) => ['--tenant', t]),
        ...['--only', 'META,LAT-01', '--samples', '3', '--format', 'json', '--out', out],
        ...extra,
      ],
      {
        stdout: (t) => void (stdout += t),
        stderr: (t) => void (stderr += t),
        env: { FHIR_CERTIFY_CLIENT_SECRET: partner.clientSecret },
        isTTY,
        columns: 100,
      },
    );
    return { stdout, stderr };
  }

  it('in a log (no terminal): a line per finished family on stderr, and no live line', async () => {
    const { stdout, stderr } = await run(false);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^fhir-certify: \d+ checks to run; a line follows each finished family$/);
    expect(lines.slice(1).map((l) => /^fhir-certify: (\w+) done in /.exec(l)?.[1])).toEqual(['META', 'LAT']);
    expect(lines[1]).toMatch(
      /^fhir-certify: META done in [\d.]+ m?s: \d+ pass.* \(\d+\/\d+ checks, 0:\d\d elapsed\)$/,
    );
    expect(stdout).not.toContain('\r');
  }, 60_000);

  it('on a terminal: a live line with counts, time, the check running and the request counter', async () => {
    const { stdout, stderr } = await run(true);
    expect(stderr).toBe('');
    const frames = stdout.split('\r\x1b[2K').slice(1, -1);
    expect(frames.some((f) => /^0\/\d+ checks · 0:\d\d · META: META-01 GET metadata/.test(f))).toBe(true);
    expect(frames.some((f) => /^\d+\/\d+ checks · 0:\d\d · LAT: LAT-01 .* requests \(/.test(f))).toBe(true);
    for (const f of frames) expect(f.length).toBeLessThan(100);
  }, 60_000);

  it('says nothing while running with --quiet, on a terminal or not', async () => {
    const log = await run(false, ['--quiet']);
    expect(log.stderr).toBe('');
    const tty = await run(true, ['--quiet']);
    expect(tty.stdout).not.toContain('\r');
    expect(tty.stdout).toMatch(/PASSED, NOT CERTIFIABLE/);
  }, 60_000);
});

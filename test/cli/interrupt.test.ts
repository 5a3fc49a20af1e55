/**
 * A stopped run keeps its evidence: the built CLI in its own process, against a partner that stalls,
 * is sent SIGINT or SIGTERM mid-run. It must cancel what is in flight, mark the unfinished checks
 * `error` naming the signal, write the report and the console summary, and exit 130 or 143. A second
 * signal ends it at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { delay, http } from 'msw';
import type { Report } from '../../src/core/model.js';
import type { MswPartner } from '../helpers/msw-partner.js';
import { SECRET, runArgs, startMiniPartner } from '../hostile/mini-partner.js';

const cli = join(import.meta.dirname, '../../dist/src/cli/main.js');
const scratch = mkdtempSync(join(tmpdir(), 'fhir-certify-interrupt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  out: string;
}

/** Starts a run whose Patient requests stall, sends `signals` once the first one is waiting. */
async function interrupted(signals: NodeJS.Signals[]): Promise<Stopped> {
  let stalled = 0;
  partner = await startMiniPartner({
    extra: [
      http.all('*/fhir/Patient*', async () => {
        stalled += 1;
        await delay(60_000);
      }),
    ],
  });
  const out = mkdtempSync(join(scratch, 'run-'));
  const child = spawn(
    process.execPath,
    [cli, ...runArgs(partner.baseUrl), '--timeout', '60000', '--out', out],
    { env: { ...process.env, FHIR_CERTIFY_CLIENT_SECRET: SECRET, NO_COLOR: '1' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let waited = 0; stalled === 0 && waited < 20_000; waited += 50) await delay(50);
  expect(stalled, `the run never reached a Patient request: ${stderr}`).toBeGreaterThan(0);
  const start = Date.now();
  for (const signal of signals) {
    child.kill(signal);
    await delay(20);
  }
  const code = await exited;
  return { code, stdout, stderr, ms: Date.now() - start, out };
}

function reportIn(out: string): Report | undefined {
  const [dir] = readdirSync(out);
  const file = dir ? join(out, dir, 'report.json') : '';
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : undefined;
}

describe('an interrupted run (the built CLI)', () => {
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: cancels the requests in flight, writes the report and the summary, exits ${exitCode}`, async () => {
      expect(existsSync(cli), `${cli} is missing: npm test builds it first`).toBe(true);
      const run = await interrupted([signal]);
      expect(run.code, run.stderr).toBe(exitCode);
      // Within a few seconds, not at the 60 s request timeout.
      expect(run.ms).toBeLessThan(10_000);
      expect(run.stderr).toContain(`interrupted by ${signal}`);
      expect(run.stdout).toMatch(/NOT CERTIFIED/);
      expect(run.stdout).toMatch(/^Reports: /m);
      const report = reportIn(run.out);
      expect(report).toBeDefined();
      const stopped = report!.checks.filter((r) => r.message.includes(`interrupted by ${signal}`));
      expect(stopped.length).toBeGreaterThan(0);
      expect(stopped.every((r) => r.status === 'error')).toBe(true);
      // The checks that finished before the signal kept their own verdicts.
      expect(report!.checks.some((r) => r.requirement === 'META-01' && r.status === 'pass')).toBe(true);
      // Nothing half-written beside the report.
      const [dir] = readdirSync(run.out);
      expect(readdirSync(join(run.out, dir!)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }, 60_000);
  }

  it('a second signal ends the process at once', async () => {
    const run = await interrupted(['SIGINT', 'SIGINT']);
    expect(run.code).toBe(130);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stderr).toContain('SIGINT again: stopping at once');
  }, 60_000);
});

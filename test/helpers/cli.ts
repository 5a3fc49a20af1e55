/** Runs the fhir-certify program in-process and collects what a user would see. */
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/program.js';
import type { Report } from '../../src/core/model.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
  /** The report of the run, when one was written. */
  report?: Report;
  reportDir?: string;
  /** Every byte the run wrote: console, stderr and every report file. */
  everything(): string;
}

/**
 * Every run's folder lives until the test file ends (tests read reports in later tests of the same
 * file), then goes: registered on import, this hook belongs to the importing file.
 */
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, withOut = true): Promise<CliRun> {
  const out = mkdtempSync(join(tmpdir(), 'fhir-certify-test-'));
  folders.push(out);
  let stdout = '';
  let stderr = '';
  const code = await main(withOut ? [...args, '--out', out] : args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    isTTY: false,
  });
  const dirs = existsSync(out) ? readdirSync(out) : [];
  const reportDir = dirs.length === 1 ? join(out, dirs[0]!) : undefined;
  const reportFile = reportDir ? join(reportDir, 'report.json') : undefined;
  const report =
    reportFile && existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Report)
      : undefined;
  return {
    code,
    stdout,
    stderr,
    out,
    ...(report ? { report } : {}),
    ...(reportDir ? { reportDir } : {}),
    everything: () =>
      [
        stdout,
        stderr,
        ...(reportDir ? readdirSync(reportDir).map((f) => readFileSync(join(reportDir, f), 'utf8')) : []),
      ].join('\n'),
  };
}

/** The rows of one requirement. */
export function rowsOf(report: Report | undefined, requirement: string): Report['checks'] {
  if (!report) throw new Error('no report was written');
  return report.checks.filter((c) => c.requirement === requirement);
}

export function statusOf(report: Report | undefined, requirement: string): string {
  const rows = rowsOf(report, requirement);
  if (rows.length === 0) throw new Error(`no row for ${requirement}`);
  const order = ['error', 'fail', 'warn', 'skip', 'manual', 'na', 'pass'];
  return order.find((s) => rows.some((r) => r.status === s))!;
}

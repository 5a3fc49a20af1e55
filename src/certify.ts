/**
 * One certification run, end to end: resolve nothing (options come validated), run the selected checks
 * over one HTTP client, build the report, mask it once more, write every format and print the summary.
 * Whatever the partner does, a report is written.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError } from './config/errors.js';
import type { Check } from './engine/check.js';
import type { RunOptions } from './engine/options.js';
import { runChecks } from './engine/run-checks.js';
import { selectChecks } from './engine/select.js';
import type { RunState } from './engine/state.js';
import { HttpClient } from './http/client.js';
import { Redactor } from './http/redact.js';
import { buildReport } from './report/build.js';
import { renderConsoleSummary } from './report/console.js';
import type { Report } from './report/model.js';
import { signReport } from './report/verify.js';
import { writeReportFiles } from './report/write.js';
import { toolVersion } from './paths.js';
import { allChecks } from '../suites/index.js';

export interface CertifyIo {
  /** Where the console summary goes. */
  write(text: string): void;
  /** Colour and progress only on a terminal. */
  isTTY: boolean;
}

export interface CertifyResult {
  report: Report;
  dir: string;
  files: string[];
  exitCode: 0 | 1;
}

export async function certify(
  options: RunOptions,
  io: CertifyIo,
  checks: Check[] = allChecks,
): Promise<CertifyResult> {
  const startedAt = new Date();
  const redactor = new Redactor();
  redactor.addSecret(options.clientSecret);
  redactor.addSecret(options.rotatedSecret);
  const client = new HttpClient({
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    redactor,
    allowInsecureHttp: options.allowInsecureHttp,
    userAgent: `fhir-certify/${toolVersion}`,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const state: RunState = { notCertifiableReasons: [] };
  if (options.fhirVersion !== 'auto') state.fhirVersion = options.fhirVersion;
  if (options.allowInsecureHttp) {
    state.notCertifiableReasons.push(
      'plain http was allowed (--allow-insecure-http): a run over http cannot certify',
    );
  }
  if (options.only) {
    state.notCertifiableReasons.push(
      `only part of the requirements was run (--only ${options.only.join(',')})`,
    );
  }
  const progress = io.isTTY && !options.quiet ? (text: string) => io.write(`\r\x1b[2K${text}`) : undefined;

  let result;
  try {
    result = await runChecks({
      checks: selectChecks(checks, options.only),
      options,
      client,
      redactor,
      state,
      ...(progress ? { progress, onRow: (row) => progress(`${row.requirement} ${row.status}`) } : {}),
    });
  } finally {
    await client.close();
  }
  if (progress) io.write('\r\x1b[2K');

  // Evidence was masked at capture; this second pass covers anything a check wrote into a message.
  const masked = JSON.parse(
    redactor.mask(JSON.stringify({ rows: result.rows, latency: result.latency })),
  ) as {
    rows: typeof result.rows;
    latency: typeof result.latency;
  };
  const built = buildReport({
    toolVersion,
    target: {
      baseUrl: options.baseUrl,
      fhirVersion: state.fhirVersionString ?? state.fhirVersion ?? null,
      profile: state.profile?.name ?? null,
      tenants: options.tenants,
      tokenUrl: state.tokenUrl ?? null,
      settings: settingsOf(options),
    },
    startedAt,
    finishedAt: new Date(),
    rows: masked.rows,
    latency: masked.latency,
    notCertifiableReasons: state.notCertifiableReasons,
  });
  const signed = options.signKey ? signReport(built, options.signKey) : undefined;
  const report = signed ?? built;

  const dir = uniqueDir(
    join(options.out, `${stampOf(startedAt)}-${hostOf(options.baseUrl)}-${state.fhirVersion ?? 'unknown'}`),
  );
  const files = await writeReportFiles(report, dir, options.formats).catch((err: unknown) => {
    // The disk, not the harness: a full disk or a folder removed mid-run.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new ConfigError(
      `could not write the report to ${dir} (${code}); free space or give --out a writable folder`,
    );
  });
  io.write(`${renderConsoleSummary(report, { color: io.isTTY && !process.env.NO_COLOR })}\n`);
  if (signed) io.write(`Signed with Ed25519 key ${signed.signature.publicKeyFingerprint}\n`);
  io.write(`Reports: ${dir}\n`);
  return { report, dir, files, exitCode: report.verdict === 'pass' ? 0 : 1 };
}

function settingsOf(o: RunOptions): Record<string, unknown> {
  return {
    fhirVersionOption: o.fhirVersion,
    tokenAuthMethod: o.tokenAuthMethod,
    timeoutMs: o.timeoutMs,
    runTimeoutMs: o.runTimeoutMs,
    maxResponseBytes: o.maxResponseBytes,
    maxPages: o.maxPages,
    maxRedirects: 0,
    samples: o.samples,
    concurrency: o.concurrency,
    maxExpiryWaitS: o.maxExpiryWaitS,
    allowInsecureHttp: o.allowInsecureHttp,
    extraCa: o.caPath ?? null,
    only: o.only ?? null,
    budgets: o.budgets,
    rotationAutomated: o.rotatedSecret !== undefined,
    harnessHost: hostname(),
  };
}

function stampOf(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host.replace(/[^A-Za-z0-9.-]+/g, '_');
}

function uniqueDir(dir: string): string {
  let candidate = dir;
  for (let n = 2; existsSync(candidate); n++) candidate = `${dir}-${n}`;
  return candidate;
}

/**
 * One certification run, end to end: resolve nothing (options come validated), run the selected checks
 * over one HTTP client, build the report, mask it once more, write every format and print the summary.
 * Whatever the partner does, a report is written.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Check } from './engine/check.js';
import type { RunOptions } from './engine/options.js';
import { runChecks } from './engine/run-checks.js';
import { selectChecks } from './engine/select.js';
import { fhirVersion, profile, statedTokenUrl, tokenUrl } from './partner/facts.js';
import { HttpClient } from './http/client.js';
import { Redactor } from './http/redact.js';
import { buildReport } from './report/build.js';
import { credentialDestination } from './report/credential-destination.js';
import { renderConsoleSummary } from './report/console.js';
import { logProgress, terminalProgress, type RunProgress } from './report/progress.js';
import type { Report } from './core/model.js';
import { signReport } from './report/verify.js';
import { writeReportFiles } from './report/write.js';
import { checkOutDir } from './config/out-dir.js';
import { maskDeep } from './http/mask-deep.js';
import { toolVersion } from './core/paths.js';

export interface CertifyIo {
  /** Where the console summary goes, and the live progress line on a terminal. */
  write(text: string): void;
  /** Colour and a live progress line only on a terminal. */
  isTTY: boolean;
  /** Off a terminal, a progress line per finished family goes here (a CI log); none when absent. */
  stderr?(text: string): void;
  /** The terminal's width, so the live line never wraps. */
  columns?: number;
  /** Aborted when the user stops the run; the report is still written. */
  interrupt?: AbortSignal;
}

export interface CertifyResult {
  report: Report;
  dir: string;
  files: string[];
  /** 0 certified, 1 not certified, 2 when no report file could be written. */
  exitCode: 0 | 1 | 2;
}

export async function certify(options: RunOptions, io: CertifyIo, checks: Check[]): Promise<CertifyResult> {
  const redactor = new Redactor();
  redactor.addSecret(options.clientSecret);
  redactor.addSecret(options.rotatedSecret);
  try {
    return await certifyMasked(options, io, checks, redactor);
  } catch (err) {
    // A defect of the harness ends the command with its message: masked like everything else.
    if (err instanceof Error) {
      err.message = redactor.mask(err.message);
      if (err.stack) err.stack = redactor.mask(err.stack);
    }
    throw err;
  }
}

async function certifyMasked(
  options: RunOptions,
  io: CertifyIo,
  checks: Check[],
  redactor: Redactor,
): Promise<CertifyResult> {
  // Before the first request: a run must not end with nowhere to put its report.
  await checkOutDir(options.out);
  const startedAt = new Date();
  const write = (text: string): void => io.write(redactor.mask(text));
  const client = new HttpClient({
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    redactor,
    allowInsecureHttp: options.allowInsecureHttp,
    userAgent: `fhir-certify/${toolVersion}`,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const notCertifiableReasons: string[] = [];
  if (options.allowInsecureHttp) {
    notCertifiableReasons.push(
      'plain http was allowed (--allow-insecure-http): a run over http cannot certify',
    );
  }
  if (options.only) {
    notCertifiableReasons.push(`only part of the requirements was run (--only ${options.only.join(',')})`);
  }
  const selected = selectChecks(checks, options.only);
  const progress = progressFor(selected, options, io, redactor);

  let result;
  try {
    result = await runChecks({
      checks: selected,
      options,
      client,
      redactor,
      ...(io.interrupt ? { interrupt: io.interrupt } : {}),
      ...(progress ? { progress: (text: string) => progress.detail(text), watch: progress } : {}),
    });
  } finally {
    progress?.stop();
    await client.close();
  }

  const learned = result.facts.peek(fhirVersion);
  const version = learned?.version ?? (options.fhirVersion === 'auto' ? undefined : options.fhirVersion);
  const tokenUrlFound = result.facts.peek(tokenUrl) ?? result.facts.shared(statedTokenUrl).url;
  // Evidence was masked at capture; this second pass covers anything a check wrote into a message and
  // whatever the partner chose for values the target quotes (its token URL, its version string).
  const built = buildReport({
    ...maskDeep(
      {
        toolVersion,
        target: {
          baseUrl: options.baseUrl,
          fhirVersion: learned?.declared ?? version ?? null,
          profile: result.facts.peek(profile)?.name ?? null,
          tenants: options.tenants,
          tokenUrl: tokenUrlFound ?? null,
          credentialsSentTo: credentialDestination(options.baseUrl, tokenUrlFound),
          settings: settingsOf(options),
        },
        rows: result.rows,
        latency: result.latency,
        notCertifiableReasons,
        ...(result.diagnosis ? { diagnosis: result.diagnosis } : {}),
      },
      redactor,
    ),
    startedAt,
    finishedAt: new Date(),
  });
  const signed = options.signKey ? signReport(built, options.signKey) : undefined;
  const report = signed ?? built;

  const dir = uniqueDir(
    join(options.out, `${stampOf(startedAt)}-${hostOf(options.baseUrl)}-${version ?? 'unknown'}`),
  );
  const { written, failed } = await writeReportFiles(report, dir, options.formats, process.env, (text) =>
    redactor.mask(text),
  );
  write(`${renderConsoleSummary(report, { color: io.isTTY && !process.env.NO_COLOR })}\n`);
  if (signed) write(`Signed with Ed25519 key ${signed.signature.publicKeyFingerprint}\n`);
  for (const { path, reason } of failed) write(`Could not write ${path}: ${reason}\n`);
  if (written.length > 0) write(`Reports: ${dir}\n`);
  const nothingWritten = written.length === 0 && options.formats.length > 0;
  return {
    report,
    dir,
    files: written,
    exitCode: nothingWritten ? 2 : report.verdict === 'pass' ? 0 : 1,
  };
}

function progressFor(
  selected: Check[],
  options: RunOptions,
  io: CertifyIo,
  redactor: Redactor,
): RunProgress | undefined {
  if (options.quiet) return undefined;
  if (io.isTTY) {
    return terminalProgress({
      checks: selected,
      write: (text) => io.write(redactor.mask(text)),
      ...(io.columns ? { columns: io.columns } : {}),
    });
  }
  const { stderr } = io;
  return stderr ? logProgress({ checks: selected, write: (text) => stderr(redactor.mask(text)) }) : undefined;
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

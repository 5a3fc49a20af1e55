/** `fhir-certify verify <report.json> [--verify-key <pem>]`: was the report changed, and who signed it. */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { runCaptured } from '../../report/cli-capture.js';
import { deliver, type CliIo } from '../io.js';
import type { CliResult } from '../../report/cli-capture.js';
import { loadReport } from '../../report/load.js';
import { verifyReport } from '../../report/verify.js';
import type { SignedReport } from '../../report/verify.js';

export interface VerifyCliOptions {
  verifyKey?: string;
}

export async function executeVerify(path: string, opts: VerifyCliOptions): Promise<CliResult> {
  const loaded = await loadReport(path);
  if (!loaded.ok) return { exitCode: 2, stdout: '', stderr: `fhir-certify verify: ${loaded.reason}\n` };
  let publicKeyPem: string | undefined;
  if (opts.verifyKey !== undefined) {
    try {
      publicKeyPem = await readFile(opts.verifyKey, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      return {
        exitCode: 2,
        stdout: '',
        stderr: `fhir-certify verify: cannot read the verify key ${opts.verifyKey} (${code}): pass the path of the signer's public key PEM.\n`,
      };
    }
  }
  const outcome = verifyReport(
    loaded.report as SignedReport,
    publicKeyPem === undefined ? {} : { publicKeyPem },
  );
  return outcome.exitCode === 0
    ? { exitCode: 0, stdout: `${path}: ${outcome.message}\n`, stderr: '' }
    : {
        exitCode: outcome.exitCode,
        stdout: '',
        stderr: `fhir-certify verify: ${path}: ${outcome.message}\n`,
      };
}

function define(command: Command): Command {
  return command
    .description("recompute a report's digest; with --verify-key also check its Ed25519 signature")
    .argument('<report>', 'a report.json written by fhir-certify run')
    .option(
      '--verify-key <pem file>',
      "the signer's Ed25519 public key (PEM); the report must be signed by it",
    );
}

export function verifyCommand(io: CliIo): Command {
  return define(new Command('verify')).action(async (path: string, opts: VerifyCliOptions) => {
    deliver(io, await executeVerify(path, opts));
  });
}

/** The verify command on an argument list (the words after `verify`), for tests and embedding. */
export function runVerify(args: readonly string[]): Promise<CliResult> {
  return runCaptured(
    (done) =>
      define(new Command('verify')).action(async (path: string, opts: VerifyCliOptions) => {
        done(await executeVerify(path, opts));
      }),
    args,
  );
}

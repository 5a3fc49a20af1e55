/**
 * A certification run as the command line starts it: every suite's checks, the console summary and
 * progress on the CLI's own streams. The one place, with the registry import, where the CLI hands
 * checks to the runner.
 */
import { allChecks } from '../../suites/index.js';
import { certify, type CertifyResult } from '../certify.js';
import type { RunOptions } from '../engine/options.js';
import type { CliIo } from './io.js';

export function certifyAll(options: RunOptions, io: CliIo, interrupt?: AbortSignal): Promise<CertifyResult> {
  return certify(
    options,
    {
      write: io.stdout,
      stderr: io.stderr,
      isTTY: io.isTTY,
      ...(io.columns ? { columns: io.columns } : {}),
      ...(interrupt ? { interrupt } : {}),
    },
    allChecks,
  );
}

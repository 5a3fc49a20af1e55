/**
 * Runs a commander command on an argument list and captures what it prints, so the diff and verify
 * commands are testable without spawning a process. Usage errors become exit code 2.
 */
import { CommanderError } from 'commander';
import type { Command } from 'commander';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCaptured(
  build: (run: (result: CliResult) => void) => Command,
  args: readonly string[],
): Promise<CliResult> {
  let result: CliResult | undefined;
  const printed = { stdout: '', stderr: '' };
  const command = build((r) => {
    result = r;
  })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        printed.stdout += s;
      },
      writeErr: (s) => {
        printed.stderr += s;
      },
    });
  try {
    await command.parseAsync([...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      return { exitCode: err.exitCode === 0 ? 0 : 2, ...printed };
    }
    throw err;
  }
  if (!result) return { exitCode: 0, ...printed };
  return {
    exitCode: result.exitCode,
    stdout: printed.stdout + result.stdout,
    stderr: printed.stderr + result.stderr,
  };
}

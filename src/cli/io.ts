/** The process edges a command touches, passed in so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** The terminal's width when stdout is one. */
  columns?: number;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  get columns() {
    return process.stdout.columns;
  },
};

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, notCertified: 1, usage: 2, internal: 3 } as const;

/** Thrown by a command to end with a given exit code after it has printed what it had to say. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Prints a command's captured result and ends with its exit code. */
export function deliver(io: CliIo, result: { exitCode: number; stdout: string; stderr: string }): never {
  if (result.stdout) io.stdout(result.stdout);
  if (result.stderr) io.stderr(result.stderr);
  throw new ExitRequest(result.exitCode);
}

/** The process edges a command touches, passed in so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
};

/** Exit codes of the CLI contract. */
export const EXIT = { ok: 0, notCertified: 1, usage: 2, internal: 3 } as const;

/** Thrown by a command to end with a given exit code after it has printed what it had to say. */
export class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

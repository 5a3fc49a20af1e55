/**
 * Ctrl-C and SIGTERM (a cancelled or timed-out CI job) stop a run without losing it: the first signal
 * cancels the requests in flight and lets the run write its report and summary; a second one ends the
 * process at once, as a user pressing Ctrl-C twice expects.
 */
import { constants } from 'node:os';
import type { CliIo } from './io.js';

const HANDLED = ['SIGINT', 'SIGTERM'] as const;
type Handled = (typeof HANDLED)[number];

export interface Interrupts {
  readonly signal: AbortSignal;
  /** 128 + the signal's number once one arrived (130 for SIGINT, 143 for SIGTERM). */
  exitCode(): number | undefined;
  dispose(): void;
}

export function catchInterrupts(io: CliIo): Interrupts {
  const controller = new AbortController();
  let received: Handled | undefined;
  const codeOf = (name: Handled): number => 128 + constants.signals[name];
  const handler = (name: Handled): void => {
    if (received) {
      io.stderr(`\nfhir-certify: ${name} again: stopping at once, no report\n`);
      process.exit(codeOf(name));
    }
    received = name;
    io.stderr(
      `\nfhir-certify: interrupted by ${name}: cancelling the requests in flight and writing the report (${name} again to stop at once)\n`,
    );
    controller.abort(`interrupted by ${name}`);
  };
  const listeners = HANDLED.map((name) => [name, () => handler(name)] as const);
  for (const [name, listener] of listeners) process.on(name, listener);
  return {
    signal: controller.signal,
    exitCode: () => (received ? codeOf(received) : undefined),
    dispose: () => {
      for (const [name, listener] of listeners) process.off(name, listener);
    },
  };
}

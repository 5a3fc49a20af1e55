#!/usr/bin/env node
import { EXIT, processIo } from './io.js';

// Loading the program reads the package's own files (its manifest, the requirement catalogue). A
// package that cannot load them is a defect of the harness, exit 3, not the exit 1 of an uncaught
// error, which a pipeline would read as a partner that was not certified.
process.exitCode = await import('./program.js').then(
  ({ main }) => main(process.argv.slice(2), processIo),
  (err: unknown) => {
    processIo.stderr(
      `fhir-certify: the harness itself failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return EXIT.internal;
  },
);
// The report is written by now. A request a partner never finished, abandoned at the whole-run
// timeout, must not keep the process alive: give stdout a moment to drain, then leave.
setTimeout(() => process.exit(), 2000).unref();

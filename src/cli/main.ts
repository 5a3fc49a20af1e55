#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './program.js';

process.exitCode = await main(process.argv.slice(2), processIo);
// The report is written by now. A request a partner never finished, abandoned at the whole-run
// timeout, must not keep the process alive: give stdout a moment to drain, then leave.
setTimeout(() => process.exit(), 2000).unref();

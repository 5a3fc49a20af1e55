/** Runs `serve-reference` as its own process for the CLI test (the lead wires it into src/cli/main.ts). */
import { Command } from 'commander';
import { serveReferenceCommand } from '../../src/cli/commands/serve-reference.js';

await new Command('fhir-certify')
  .addCommand(serveReferenceCommand())
  .parseAsync(['serve-reference', ...process.argv.slice(2)], { from: 'user' });

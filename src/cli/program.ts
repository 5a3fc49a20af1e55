/**
 * The fhir-certify program as a function of argv and io, returning the exit code, so tests can run
 * every command in-process and the bin stays two lines.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/config-error.js';
import { toolVersion } from '../core/paths.js';
import { EXIT, ExitRequest, type CliIo } from './io.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { runCommand } from './commands/run.js';
import { serveReferenceCommand } from './commands/serve-reference.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('fhir-certify')
    .description(
      'Certify a FHIR partner endpoint for the Teams Patients app: capability statement, OAuth, tenants, resources, searches, latency.',
    )
    .version(toolVersion)
    .addCommand(runCommand(io))
    .addCommand(demoCommand(io))
    .addCommand(serveReferenceCommand(io))
    .addCommand(diffCommand(io))
    .addCommand(verifyCommand(io))
    .addCommand(validateCommand(io));
  const prepare = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`fhir-certify: ${text.replace(/^error: /, '')}`),
    });
    cmd.showHelpAfterError('(run with --help to see every option)');
    cmd.commands.forEach(prepare);
  };
  prepare(program);
  return program;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ExitRequest) return err.code;
    if (err instanceof CommanderError) {
      // Help and --version end through here with exit code 0; everything else is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.stderr(`fhir-certify: ${err.message}\n`);
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`fhir-certify: the harness itself failed: ${message}\n`);
    if (io.env.FHIR_CERTIFY_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return EXIT.internal;
  }
}

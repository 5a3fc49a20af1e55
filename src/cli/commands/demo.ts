/**
 * `fhir-certify demo`: a user's first minute. Starts the embedded reference partner on a free loopback
 * port, certifies it as DSTU2 and as STU3 with the same code path as `run`, writes both reports, and
 * exits 0 only when both pass.
 */
import { Command } from 'commander';
import { certify } from '../../certify.js';
import { resolveRunOptions, type RawOptions } from '../../config/resolve.js';
import { startReferencePartner } from '../../reference/index.js';
import { ExitRequest, type CliIo } from '../io.js';

const SECRET_ENV = 'FHIR_CERTIFY_DEMO_SECRET';

export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description(
      'start the embedded reference partner on a free loopback port, certify it as DSTU2 and as STU3, write both reports; exit 0 when both pass',
    )
    .option('--out <dir>', 'where report folders are written (default ./reports)')
    .option('--format <list>', 'json,html,junit,md (default all)')
    .option('--samples <n>', 'latency samples per interaction (default 10 in the demo)')
    .option(
      '--fault <name>',
      'switch on a named nonconformity of the reference partner, to see a failing report',
      collect,
    )
    .option('--quiet', 'no progress line')
    .action(async (flags: RawOptions & { fault?: string[] }) => {
      const partner = await startReferencePartner({ faults: flags.fault ?? [] });
      const passed: boolean[] = [];
      try {
        for (const version of ['dstu2', 'stu3'] as const) {
          io.stdout(
            `\n== Certifying the reference partner as ${version.toUpperCase()} at ${partner.baseUrl(version)}\n`,
          );
          const options = resolveRunOptions(
            {
              baseUrl: partner.baseUrl(version),
              clientId: partner.clientId,
              clientSecretEnv: SECRET_ENV,
              tenant: partner.tenants,
              allowInsecureHttp: true,
              samples: flags.samples ?? 10,
              ...pick(flags, ['out', 'format', 'quiet']),
            },
            { ...io.env, [SECRET_ENV]: partner.clientSecret },
          );
          const result = await certify(options, { write: io.stdout, isTTY: io.isTTY });
          passed.push(result.exitCode === 0);
        }
      } finally {
        await partner.close();
      }
      const ok = passed.every(Boolean);
      io.stdout(
        `\nDemo: DSTU2 ${passed[0] ? 'passed' : 'failed'}, STU3 ${passed[1] ? 'passed' : 'failed'}.\n`,
      );
      throw new ExitRequest(ok ? 0 : 1);
    });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function pick(flags: RawOptions, keys: string[]): RawOptions {
  return Object.fromEntries(keys.filter((k) => flags[k] !== undefined).map((k) => [k, flags[k]]));
}

/** `fhir-certify run`: certify one partner endpoint. */
import { Command, Option } from 'commander';
import { ConfigError } from '../../core/config-error.js';
import { resolveRunOptions, type RawOptions } from '../../config/resolve.js';
import { certifyAll } from '../certify-all.js';
import { catchInterrupts } from '../interrupt.js';
import { ExitRequest, type CliIo } from '../io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const EXAMPLES = `
Examples:
  # certify a partner; the secret comes from the environment, never from argv
  export FHIR_CERTIFY_CLIENT_SECRET=…
  fhir-certify run --base-url https://ehr.example.com/fhir --client-id teams-app \\
    --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 --tenant 0b6f5a7e-5c1e-4c2b-9f57-1d2a3b4c5d6e

  # only the capability statement, no credentials needed
  fhir-certify run --base-url https://ehr.example.com/fhir --only META

  # the same options from a file (flags win)
  fhir-certify run --config certify.yaml --format json,junit --out ./ci-reports

Exit codes: 0 certified, 1 not certified, 2 usage or configuration error, 3 the harness failed.`;

const SECRET_FLAGS = [
  ['--client-secret', 'clientSecret', '--client-secret-env <VAR> (default FHIR_CERTIFY_CLIENT_SECRET)'],
  ['--rotated-secret', 'rotatedSecret', '--rotated-secret-env <VAR>'],
] as const;

export function runCommand(io: CliIo): Command {
  return (
    new Command('run')
      .description('certify one partner FHIR endpoint and write the reports')
      .option('--base-url <url>', "the partner's FHIR base URL (required)")
      .option('--client-id <id>', 'client id issued by the partner (required unless --only META)')
      .option(
        '--client-secret-env <var>',
        'env var holding the client secret (default FHIR_CERTIFY_CLIENT_SECRET)',
      )
      .option(
        '--tenant <guid>',
        'tenant id sent as the token scope; repeat it: two tenants enable isolation checks',
        collect,
      )
      .addOption(
        new Option('--fhir-version <v>', 'auto (from the capability statement), dstu2 or stu3').choices([
          'auto',
          'dstu2',
          'stu3',
        ]),
      )
      .option('--profile <name|path>', 'default: patients-app-dstu2 / patients-app-stu3 for the version')
      .option(
        '--probe-patient <tenant=id>',
        'a known Patient id for a tenant (otherwise discovered)',
        collect,
      )
      .option('--samples <n>', 'latency samples per interaction (default 20)')
      .option('--concurrency <n>', 'simultaneous simulated users for LAT-06 (default 4)')
      .option('--timeout <ms>', 'hard per-request timeout (default 10000)')
      .option(
        '--run-timeout <ms>',
        'whole-run bound; the report is written when it is reached (default 900000)',
      )
      .option('--max-response-bytes <n>', 'response size cap per request (default 20971520)')
      .option('--max-pages <n>', 'most search pages followed through Bundle next links (default 20)')
      .option('--max-expiry-wait <s>', 'wait out a token up to this long to automate AUTH-09 (default 0)')
      .option(
        '--rotated-secret-env <var>',
        'env var holding the new secret after a rotation, to automate AUTH-10',
      )
      .addOption(
        new Option('--token-auth <method>', 'how the client authenticates at the token URL').choices([
          'client_secret_post',
          'client_secret_basic',
        ]),
      )
      .option('--ca <pem file>', 'an extra trusted CA for TLS')
      .option(
        '--sign-key <pem file>',
        'sign report.json with this Ed25519 private key (check it with fhir-certify verify --verify-key)',
      )
      .option('--allow-insecure-http', 'permit http:// (local testing only; the run is then not certifiable)')
      .option('--only <ids>', 'run a subset by requirement ID prefix, e.g. META,AUTH', collect)
      .option('--budget <name.p95=ms>', 'override a latency budget, e.g. search.p95=800', collect)
      .option('--out <dir>', 'where report folders are written (default ./reports)')
      .option('--format <list>', 'json,html,junit,md (default all); the console summary is always printed')
      .option('--config <file>', 'the same options as a JSON or YAML file; flags win')
      .option('--quiet', 'no progress: neither the live line on a terminal nor the per-family lines in a log')
      // Hidden: accepted only to say where a secret goes instead, without ever printing the value.
      .addOption(new Option('--client-secret [secret]').hideHelp())
      .addOption(new Option('--rotated-secret [secret]').hideHelp())
      .addHelpText('after', EXAMPLES)
      .action(async (flags: RawOptions) => {
        for (const [flag, key, instead] of SECRET_FLAGS) {
          if (flags[key] !== undefined)
            throw new ConfigError(
              `${flag} is not an option: secrets never go on the command line, where other users and shell history see them; ` +
                `put the secret in an environment variable and name it with ${instead}`,
            );
        }
        const options = resolveRunOptions(flags, io.env);
        const interrupts = catchInterrupts(io);
        try {
          const result = await certifyAll(options, io, interrupts.signal);
          throw new ExitRequest(interrupts.exitCode() ?? result.exitCode);
        } finally {
          interrupts.dispose();
        }
      })
  );
}

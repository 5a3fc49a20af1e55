/**
 * `fhir-certify demo`: a user's first minute. Starts the embedded reference partner over HTTPS (a CA
 * and certificate made for this run) on a free loopback port, certifies it as DSTU2 and as STU3 with
 * the same code path as `run`, writes both reports, and exits 0 only when both pass. Nothing is left
 * manual: tokens are short-lived so AUTH-09 is waited out, and the secret is rotated before each run
 * so AUTH-10 is proven, exactly as a partner would do it by hand.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { ConfigError } from '../../core/config-error.js';
import { resolveRunOptions, type RawOptions } from '../../config/resolve.js';
import { startReferencePartner, VARIANTS, type Variant } from '../../reference-partner/index.js';
import { rotateSecret } from '../../reference-partner/rotate.js';
import { createTestPki } from '../../reference-partner/tls.js';
import { certifyAll } from '../certify-all.js';
import { ExitRequest, type CliIo } from '../io.js';
import { faultNamesOrFail } from './serve-reference.js';

const SECRET_ENV = 'FHIR_CERTIFY_DEMO_SECRET';
const ROTATED_ENV = 'FHIR_CERTIFY_DEMO_ROTATED_SECRET';
/** Long enough for a run's prerequisites, short enough that AUTH-09 waits only a few seconds. */
const TOKEN_TTL_S = 3;

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
    .option(
      '--variant <name>',
      'reference partner variant: standard, or unusual (conformant, every legal less common way; see serve-reference --list-variations)',
    )
    .option('--quiet', 'no progress: neither the live line on a terminal nor the per-family lines in a log')
    .action(async (flags: RawOptions & { fault?: string[]; variant?: string }) => {
      if (flags.variant !== undefined && !(VARIANTS as readonly string[]).includes(flags.variant)) {
        throw new ConfigError(
          `unknown variant ${JSON.stringify(flags.variant)}; valid variants: ${VARIANTS.join(', ')}`,
        );
      }
      const faults = faultNamesOrFail(flags.fault ?? []);
      const pki = await createTestPki();
      const partner = await startReferencePartner({
        faults,
        tokenTtlSeconds: TOKEN_TTL_S,
        ...(flags.variant !== undefined ? { variant: flags.variant as Variant } : {}),
        tls: { key: pki.key, cert: pki.cert },
      }).catch((err: unknown) => {
        pki.dispose();
        throw err;
      });
      const passed: boolean[] = [];
      try {
        for (const version of ['dstu2', 'stu3'] as const) {
          io.stdout(
            `\n== Certifying the reference partner as ${version.toUpperCase()} at ${partner.baseUrl(version)}\n`,
          );
          const oldSecret = partner.clientSecret;
          const newSecret = randomBytes(24).toString('base64url');
          await rotateSecret(partner, newSecret, pki.caCert);
          const options = resolveRunOptions(
            {
              baseUrl: partner.baseUrl(version),
              clientId: partner.clientId,
              clientSecretEnv: SECRET_ENV,
              rotatedSecretEnv: ROTATED_ENV,
              tenant: partner.tenants,
              maxExpiryWait: TOKEN_TTL_S + 5,
              samples: flags.samples ?? 10,
              ca: pki.caPath,
              ...pick(flags, ['out', 'format', 'quiet']),
            },
            { ...io.env, [SECRET_ENV]: oldSecret, [ROTATED_ENV]: newSecret },
          );
          const result = await certifyAll(options, io);
          passed.push(result.exitCode === 0);
        }
      } finally {
        await partner.close();
        pki.dispose();
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

/**
 * `fhir-certify serve-reference`: runs the embedded reference partner for hand testing. It prints
 * where the client secret is, never the secret itself: the secret comes from FHIR_CERTIFY_CLIENT_SECRET
 * when set, otherwise it is generated and written to a mode-0600 file that is removed on shutdown.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  listFaults,
  listVariations,
  startReferencePartner,
  VARIANTS,
  type Variant,
} from '../../reference/index.js';
import { generateSecret } from '../../reference/oauth.js';
import { createTestPki } from '../../reference/tls.js';
import { ExitRequest, processIo, type CliIo } from '../io.js';

const SECRET_ENV = 'FHIR_CERTIFY_CLIENT_SECRET';

interface ServeOptions {
  host: string;
  port: number;
  fault: string[];
  listFaults?: boolean;
  variant: string;
  listVariations?: boolean;
  patients: number;
  seed?: number;
  tokenTtl: number;
  tlsKey?: string;
  tlsCert?: string;
  tls?: boolean;
}

function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    const n = Number(raw);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function faultTable(): string {
  const faults = listFaults();
  const width = Math.max(...faults.map((f) => f.name.length));
  return faults.map((f) => `${f.name.padEnd(width)}  ${f.description}`).join('\n');
}

/** The unusual variant's variations, each with what it does and the clause that makes it legal. */
export function variationTable(): string {
  const variations = listVariations();
  const width = Math.max(...variations.map((v) => v.id.length));
  const pad = ' '.repeat(width + 2);
  return variations.map((v) => `${v.id.padEnd(width)}  ${v.what}\n${pad}legal: ${v.why}`).join('\n');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function serveReferenceCommand(io: CliIo = processIo): Command {
  return new Command('serve-reference')
    .description('run the embedded reference partner (synthetic data, two tenants) for hand testing')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: a free port)', integer(0, 65535), 0)
    .option('--fault <name>', 'switch on a named nonconformity (repeatable; see --list-faults)', collect, [])
    .option('--list-faults', 'print the named faults and exit')
    .option(
      '--variant <name>',
      `${VARIANTS.join(' or ')}: "unusual" stays conformant but does everything the legal, less common way (see --list-variations)`,
      'standard',
    )
    .option(
      '--list-variations',
      'print what the unusual variant does differently, and why each is legal, and exit',
    )
    .option('--patients <n>', 'patients per tenant', integer(1, 100_000), 12)
    .option('--seed <n>', 'seed of the synthetic data', integer(0, 2 ** 32 - 1))
    .option('--token-ttl <s>', 'access token lifetime in seconds', integer(1, 86_400), 3600)
    .option('--tls-key <file>', 'PEM private key: serve HTTPS')
    .option('--tls-cert <file>', 'PEM certificate for --tls-key')
    .option(
      '--tls',
      'serve HTTPS with a CA and certificate made for this run (needs openssl); prints the CA file for --ca',
    )
    .action(async (options: ServeOptions) => {
      if (options.listFaults) {
        io.stdout(`${faultTable()}\n`);
        return;
      }
      if (options.listVariations) {
        io.stdout(`${variationTable()}\n`);
        return;
      }
      if (!(VARIANTS as readonly string[]).includes(options.variant)) {
        io.stderr(
          `fhir-certify: unknown variant ${JSON.stringify(options.variant)}; valid variants: ${VARIANTS.join(', ')}.\n`,
        );
        throw new ExitRequest(2);
      }
      const known = new Set(listFaults().map((f) => f.name));
      const unknown = options.fault.filter((f) => !known.has(f));
      if (unknown.length > 0) {
        io.stderr(
          `fhir-certify: unknown fault ${unknown.map((f) => JSON.stringify(f)).join(', ')}; ` +
            'run "fhir-certify serve-reference --list-faults" to see the valid names.\n',
        );
        throw new ExitRequest(2);
      }
      if ((options.tlsKey === undefined) !== (options.tlsCert === undefined)) {
        io.stderr('fhir-certify: --tls-key and --tls-cert go together.\n');
        throw new ExitRequest(2);
      }
      if (options.tls && options.tlsKey !== undefined) {
        io.stderr('fhir-certify: use --tls or --tls-key/--tls-cert, not both.\n');
        throw new ExitRequest(2);
      }
      const pki = options.tls ? createTestPki() : undefined;

      let secretFile: string | undefined;
      let secret = io.env[SECRET_ENV];
      if (secret === undefined || secret === '') {
        secret = generateSecret();
        const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-reference-'));
        secretFile = join(dir, 'client-secret');
        writeFileSync(secretFile, secret, { mode: 0o600 });
      }
      const partner = await startReferencePartner({
        host: options.host,
        port: options.port,
        faults: options.fault,
        variant: options.variant as Variant,
        patientsPerTenant: options.patients,
        tokenTtlSeconds: options.tokenTtl,
        clientSecret: secret,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(pki ? { tls: { key: pki.key, cert: pki.cert } } : {}),
        ...(options.tlsKey !== undefined && options.tlsCert !== undefined
          ? {
              tls: { key: readFileSync(options.tlsKey, 'utf8'), cert: readFileSync(options.tlsCert, 'utf8') },
            }
          : {}),
      });
      const [tenantA, tenantB] = partner.tenants;
      const out = [
        'fhir-certify reference partner is running (synthetic data only).',
        `  DSTU2 base:   ${partner.baseUrl('dstu2')}`,
        `  STU3 base:    ${partner.baseUrl('stu3')}`,
        `  token URL:    ${partner.tokenUrl}`,
        `  rotation URL: ${partner.rotationUrl}  (see src/reference/oauth.ts)`,
        `  client id:    ${partner.clientId}`,
        `  tenant A:     ${tenantA}`,
        `  tenant B:     ${tenantB}`,
        `  faults:       ${partner.faults.length > 0 ? partner.faults.join(', ') : 'none (conformant)'}`,
        `  variant:      ${partner.variant}${partner.variant === 'unusual' ? ' (conformant, the legal less common way: --list-variations)' : ''}`,
        secretFile !== undefined
          ? `  client secret: in ${secretFile} (mode 0600, removed when the server stops); load it with\n` +
            `    export ${SECRET_ENV}="$(cat ${shellQuote(secretFile)})"`
          : `  client secret: taken from $${SECRET_ENV}`,
        ...(pki
          ? [
              `  CA file:       ${pki.caPath} (made for this run; pass it with --ca, removed when the server stops)`,
            ]
          : []),
        '',
        'Certify it, for example:',
        `  fhir-certify run --base-url ${partner.baseUrl('stu3')} --client-id ${partner.clientId} ` +
          `--tenant ${tenantA} --tenant ${tenantB}${partner.origin.startsWith('http:') ? ' --allow-insecure-http' : ''}` +
          (pki ? ` --ca ${shellQuote(pki.caPath)}` : ''),
        '',
        'Press Ctrl+C to stop.',
      ];
      io.stdout(`${out.join('\n')}\n`);

      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await partner.close();
      if (secretFile !== undefined) rmSync(join(secretFile, '..'), { recursive: true, force: true });
      pki?.dispose();
      io.stdout('reference partner stopped.\n');
    });
}

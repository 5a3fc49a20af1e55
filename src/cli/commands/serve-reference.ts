/**
 * `fhir-certify serve-reference`: runs the embedded reference partner for hand testing. It prints
 * where the client secret is, never the secret itself: the secret comes from FHIR_CERTIFY_CLIENT_SECRET
 * when set, otherwise it is generated and written to a mode-0600 file that is removed on shutdown.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../core/config-error.js';
import {
  listFaults,
  listVariations,
  startReferencePartner,
  VARIANTS,
  type ReferencePartner,
  type Variant,
} from '../../reference-partner/index.js';
import { canonicalFaultNames } from '../../reference-partner/faults/index.js';
import { generateSecret } from '../../reference-partner/oauth.js';
import { createTestPki } from '../../reference-partner/tls.js';
import { processIo, type CliIo } from '../io.js';

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

/** The catalogue's spelling of each fault name given in any case; an unknown one is a usage error. */
export function faultNamesOrFail(names: readonly string[]): string[] {
  const { known, unknown } = canonicalFaultNames(names);
  if (unknown.length > 0)
    throw new ConfigError(
      `unknown fault ${unknown.map((f) => JSON.stringify(f)).join(', ')}; ` +
        'run "fhir-certify serve-reference --list-faults" to see the valid names.',
    );
  return known;
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`cannot read the ${flag} file ${file} (${reason}); give a readable PEM file.`);
  }
}

/** Starts the partner; an address the machine cannot listen on is the user's to fix, not a harness fault. */
async function startOrExplain(
  options: Parameters<typeof startReferencePartner>[0] & { host: string; port: number },
): Promise<ReferencePartner> {
  try {
    return await startReferencePartner(options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${options.host}:${options.port}`;
    if (code === 'EADDRINUSE')
      throw new ConfigError(
        `port ${options.port} is already in use on ${options.host}; choose another --port or 0 for a free one.`,
      );
    if (code === 'EACCES')
      throw new ConfigError(
        `not allowed to listen on ${where}; choose a --port above 1023 or 0 for a free one.`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ConfigError(
        `cannot listen on ${where}: no such local address; give --host an address of this machine (e.g. 127.0.0.1).`,
      );
    // OpenSSL's own codes: a key or certificate it cannot decode, or a key that does not match.
    if (options.tls && code?.startsWith('ERR_OSSL'))
      throw new ConfigError(
        `the --tls-key/--tls-cert files are not a matching PEM key and certificate (${(err as Error).message}).`,
      );
    throw err;
  }
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
    .option('--tls', 'serve HTTPS with a CA and certificate made for this run; prints the CA file for --ca')
    .action(async (options: ServeOptions) => {
      if (options.listFaults) {
        io.stdout(`${faultTable()}\n`);
        return;
      }
      if (options.listVariations) {
        io.stdout(`${variationTable()}\n`);
        return;
      }
      if (!(VARIANTS as readonly string[]).includes(options.variant))
        throw new ConfigError(
          `unknown variant ${JSON.stringify(options.variant)}; valid variants: ${VARIANTS.join(', ')}.`,
        );
      const faults = faultNamesOrFail(options.fault);
      if ((options.tlsKey === undefined) !== (options.tlsCert === undefined))
        throw new ConfigError('--tls-key and --tls-cert go together; give both or neither.');
      if (options.tls && options.tlsKey !== undefined)
        throw new ConfigError('use --tls or --tls-key/--tls-cert, not both.');
      const ownTls =
        options.tlsKey !== undefined && options.tlsCert !== undefined
          ? { key: readPem(options.tlsKey, '--tls-key'), cert: readPem(options.tlsCert, '--tls-cert') }
          : undefined;
      const pki = options.tls ? await createTestPki() : undefined;

      let secretFile: string | undefined;
      let secret = io.env[SECRET_ENV];
      if (secret === undefined || secret === '') {
        secret = generateSecret();
        const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-reference-'));
        secretFile = join(dir, 'client-secret');
        writeFileSync(secretFile, secret, { mode: 0o600 });
      }
      let partner: ReferencePartner;
      try {
        partner = await startOrExplain({
          host: options.host,
          port: options.port,
          faults,
          variant: options.variant as Variant,
          patientsPerTenant: options.patients,
          tokenTtlSeconds: options.tokenTtl,
          clientSecret: secret,
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          ...(pki ? { tls: { key: pki.key, cert: pki.cert } } : {}),
          ...(ownTls ? { tls: ownTls } : {}),
        });
      } catch (err) {
        if (secretFile !== undefined) rmSync(join(secretFile, '..'), { recursive: true, force: true });
        pki?.dispose();
        throw err;
      }
      const [tenantA, tenantB] = partner.tenants;
      const out = [
        'fhir-certify reference partner is running (synthetic data only).',
        `  DSTU2 base:   ${partner.baseUrl('dstu2')}`,
        `  STU3 base:    ${partner.baseUrl('stu3')}`,
        `  token URL:    ${partner.tokenUrl}`,
        `  rotation URL: ${partner.rotationUrl}  (POST form: client_id, client_secret = the current one, new_secret)`,
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

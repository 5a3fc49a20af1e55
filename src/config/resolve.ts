/**
 * Flags, config file and environment become one validated RunOptions. Flags win over the file; the
 * secret comes only from the environment. Every problem is a ConfigError whose message says what to fix.
 */
import { readFileSync } from 'node:fs';
import { ed25519Private } from '../report/verify.js';
import { defaultOptions, type ReportFormat, type RunOptions } from '../engine/options.js';
import { requirements } from '../core/requirements.js';
import { loadProfile } from '../profile/load.js';
import { ConfigError } from '../core/config-error.js';
import { readConfigFile } from './file.js';

/** Option values as commander or the config file give them, before validation. */
export type RawOptions = Record<string, unknown>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORMATS: readonly ReportFormat[] = ['json', 'html', 'junit', 'md'];
const BUDGET_NAMES = ['metadata', 'token', 'read', 'search', 'batch'];

/**
 * @param flags the options given on the command line (only those the user typed)
 * @param env the process environment, for the secret
 */
export function resolveRunOptions(flags: RawOptions, env: NodeJS.ProcessEnv): RunOptions {
  const file = typeof flags.config === 'string' ? readConfigFile(flags.config) : {};
  const raw: RawOptions = { ...file, ...flags };
  if (raw.tenants !== undefined && raw.tenant === undefined) raw.tenant = raw.tenants;

  const baseUrl = requiredUrl(
    raw.baseUrl,
    '--base-url',
    "the partner's FHIR base, e.g. https://ehr.example.com/fhir",
  );
  const allowInsecureHttp = raw.allowInsecureHttp === true;
  if (baseUrl.protocol === 'http:' && !allowInsecureHttp) {
    throw new ConfigError(
      `--base-url ${baseUrl.href} uses plain http; use https, or pass --allow-insecure-http for local testing (the run is then not certifiable)`,
    );
  }

  const only = list(raw.only).map((p) => p.toUpperCase());
  for (const prefix of only) {
    if (![...requirements.keys()].some((id) => id.startsWith(prefix))) {
      throw new ConfigError(
        `--only ${prefix} matches no requirement; use families like META,AUTH or IDs like AUTH-03 (see the README's requirement list)`,
      );
    }
  }
  // Only the capability statement and transport checks can run without credentials.
  const needsAuth = only.length === 0 || only.some((p) => !p.startsWith('META') && !p.startsWith('SEC'));

  const clientSecretEnv = str(raw.clientSecretEnv) ?? defaultOptions.clientSecretEnv;
  const clientId = str(raw.clientId);
  const clientSecret = env[clientSecretEnv] || undefined;
  const tenants = list(raw.tenant);
  if (needsAuth) {
    if (!clientId) {
      throw new ConfigError(
        '--client-id is required: the client id the partner issued to the app (or limit the run with --only META)',
      );
    }
    if (!clientSecret) {
      throw new ConfigError(
        `the client secret is missing: set the environment variable ${clientSecretEnv} (secrets are never taken from the command line)`,
      );
    }
    if (tenants.length === 0) {
      throw new ConfigError(
        '--tenant is required: the tenant id (a GUID) the app puts in the token scope; give two to test isolation',
      );
    }
  }
  for (const tenant of tenants) {
    if (!GUID.test(tenant))
      throw new ConfigError(`--tenant "${tenant}" is not a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47`);
  }
  if (new Set(tenants.map((t) => t.toLowerCase())).size !== tenants.length) {
    throw new ConfigError('--tenant was given the same tenant twice; isolation needs two different tenants');
  }

  const rotatedSecretEnv = str(raw.rotatedSecretEnv);
  let rotatedSecret: string | undefined;
  if (rotatedSecretEnv) {
    rotatedSecret = env[rotatedSecretEnv] || undefined;
    if (!rotatedSecret) {
      throw new ConfigError(
        `--rotated-secret-env names ${rotatedSecretEnv}, but that environment variable is empty or unset`,
      );
    }
  }

  const fhirVersion = (str(raw.fhirVersion) ?? 'auto').toLowerCase();
  if (fhirVersion !== 'auto' && fhirVersion !== 'dstu2' && fhirVersion !== 'stu3') {
    throw new ConfigError(`--fhir-version "${fhirVersion}" is not one of auto, dstu2, stu3`);
  }
  const profile = str(raw.profile);
  if (profile) {
    const loaded = loadProfile(profile);
    if (fhirVersion !== 'auto' && loaded.fhirVersion !== fhirVersion) {
      throw new ConfigError(
        `--profile ${profile} is for ${loaded.fhirVersion} but --fhir-version is ${fhirVersion}`,
      );
    }
  }

  const formats = list(raw.format ?? FORMATS).map((f) => f.toLowerCase());
  for (const f of formats) {
    if (!FORMATS.includes(f as ReportFormat))
      throw new ConfigError(`--format "${f}" is not one of ${FORMATS.join(', ')}`);
  }

  const caPath = str(raw.ca);
  let ca: string | undefined;
  if (caPath) {
    try {
      ca = readFileSync(caPath, 'utf8');
    } catch {
      throw new ConfigError(`cannot read the CA file ${caPath} given to --ca`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError(`the CA file ${caPath} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    }
  }

  const signKeyPath = str(raw.signKey);
  const signKey = signKeyPath ? readSigningKey(signKeyPath) : undefined;

  const tokenAuth = str(raw.tokenAuth) ?? defaultOptions.tokenAuthMethod;
  if (tokenAuth !== 'client_secret_post' && tokenAuth !== 'client_secret_basic') {
    throw new ConfigError(
      `--token-auth "${tokenAuth}" is not one of client_secret_post, client_secret_basic`,
    );
  }

  return {
    baseUrl: baseUrl.href.replace(/\/+$/, ''),
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    clientSecretEnv,
    ...(rotatedSecret ? { rotatedSecret, rotatedSecretEnv } : {}),
    tokenAuthMethod: tokenAuth,
    tenants,
    fhirVersion,
    ...(profile ? { profile } : {}),
    probePatients: probePatients(raw.probePatient, tenants),
    samples: int(raw.samples, '--samples', defaultOptions.samples, 1),
    concurrency: int(raw.concurrency, '--concurrency', defaultOptions.concurrency, 1),
    timeoutMs: int(raw.timeout, '--timeout', defaultOptions.timeoutMs, 1),
    runTimeoutMs: int(raw.runTimeout, '--run-timeout', defaultOptions.runTimeoutMs, 1),
    maxResponseBytes: int(
      raw.maxResponseBytes,
      '--max-response-bytes',
      defaultOptions.maxResponseBytes,
      1024,
    ),
    maxPages: int(raw.maxPages, '--max-pages', defaultOptions.maxPages, 1),
    maxExpiryWaitS: int(raw.maxExpiryWait, '--max-expiry-wait', defaultOptions.maxExpiryWaitS, 0),
    ...(ca ? { ca, caPath } : {}),
    allowInsecureHttp,
    ...(signKey ? { signKey } : {}),
    ...(only.length ? { only } : {}),
    out: str(raw.out) ?? defaultOptions.out,
    formats: formats as ReportFormat[],
    budgets: budgets(raw.budget),
    quiet: raw.quiet === true,
  };
}

/** Reads --sign-key now, so a wrong key is exit 2 before any request rather than a lost report after. */
function readSigningKey(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the signing key ${path} given to --sign-key`);
  }
  try {
    ed25519Private(pem);
  } catch (err) {
    const reason = (err as Error).message.includes('Ed25519')
      ? (err as Error).message
      : 'it is not a PEM private key: create one with `openssl genpkey -algorithm ed25519 -out key.pem`';
    throw new ConfigError(`--sign-key ${path}: ${reason}`);
  }
  return pem;
}

function requiredUrl(value: unknown, flag: string, what: string): URL {
  const text = str(value);
  if (!text) throw new ConfigError(`${flag} is required: ${what}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${flag} "${text}" is not an absolute URL; give ${what}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${flag} "${text}" must be an https URL`);
  }
  if (url.search || url.hash) throw new ConfigError(`${flag} "${text}" must not carry a query or fragment`);
  return url;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Repeatable flags and comma lists are the same thing: `--only META --only AUTH` = `--only META,AUTH`. */
function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function int(value: unknown, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`${flag} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
  }
  return n;
}

function probePatients(value: unknown, tenants: string[]): Record<string, string> {
  const pairs: Array<[string, string]> =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value as Record<string, string>)
      : list(value).map((item) => {
          const at = item.indexOf('=');
          if (at <= 0 || at === item.length - 1) {
            throw new ConfigError(`--probe-patient "${item}" must look like <tenant guid>=<Patient id>`);
          }
          return [item.slice(0, at), item.slice(at + 1)];
        });
  for (const [tenant] of pairs) {
    if (!tenants.some((t) => t.toLowerCase() === tenant.toLowerCase())) {
      throw new ConfigError(
        `--probe-patient names tenant ${tenant}, which is not one of the --tenant values`,
      );
    }
  }
  return Object.fromEntries(pairs);
}

function budgets(value: unknown): Record<string, number> {
  const pairs: Array<[string, unknown]> =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value)
      : list(value).map((item) => {
          const at = item.indexOf('=');
          return [item.slice(0, Math.max(at, 0)), at > 0 ? item.slice(at + 1) : ''];
        });
  const out: Record<string, number> = {};
  for (const [key, raw] of pairs) {
    const name = key.replace(/\.p95$/, '');
    const ms = Number(raw);
    if (!BUDGET_NAMES.includes(name) || !(ms > 0)) {
      throw new ConfigError(
        `--budget "${key}=${String(raw)}" must look like <${BUDGET_NAMES.join('|')}>.p95=<milliseconds>, e.g. search.p95=800`,
      );
    }
    out[`${name}.p95`] = ms;
  }
  return out;
}

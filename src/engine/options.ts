/** The resolved options of one `run`: flags, config file and environment merged and validated. */
import type { FhirVersion } from '../core/fhir-version.js';

export type ReportFormat = 'json' | 'html' | 'junit' | 'md';

export interface RunOptions {
  baseUrl: string;
  clientId?: string;
  /** Read from the environment variable named by --client-secret-env; never from argv, never printed. */
  clientSecret?: string;
  /** The env var name the secret came from, for messages. */
  clientSecretEnv: string;
  rotatedSecret?: string;
  rotatedSecretEnv?: string;
  tokenAuthMethod: 'client_secret_post' | 'client_secret_basic';
  tenants: string[];
  fhirVersion: 'auto' | FhirVersion;
  profile?: string;
  /** tenant → Patient id */
  probePatients: Record<string, string>;
  samples: number;
  concurrency: number;
  /** Hard per-request timeout. */
  timeoutMs: number;
  /** Whole-run bound: checks still running then are reported as errors and the report is written. */
  runTimeoutMs: number;
  maxResponseBytes: number;
  maxPages: number;
  maxExpiryWaitS: number;
  /** PEM text of an extra trusted CA. */
  ca?: string;
  caPath?: string;
  allowInsecureHttp: boolean;
  /** PEM text of an Ed25519 private key: report.json is signed with it (checked with verify --verify-key). */
  signKey?: string;
  /** Requirement ID prefixes, e.g. ['META', 'AUTH-0']. */
  only?: string[];
  out: string;
  formats: ReportFormat[];
  /** Budget overrides, e.g. { 'search.p95': 800 }. */
  budgets: Record<string, number>;
  quiet: boolean;
}

export const defaultOptions = {
  clientSecretEnv: 'FHIR_CERTIFY_CLIENT_SECRET',
  tokenAuthMethod: 'client_secret_post',
  tenants: [],
  fhirVersion: 'auto',
  probePatients: {},
  samples: 20,
  concurrency: 4,
  timeoutMs: 10_000,
  runTimeoutMs: 15 * 60_000,
  maxResponseBytes: 20 * 1024 * 1024,
  maxPages: 20,
  maxExpiryWaitS: 0,
  allowInsecureHttp: false,
  out: './reports',
  formats: ['json', 'html', 'junit', 'md'],
  budgets: {},
  quiet: false,
} satisfies Partial<RunOptions>;

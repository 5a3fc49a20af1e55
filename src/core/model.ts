/**
 * The report.json contract of ../shared/spec/cli-and-report.md. Other tools read these names: add
 * fields freely, rename one only with a changelog note in the README.
 */
import type { Level } from './requirements.js';

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error' | 'manual' | 'na';

export const statuses: readonly Status[] = ['pass', 'fail', 'warn', 'skip', 'error', 'manual', 'na'];

export interface EvidenceRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Masked, and cut to the evidence preview size. */
  body?: string;
}

export interface EvidenceResponse {
  status: number;
  headers: Record<string, string>;
  /** Masked, and cut to the evidence preview size. */
  body?: string;
  bodyBytes: number;
  /** True when the body was cut by the response size cap or the preview size. */
  truncated?: boolean;
}

export interface EvidenceTiming {
  startedAt: string;
  /** Request sent to response headers received. */
  headersMs?: number;
  /** Request sent to last body byte (or to the failure). */
  totalMs: number;
}

export interface Evidence {
  request: EvidenceRequest;
  response?: EvidenceResponse;
  timing: EvidenceTiming;
  /** Set when no full HTTP answer arrived: timeout, reset, refused, too large, TLS failure… */
  error?: { code: string; message: string };
  /** Set when the answer was a redirect that the harness did not follow. */
  redirect?: { location: string; crossOrigin: boolean };
  note?: string;
}

export interface CheckRow {
  id: string;
  requirement: string;
  level: Level;
  title: string;
  subject?: string;
  status: Status;
  message: string;
  evidence: Evidence[];
  durationMs: number;
}

export interface LatencyRow {
  requirement: string;
  interaction: string;
  samples: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  budgetP95: number;
  status: Status;
  [extra: string]: unknown;
}

export type Summary = Record<Status, number>;

export interface ReportTarget {
  baseUrl: string;
  fhirVersion: string | null;
  profile: string | null;
  tenants: string[];
  tokenUrl?: string | null;
  /** The token URL's host, which received the client secret, and whether it is not the FHIR base's origin. */
  credentialsSentTo?: { host: string; crossOrigin: boolean } | null;
  settings?: Record<string, unknown>;
}

/**
 * Why the run could not judge the partner as a whole, when it could not: one sentence with the cause,
 * and the row that found it. Rows that could not be judged for that reason are `skip` and say so.
 */
export interface Diagnosis {
  /**
   * `unreachable`: the FHIR base could not be reached (DNS, refused, TLS handshake, no answer in time);
   * `token-endpoint-unusable`: the token URL answered nothing a token request could use;
   * `credentials-refused`: the partner refused the run's client id and secret.
   */
  kind: 'unreachable' | 'token-endpoint-unusable' | 'credentials-refused';
  /** One sentence, e.g. `could not reach ehr.example.com:443: the host name does not resolve (…)`. */
  message: string;
  /** The requirement whose row found it, e.g. `META-01`. */
  requirement: string;
  /** For `unreachable`: the transport error code (dns, refused, tls, timeout, network). */
  cause?: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'fhir-certify'; version: string };
  target: ReportTarget;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  verdict: 'pass' | 'fail';
  certifiable: boolean;
  notCertifiableReasons: string[];
  /**
   * Present only when the run could not judge the partner as a whole. The row that found it (META-01 or
   * AUTH-01, both required) fails, so the verdict is `fail` by the usual rule.
   */
  diagnosis?: Diagnosis;
  summary: Summary;
  checks: CheckRow[];
  latency: LatencyRow[];
  digest: string;
}

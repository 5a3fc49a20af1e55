/**
 * Compares two reports of the same partner profile for a CI gate: what newly fails or errors, what
 * was fixed, what still fails, and which p95 latencies grew beyond a threshold.
 */
import type { Level } from '../core/requirements.js';
import type { CheckRow, LatencyRow, Report, Status } from '../core/model.js';

export interface DiffOptions {
  /** Allowed p95 growth as a fraction: 0.2 lets 100 ms become 120 ms. */
  maxLatencyRegression: number;
  /**
   * Allowed p95 growth in milliseconds, needed as well as the fraction: loopback and LAN p95s of a
   * millisecond or less move by half between two runs of an unchanged partner. Default 50.
   */
  minLatencyRegressionMs?: number;
  /**
   * Growth is not a regression while the current p95 is at most this fraction of its budget: a
   * partner far inside its budget has not regressed in a way the app notices. 0 judges every
   * growth. Default 0.5.
   */
  ignoreUnderBudget?: number;
}

export const DEFAULT_MIN_LATENCY_REGRESSION_MS = 50;
export const DEFAULT_IGNORE_UNDER_BUDGET = 0.5;

export interface RowChange {
  id: string;
  requirement: string;
  title: string;
  level: Level;
  subject?: string;
  /** null when the row is not in that report. */
  before: Status | null;
  after: Status | null;
  message: string;
}

export interface LatencyChange {
  requirement: string;
  interaction: string;
  p95Before: number;
  p95After: number;
  /** (after − before) / before. */
  change: number;
  budgetP95: number;
}

export interface ReportDiff {
  regressed: boolean;
  maxLatencyRegression: number;
  minLatencyRegressionMs: number;
  ignoreUnderBudget: number;
  newFailures: RowChange[];
  newErrors: RowChange[];
  fixed: RowChange[];
  stillFailing: RowChange[];
  latencyRegressions: LatencyChange[];
  /** Why the current run can no longer certify when the baseline could; empty otherwise. */
  certifiabilityLost: string[];
  /** Rows of the baseline the current report does not have (a narrower --only, or a renamed row). */
  missing: RowChange[];
  /**
   * Set when the current run stopped before it chose a profile (its capability statement failed)
   * while the baseline had one: every row the profile drives is gone, which is a regression.
   */
  stoppedBeforeProfile: string | null;
}

const BAD: readonly Status[] = ['fail', 'error'];

function change(before: CheckRow | undefined, after: CheckRow | undefined): RowChange {
  const row = (after ?? before)!;
  const out: RowChange = {
    id: row.id,
    requirement: row.requirement,
    title: row.title,
    level: row.level,
    before: before?.status ?? null,
    after: after?.status ?? null,
    message: row.message,
  };
  if (row.subject !== undefined) out.subject = row.subject;
  return out;
}

function latencyKey(l: LatencyRow): string {
  return `${l.requirement}\u0000${l.interaction}`;
}

/**
 * The ways a report writes the partner's endpoints into row ids: `host:port` as TLS rows name them
 * (the port always given) and the URL's own `host` (the default port left out).
 */
function endpointSpellings(target: Report['target']): string[] {
  const spellings = new Set<string>();
  for (const raw of [target.baseUrl, target.tokenUrl]) {
    if (!raw) continue;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    if (port) spellings.add(`${url.hostname}:${port}`);
    spellings.add(url.host);
  }
  // Longest first, so that `host:8443` is replaced whole before a bare `host` could match inside it.
  return [...spellings].sort((a, b) => b.length - a.length);
}

/**
 * A row's identity across runs: its id with the partner's host and port taken out, so the same
 * partner on another port, or staging against production, matches row for row. The id in
 * report.json stays as written (it is the contract); only matching uses this key.
 */
export function rowKeys(report: Report): Map<CheckRow, string> {
  const spellings = endpointSpellings(report.target);
  const seen = new Map<string, number>();
  const keys = new Map<CheckRow, string>();
  for (const row of report.checks) {
    let key = row.id;
    for (const s of spellings) key = key.split(s).join('{endpoint}');
    // Two rows that differed only by their endpoint keep apart, in report order.
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    keys.set(row, n === 1 ? key : `${key}~${n}`);
  }
  return keys;
}

function byKey(report: Report): Map<string, CheckRow> {
  return new Map([...rowKeys(report)].map(([row, key]) => [key, row]));
}

export function diffReports(baseline: Report, current: Report, opts: DiffOptions): ReportDiff {
  const before = byKey(baseline);
  const after = byKey(current);
  const minMs = opts.minLatencyRegressionMs ?? DEFAULT_MIN_LATENCY_REGRESSION_MS;
  const underBudget = opts.ignoreUnderBudget ?? DEFAULT_IGNORE_UNDER_BUDGET;
  const out: ReportDiff = {
    regressed: false,
    maxLatencyRegression: opts.maxLatencyRegression,
    minLatencyRegressionMs: minMs,
    ignoreUnderBudget: underBudget,
    newFailures: [],
    newErrors: [],
    fixed: [],
    stillFailing: [],
    latencyRegressions: [],
    certifiabilityLost: [],
    missing: [],
    stoppedBeforeProfile: null,
  };

  for (const [key, now] of after) {
    const was = before.get(key);
    const wasBad = was !== undefined && BAD.includes(was.status);
    const isBad = BAD.includes(now.status);
    if (isBad && wasBad) out.stillFailing.push(change(was, now));
    else if (now.status === 'fail') out.newFailures.push(change(was, now));
    else if (now.status === 'error') out.newErrors.push(change(was, now));
    else if (wasBad) out.fixed.push(change(was, now));
  }
  for (const [key, was] of before) {
    if (!after.has(key)) out.missing.push(change(was, undefined));
  }

  const baseLatency = new Map(baseline.latency.map((l) => [latencyKey(l), l]));
  for (const now of current.latency) {
    const was = baseLatency.get(latencyKey(now));
    // A zero or missing baseline p95 has no ratio to exceed; its budget row still gates it.
    if (!was || !(was.p95 > 0) || !Number.isFinite(now.p95)) continue;
    const growth = (now.p95 - was.p95) / was.p95;
    const farInsideBudget = now.budgetP95 > 0 && now.p95 <= now.budgetP95 * underBudget;
    if (growth > opts.maxLatencyRegression && now.p95 - was.p95 > minMs && !farInsideBudget) {
      out.latencyRegressions.push({
        requirement: now.requirement,
        interaction: now.interaction,
        p95Before: was.p95,
        p95After: now.p95,
        change: growth,
        budgetP95: now.budgetP95,
      });
    }
  }

  if (baseline.certifiable && !current.certifiable) {
    out.certifiabilityLost =
      current.notCertifiableReasons.length > 0 ? current.notCertifiableReasons : ['no reason given'];
  }

  if (baseline.target.profile != null && current.target.profile == null) {
    out.stoppedBeforeProfile = `the current run chose no profile (the baseline used ${baseline.target.profile}): it stopped before its FHIR version was settled`;
  }

  out.regressed =
    out.stoppedBeforeProfile !== null ||
    out.newFailures.length > 0 ||
    out.newErrors.length > 0 ||
    out.latencyRegressions.length > 0 ||
    out.certifiabilityLost.length > 0;
  return out;
}

/**
 * Why two reports cannot be compared, or null when they can. A run that chose no profile or version
 * (it stopped at the capability statement) is comparable with any: it is a regression or a fix.
 */
export function incomparableReason(baseline: Report, current: Report): string | null {
  const chosen = (r: Report, field: 'profile' | 'fhirVersion'): boolean => r.target[field] != null;
  if (
    chosen(baseline, 'profile') &&
    chosen(current, 'profile') &&
    baseline.target.profile !== current.target.profile
  ) {
    return `the reports use different profiles (${baseline.target.profile ?? 'none'} and ${current.target.profile ?? 'none'}): compare two runs of the same profile.`;
  }
  if (
    chosen(baseline, 'fhirVersion') &&
    chosen(current, 'fhirVersion') &&
    baseline.target.fhirVersion !== current.target.fhirVersion
  ) {
    return `the reports are for different FHIR versions (${baseline.target.fhirVersion ?? 'unknown'} and ${current.target.fhirVersion ?? 'unknown'}): compare two runs of the same version.`;
  }
  return null;
}

/** Reads `20%`, `0.2` or `20 %` as a fraction; anything else is a usage error with a hint. */
export function parseFraction(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2] === '%') return n / 100;
  return n <= 1 ? n : null;
}

/** Reads `50`, `50ms` or `50 ms` as milliseconds; anything else is a usage error with a hint. */
export function parseMilliseconds(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:ms)?\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}

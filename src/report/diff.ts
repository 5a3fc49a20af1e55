/**
 * Compares two reports of the same partner profile for a CI gate: what newly fails or errors, what
 * was fixed, what still fails, and which p95 latencies grew beyond a threshold.
 */
import type { Level } from '../engine/requirements.js';
import type { CheckRow, LatencyRow, Report, Status } from './model.js';

export interface DiffOptions {
  /** Allowed p95 growth as a fraction: 0.2 lets 100 ms become 120 ms. */
  maxLatencyRegression: number;
}

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

export function diffReports(baseline: Report, current: Report, opts: DiffOptions): ReportDiff {
  const before = new Map(baseline.checks.map((r) => [r.id, r]));
  const after = new Map(current.checks.map((r) => [r.id, r]));
  const out: ReportDiff = {
    regressed: false,
    maxLatencyRegression: opts.maxLatencyRegression,
    newFailures: [],
    newErrors: [],
    fixed: [],
    stillFailing: [],
    latencyRegressions: [],
    certifiabilityLost: [],
    missing: [],
    stoppedBeforeProfile: null,
  };

  for (const now of current.checks) {
    const was = before.get(now.id);
    const wasBad = was !== undefined && BAD.includes(was.status);
    const isBad = BAD.includes(now.status);
    if (isBad && wasBad) out.stillFailing.push(change(was, now));
    else if (now.status === 'fail') out.newFailures.push(change(was, now));
    else if (now.status === 'error') out.newErrors.push(change(was, now));
    else if (wasBad) out.fixed.push(change(was, now));
  }
  for (const was of baseline.checks) {
    if (!after.has(was.id)) out.missing.push(change(was, undefined));
  }

  const baseLatency = new Map(baseline.latency.map((l) => [latencyKey(l), l]));
  for (const now of current.latency) {
    const was = baseLatency.get(latencyKey(now));
    // A zero or missing baseline p95 has no ratio to exceed; its budget row still gates it.
    if (!was || !(was.p95 > 0) || !Number.isFinite(now.p95)) continue;
    const growth = (now.p95 - was.p95) / was.p95;
    if (growth > opts.maxLatencyRegression) {
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

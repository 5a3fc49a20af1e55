/** Grouping and wording shared by every rendering of a report (console, HTML, JUnit, Markdown). */
import { families, requirements } from '../core/requirements.js';
import type { CheckRow, Report, Status, Summary } from '../core/model.js';
import { statuses } from '../core/model.js';

export function emptySummary(): Summary {
  return { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, manual: 0, na: 0 };
}

/** The family of a requirement ID; an ID missing from the catalogue still groups by its prefix. */
export function familyOf(requirementId: string): string {
  return requirements.get(requirementId)?.family ?? requirementId.split('-')[0] ?? requirementId;
}

export interface FamilyGroup {
  family: string;
  rows: CheckRow[];
  counts: Summary;
}

/** Rows grouped by family, in catalogue order, then any unknown families; empty families left out. */
export function groupByFamily(checks: readonly CheckRow[]): FamilyGroup[] {
  const groups = new Map<string, FamilyGroup>();
  for (const family of families) groups.set(family, { family, rows: [], counts: emptySummary() });
  for (const row of checks) {
    const family = familyOf(row.requirement);
    let group = groups.get(family);
    if (!group) {
      group = { family, rows: [], counts: emptySummary() };
      groups.set(family, group);
    }
    group.rows.push(row);
    if (statuses.includes(row.status)) group.counts[row.status] += 1;
  }
  return [...groups.values()].filter((g) => g.rows.length > 0);
}

/** Rows a reader must look at first: failures and errors, then warnings. */
export function problemRows(
  report: Report,
  which: readonly Status[] = ['fail', 'error', 'warn'],
): CheckRow[] {
  const rank = (s: Status): number => which.indexOf(s);
  return report.checks
    .filter((r) => which.includes(r.status))
    .sort((a, b) => rank(a.status) - rank(b.status));
}

/** What the checks alone say: how many required rows failed, or that all passed. */
export function checksReason(report: Report): string {
  if (report.verdict === 'pass') return 'all required checks passed';
  const failedRequired = report.checks.filter(
    (r) => r.level === 'required' && (r.status === 'fail' || r.status === 'error'),
  ).length;
  return failedRequired > 0
    ? `${failedRequired} required check${failedRequired === 1 ? '' : 's'} failed or errored`
    : 'required checks failed';
}

export function notCertifiableText(report: Report): string {
  return report.notCertifiableReasons.length > 0
    ? report.notCertifiableReasons.join('; ')
    : 'no reason given';
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;

/**
 * One line, at most `max` characters, without control characters: messages and subjects come from
 * partners and may hold anything, including escape sequences that would drive a terminal.
 */
export function oneLine(text: string | undefined, max = 200): string {
  const flat = (text ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toFixed(1))} ms`;
}

/** A run's length for people: 850 ms, 48.3 s, 3 min 12 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function countsText(summary: Summary): string {
  return statuses
    .filter((s) => (summary[s] ?? 0) > 0)
    .map((s) => `${summary[s]} ${s}`)
    .join(', ');
}

/** A GUID shows its first and last four characters; anything else that looks like an id stays. */
export function maskTenant(tenant: string): string {
  const guid =
    /^([0-9a-f]{4})[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8}([0-9a-f]{4})$/i.exec(tenant);
  if (guid) return `${guid[1]}…${guid[2]}`;
  return tenant.length > 12 ? `${tenant.slice(0, 4)}…${tenant.slice(-4)}` : tenant;
}

export const familyNames: Record<string, string> = {
  META: 'Capability statement',
  SEC: 'Transport security',
  AUTH: 'OAuth client credentials',
  ROUTE: 'Tenant routing and isolation',
  RES: 'Resource content',
  SRCH: 'Searches',
  BATCH: 'Batch',
  LAT: 'Latency',
};

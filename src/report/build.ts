/** Assembles report.json from a run's rows: summary, verdict, certifiable state and digest. */
import type { CheckRow, Diagnosis, LatencyRow, Report, ReportTarget, Summary } from '../core/model.js';
import { statuses } from '../core/model.js';
import { computeDigest } from './digest.js';

export interface BuildReportInput {
  toolVersion: string;
  target: ReportTarget;
  startedAt: Date;
  finishedAt: Date;
  rows: CheckRow[];
  latency: LatencyRow[];
  notCertifiableReasons: string[];
  diagnosis?: Diagnosis;
}

export function buildReport(input: BuildReportInput): Report {
  const summary = Object.fromEntries(statuses.map((s) => [s, 0])) as Summary;
  for (const row of input.rows) summary[row.status] += 1;
  const requiredBroken = input.rows.some(
    (r) => r.level === 'required' && (r.status === 'fail' || r.status === 'error'),
  );
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'fhir-certify', version: input.toolVersion },
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    verdict: requiredBroken || input.rows.length === 0 ? 'fail' : 'pass',
    certifiable: input.notCertifiableReasons.length === 0,
    notCertifiableReasons: input.notCertifiableReasons,
    ...(input.diagnosis ? { diagnosis: input.diagnosis } : {}),
    summary,
    checks: input.rows,
    latency: input.latency,
    digest: '',
  };
  report.digest = computeDigest(report);
  return report;
}

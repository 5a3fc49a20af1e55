/** The `fhir-certify diff` output: tables for people, or the ReportDiff as JSON for tools. */
import Table from 'cli-table3';
import type { LatencyChange, ReportDiff, RowChange } from './diff.js';
import { formatMs, oneLine } from './rows.js';

function plainTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] }, wordWrap: true });
}

function rowsTable(title: string, rows: RowChange[]): string {
  const t = plainTable(['Requirement', 'Row', 'Was', 'Now', 'Message']);
  for (const r of rows) {
    t.push([
      r.requirement,
      oneLine(r.subject ?? r.id, 50),
      r.before ?? '(new)',
      r.after ?? '(gone)',
      oneLine(r.message, 120),
    ]);
  }
  return `${title} (${rows.length})\n${t.toString()}`;
}

function latencyTable(rows: LatencyChange[], diff: ReportDiff): string {
  const t = plainTable(['Requirement', 'Interaction', 'p95 before', 'p95 now', 'Change', 'Budget p95']);
  for (const l of rows) {
    t.push([
      l.requirement,
      oneLine(l.interaction, 60),
      formatMs(l.p95Before),
      formatMs(l.p95After),
      `+${Math.round(l.change * 100)}%`,
      formatMs(l.budgetP95),
    ]);
  }
  const rule = `p95 more than ${Math.round(diff.maxLatencyRegression * 100)}% and ${formatMs(diff.minLatencyRegressionMs)} slower`;
  return `Latency regressions: ${rule} (${rows.length})\n${t.toString()}`;
}

export function renderDiffText(diff: ReportDiff, labels: { baseline: string; current: string }): string {
  const out: string[] = [`fhir-certify diff: ${labels.baseline} → ${labels.current}`];
  if (diff.stoppedBeforeProfile) out.push(`Regressed: ${diff.stoppedBeforeProfile}`);
  if (diff.newFailures.length > 0) out.push(rowsTable('New failures', diff.newFailures));
  if (diff.newErrors.length > 0) out.push(rowsTable('New errors', diff.newErrors));
  if (diff.latencyRegressions.length > 0) out.push(latencyTable(diff.latencyRegressions, diff));
  if (diff.certifiabilityLost.length > 0) {
    out.push(`The current run is not certifiable, the baseline was: ${diff.certifiabilityLost.join('; ')}`);
  }
  if (diff.fixed.length > 0) out.push(rowsTable('Fixed', diff.fixed));
  if (diff.stillFailing.length > 0) out.push(rowsTable('Still failing', diff.stillFailing));
  if (diff.missing.length > 0) {
    out.push(
      `Not in the current report (${diff.missing.length}): ${diff.missing.map((m) => m.id).join(', ')}`,
    );
  }
  const counts = [
    `${diff.newFailures.length} new failure${diff.newFailures.length === 1 ? '' : 's'}`,
    `${diff.newErrors.length} new error${diff.newErrors.length === 1 ? '' : 's'}`,
    `${diff.latencyRegressions.length} latency regression${diff.latencyRegressions.length === 1 ? '' : 's'}`,
    `${diff.fixed.length} fixed`,
    `${diff.stillFailing.length} still failing`,
  ].join(', ');
  out.push(diff.regressed ? `REGRESSED: ${counts}` : `NO REGRESSION: ${counts}`);
  return `${out.join('\n')}\n`;
}

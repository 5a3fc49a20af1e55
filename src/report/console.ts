/**
 * The summary printed after every run: counts by requirement family, the rows to act on, latency,
 * and the verdict. Partner text is flattened to one line and stripped of control characters (oneLine)
 * so a message cannot move the cursor or recolour the terminal.
 */
import Table from 'cli-table3';
import { palette } from './ansi.js';
import type { Paint } from './ansi.js';
import { diagnosisSentence } from './diagnosis-text.js';
import type { Report, Status } from '../core/model.js';
import { statuses } from '../core/model.js';
import { formatMs, groupByFamily, oneLine, problemRows } from './rows.js';
import { verdictBanner } from './verdict.js';

export interface ConsoleOptions {
  color: boolean;
  /** Terminal columns; wide tables wrap to fit. Default 120. */
  width?: number;
}

const DEFAULT_WIDTH = 120;
/** The family table alone is about 70 columns wide. */
const MIN_WIDTH = 70;
/** Below this the latency table keeps p95, budget and status only. */
const FULL_LATENCY_WIDTH = 100;

function clean(text: string | undefined, max = 300): string {
  return oneLine(text, max);
}

function statusPainter(p: ReturnType<typeof palette>): (status: Status, text?: string) => string {
  const byStatus: Record<Status, Paint> = {
    pass: p.green,
    fail: p.red,
    error: p.magenta,
    warn: p.yellow,
    skip: p.gray,
    manual: p.cyan,
    na: p.gray,
  };
  return (status, text = status.toUpperCase()) => byStatus[status](text);
}

function table(
  head: string[],
  opts: { colWidths?: number[]; align?: Array<'left' | 'right' | 'center'>; compact?: boolean } = {},
) {
  return new Table({
    head,
    // cli-table3 would otherwise colour headers through @colors/colors, deciding on its own.
    style: { head: [], border: [], compact: opts.compact ?? false },
    ...(opts.colWidths ? { colWidths: opts.colWidths, wordWrap: true, wrapOnWordBoundary: true } : {}),
    ...(opts.align ? { colAligns: opts.align } : {}),
  });
}

/** Splits the columns left over after fixed ones between flexible ones by weight (flexible ones last). */
function fitColumns(width: number, fixed: number[], weights: number[]): number[] {
  // Each column costs one border character plus its own width; cli-table3 widths include padding.
  const borders = fixed.length + weights.length + 1;
  const room = Math.max(weights.length * 10, width - borders - fixed.reduce((a, b) => a + b, 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const flexible = weights.map((w) => Math.max(10, Math.floor((room * w) / total)));
  return [...fixed, ...flexible];
}

/** Moves the last width to `index`: fitColumns puts flexible columns last. */
function moveLast(widths: number[], index: number): number[] {
  const out = widths.slice(0, -1);
  out.splice(index, 0, widths[widths.length - 1]!);
  return out;
}

function latencyTable(
  report: Report,
  width: number,
  p: ReturnType<typeof palette>,
  paintStatus: (status: Status, text?: string) => string,
): string {
  const full = width >= FULL_LATENCY_WIDTH;
  const head = full
    ? ['Requirement', 'Interaction', 'Samples', 'p50', 'p95', 'p99', 'Budget p95', 'Status']
    : ['Requirement', 'Interaction', 'p95', 'Budget p95', 'Status'];
  const fixed = full ? [13, 9, 9, 9, 9, 12, 8] : [13, 9, 12, 8];
  const lat = table(head, {
    colWidths: moveLast(fitColumns(width, fixed, [1]), 1),
    align: head.map((h) => (h === 'Requirement' || h === 'Interaction' || h === 'Status' ? 'left' : 'right')),
    compact: true,
  });
  for (const l of report.latency) {
    const over = l.budgetP95 > 0 && l.p95 > l.budgetP95;
    const p95 = over ? p.red(formatMs(l.p95)) : formatMs(l.p95);
    const cells = full
      ? [String(l.samples), formatMs(l.p50), p95, formatMs(l.p99), formatMs(l.budgetP95)]
      : [p95, formatMs(l.budgetP95)];
    lat.push([l.requirement, clean(l.interaction, 200), ...cells, paintStatus(l.status)]);
  }
  return lat.toString();
}

export function renderConsoleSummary(report: Report, opts: ConsoleOptions): string {
  const p = palette(opts.color);
  const paintStatus = statusPainter(p);
  const width = Math.max(MIN_WIDTH, opts.width ?? DEFAULT_WIDTH);
  const out: string[] = [];

  const target = report.target;
  out.push(
    p.bold(`fhir-certify ${report.tool.version}`) +
      ` — ${clean(target.baseUrl, 120)} · FHIR ${clean(target.fhirVersion ?? 'unknown', 40)} · profile ${clean(target.profile ?? 'none', 80)}`,
  );

  const families = table(['Family', ...statuses, 'total'], {
    compact: true,
    align: ['left', ...statuses.map(() => 'right' as const), 'right'],
  });
  const totals = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>;
  for (const group of groupByFamily(report.checks)) {
    families.push([
      group.family,
      ...statuses.map((s) => {
        totals[s] += group.counts[s];
        return group.counts[s] > 0 ? paintStatus(s, String(group.counts[s])) : p.gray('·');
      }),
      String(group.rows.length),
    ]);
  }
  families.push([
    p.bold('all'),
    ...statuses.map((s) => (totals[s] > 0 ? paintStatus(s, String(totals[s])) : p.gray('·'))),
    p.bold(String(report.checks.length)),
  ]);
  out.push(families.toString());

  const problems = problemRows(report);
  if (problems.length > 0) {
    const rows = table(['Requirement', 'Status', 'Title', 'Subject', 'Message'], {
      colWidths: fitColumns(width, [13, 8], [3, 2, 5]),
    });
    for (const r of problems) {
      rows.push([
        r.requirement,
        paintStatus(r.status),
        clean(r.title, 120),
        clean(r.subject, 80),
        clean(r.message),
      ]);
    }
    out.push(p.bold(`Failed, errored and warned checks (${problems.length})`), rows.toString());
  }

  if (report.latency.length > 0) out.push(p.bold('Latency'), latencyTable(report, width, p, paintStatus));

  // The verdict comes last, where a terminal leaves the reader's eye, each further line below it; a
  // diagnosis (the partner could not be judged as a whole) is the first line of it.
  const diagnosis = diagnosisSentence(report);
  if (diagnosis) out.push(p.bold(p.red(clean(diagnosis, 1000))));
  const banner = verdictBanner(report);
  const tone = { certified: p.green, failed: p.red, passed: p.yellow }[banner.tone];
  out.push(`${p.bold(tone(banner.headline))}: ${clean(banner.summary, 1000)}`);
  for (const line of banner.lines) out.push(clean(line, 1000));
  return `${out.join('\n')}\n`;
}

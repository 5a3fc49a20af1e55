/**
 * summary.md: a short result for a pull-request comment or a CI job summary. Partner text is escaped
 * so it cannot break the tables or turn into links, images or HTML where the Markdown is rendered.
 */
import { appendFile } from 'node:fs/promises';
import { diagnosisSentence } from './diagnosis-text.js';
import type { Report } from '../core/model.js';
import { statuses } from '../core/model.js';
import { requirementRef } from './requirement-ref.js';
import { formatMs, oneLine, problemRows } from './rows.js';
import { verdictBanner } from './verdict.js';

/** Rows listed at most; a summary is for reading at a glance, report.html holds everything. */
const MAX_ROWS = 50;

/** Escapes text for one Markdown table cell or inline span: no line breaks, no markup, no pipes. */
export function escapeMarkdown(text: string | undefined, max = 300): string {
  return oneLine(text ?? '', max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}

function table(head: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const sep = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const banner = verdictBanner(report);
  const t = report.target;
  const icon = { certified: '✅', failed: '❌', passed: '⚠️' }[banner.tone];
  out.push(`## ${icon} fhir-certify: ${banner.headline}`);
  out.push(
    `${escapeMarkdown(t.baseUrl)} · FHIR ${escapeMarkdown(t.fhirVersion ?? 'unknown')} · profile ${escapeMarkdown(t.profile ?? 'none')} · ${escapeMarkdown(report.startedAt)}`,
  );
  const diagnosis = diagnosisSentence(report);
  if (diagnosis) out.push(`**${escapeMarkdown(diagnosis, 1000)}**`);
  // One sentence a line; a Markdown line break is a backslash at the end of the line.
  out.push(
    [
      `**${banner.headline}:** ${escapeMarkdown(banner.summary, 1000)}.`,
      ...banner.lines.map((l) => `${escapeMarkdown(l, 1000)}.`),
    ].join('\\\n'),
  );
  out.push(
    table(
      statuses.map((s) => s),
      [statuses.map((s) => String(report.summary[s] ?? 0))],
      statuses.map(() => 'r'),
    ),
  );

  const failed = problemRows(report, ['fail', 'error']);
  if (failed.length > 0) {
    out.push(`### Failed and errored checks (${failed.length})`);
    out.push(
      table(
        ['Requirement', 'Status', 'Title', 'Subject', 'Message'],
        failed
          .slice(0, MAX_ROWS)
          .map((r) => [
            `**${escapeMarkdown(r.requirement)}**`,
            r.status,
            `${escapeMarkdown(r.title, 120)} (${escapeMarkdown(requirementRef(r.requirement))})`,
            escapeMarkdown(r.subject, 80),
            escapeMarkdown(r.message),
          ]),
      ),
    );
    if (failed.length > MAX_ROWS) out.push(`…and ${failed.length - MAX_ROWS} more: see report.html.`);
  }
  const warned = report.summary.warn ?? 0;
  if (warned > 0)
    out.push(`${warned} check${warned === 1 ? '' : 's'} warned (recommended): see report.html.`);

  if (report.latency.length > 0) {
    out.push('### Latency');
    out.push(
      table(
        ['Requirement', 'Interaction', 'Samples', 'p50', 'p95', 'p99', 'Budget p95', 'Status'],
        report.latency.map((l) => [
          escapeMarkdown(l.requirement),
          escapeMarkdown(l.interaction, 120),
          String(l.samples),
          formatMs(l.p50),
          l.budgetP95 > 0 && l.p95 > l.budgetP95 ? `**${formatMs(l.p95)}**` : formatMs(l.p95),
          formatMs(l.p99),
          formatMs(l.budgetP95),
          l.status,
        ]),
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
  }
  out.push(
    `<sub>fhir-certify ${escapeMarkdown(report.tool.version)} · digest \`${report.digest.replace(/`/g, '')}\`</sub>`,
  );
  return `${out.join('\n\n')}\n`;
}

/**
 * Appends to the file GitHub Actions names in $GITHUB_STEP_SUMMARY, when set; returns its path, or
 * null when there is none.
 */
export async function appendStepSummary(
  markdown: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string | null> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return null;
  await appendFile(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  return file;
}

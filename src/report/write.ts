/** Writes the report files of one run into its directory; the digest is computed before this. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { appendStepSummary, renderMarkdown } from './markdown.js';
import type { Report } from './model.js';

export type ReportFormat = 'json' | 'html' | 'junit' | 'md';

export const reportFormats: readonly ReportFormat[] = ['json', 'html', 'junit', 'md'];

export const reportFileNames: Record<ReportFormat, string> = {
  json: 'report.json',
  html: 'report.html',
  junit: 'junit.xml',
  md: 'summary.md',
};

const renderers: Record<ReportFormat, (report: Report) => string> = {
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  html: renderHtml,
  junit: renderJunit,
  md: renderMarkdown,
};

/**
 * Writes the requested formats (each once, in the order json, html, junit, md) and returns the paths
 * written. When $GITHUB_STEP_SUMMARY is set the Markdown summary is appended to it too, whichever
 * formats were asked for: a GitHub job shows the result even when only json and junit are kept.
 */
export async function writeReportFiles(
  report: Report,
  dir: string,
  formats: ReadonlyArray<ReportFormat>,
  env: Record<string, string | undefined> = process.env,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of reportFormats.filter((f) => formats.includes(f))) {
    const path = join(dir, reportFileNames[format]);
    const text = renderers[format](report);
    await writeFile(path, text, 'utf8');
    written.push(path);
  }
  await appendStepSummary(renderMarkdown(report), env);
  return written;
}

/** Writes the report files of one run into its directory; the digest is computed before this. */
import { unlinkSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { appendStepSummary, renderMarkdown } from './markdown.js';
import type { Report } from '../core/model.js';
import { reasonOf } from '../core/fs-errors.js';

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

export interface WriteOutcome {
  written: string[];
  /** Files that could not be written, each with the file system's reason. */
  failed: Array<{ path: string; reason: string }>;
}

/**
 * Writes the requested formats (each once, in the order json, html, junit, md). Every rendered text
 * goes through `mask` last, so no renderer can turn a masked value back into a readable one. When
 * $GITHUB_STEP_SUMMARY is set the Markdown summary is appended to it too, whichever formats were
 * asked for: a GitHub job shows the result even when only json and junit are kept. A file that cannot
 * be written does not stop the others.
 */
export async function writeReportFiles(
  report: Report,
  dir: string,
  formats: ReadonlyArray<ReportFormat>,
  env: Record<string, string | undefined> = process.env,
  mask: (text: string) => string = (text) => text,
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], failed: [] };
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    outcome.failed.push({ path: dir, reason: reasonOf(err) });
    return outcome;
  }
  for (const format of reportFormats.filter((f) => formats.includes(f))) {
    const path = join(dir, reportFileNames[format]);
    try {
      await writeWhole(path, mask(renderers[format](report)));
      outcome.written.push(path);
    } catch (err) {
      outcome.failed.push({ path, reason: reasonOf(err) });
    }
  }
  try {
    await appendStepSummary(mask(renderMarkdown(report)), env);
  } catch (err) {
    outcome.failed.push({ path: env.GITHUB_STEP_SUMMARY ?? '$GITHUB_STEP_SUMMARY', reason: reasonOf(err) });
  }
  return outcome;
}

/** Temporary files being written, removed if the process is made to exit before they are renamed. */
const unfinished = new Set<string>();
process.on('exit', () => {
  for (const path of unfinished) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to clean.
    }
  }
});

/**
 * Writes to a temporary name beside the file and renames it into place, so a reader (or a run that
 * is stopped mid-write) never sees a partial file; a failed write removes its temporary file.
 */
export async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  unfinished.add(temporary);
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw err;
  } finally {
    unfinished.delete(temporary);
  }
}

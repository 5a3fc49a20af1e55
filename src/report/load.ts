/** Reads a report.json given on the command line, saying in one sentence what is wrong when it is not one. */
import { readFile } from 'node:fs/promises';
import type { Report } from './model.js';

export type LoadResult = { ok: true; report: Report } | { ok: false; reason: string };

/** The fields every fhir-certify report has had since schemaVersion 1; the rest is checked by use. */
export function notAReportReason(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const v = value as Record<string, unknown>;
  const tool = v.tool as Record<string, unknown> | undefined;
  if (!tool || typeof tool !== 'object' || tool.name !== 'fhir-certify')
    return 'tool.name is not "fhir-certify"';
  if (v.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(v.schemaVersion) ?? 'missing'}, not 1`;
  if (!Array.isArray(v.checks)) return 'it has no checks array';
  if (!v.target || typeof v.target !== 'object') return 'it has no target';
  if (typeof v.digest !== 'string') return 'it has no digest';
  return null;
}

export async function loadReport(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(err));
    return {
      ok: false,
      reason: `cannot read ${path} (${why}): pass the path of a report.json that fhir-certify run wrote.`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      reason: `${path} is not JSON (${(err as Error).message}): pass the report.json itself, not report.html or junit.xml.`,
    };
  }
  const why = notAReportReason(value);
  if (why) {
    return {
      ok: false,
      reason: `${path} is not a fhir-certify report (${why}): pass a report.json that fhir-certify run wrote.`,
    };
  }
  const report = value as Report;
  if (!Array.isArray(report.latency)) report.latency = [];
  return { ok: true, report };
}

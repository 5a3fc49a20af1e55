/** Reads a report.json given on the command line, saying in one sentence what is wrong when it is not one. */
import { readFile } from 'node:fs/promises';
import { nestingBeyond } from '../json/nesting.js';
import type { Report } from '../core/model.js';
import { MAX_REPORT_DEPTH, reportShapeProblem } from './shape.js';

export type LoadResult = { ok: true; report: Report } | { ok: false; reason: string };

export interface LoadOptions {
  /**
   * Check every field against the report schema (diff reads them all). Without it only what makes a
   * file a fhir-certify report is checked: verify hashes whatever the file holds, and an edited field
   * is for the digest to find (exit 1), not a file it cannot read.
   */
  wholeSchema?: boolean;
}

/** The fields every fhir-certify report has had since schemaVersion 1. */
export function notAReportReason(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'it is not a JSON object';
  const v = value as Record<string, unknown>;
  const tool = v.tool as Record<string, unknown> | undefined;
  if (!tool || typeof tool !== 'object' || tool.name !== 'fhir-certify')
    return 'tool.name is not "fhir-certify"';
  if (v.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(v.schemaVersion) ?? 'missing'}, not 1`;
  if (!Array.isArray(v.checks)) return 'it has no checks array';
  if (!v.target || typeof v.target !== 'object' || Array.isArray(v.target)) return 'it has no target';
  if (typeof v.digest !== 'string') return 'it has no digest';
  return null;
}

export async function loadReport(path: string, options: LoadOptions = {}): Promise<LoadResult> {
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
  const notReport = (why: string): LoadResult => ({
    ok: false,
    reason: `${path} is not a fhir-certify report (${why}): pass a report.json that fhir-certify run wrote.`,
  });
  // Hashing and comparing walk the whole document recursively: a pathologically deep file is refused
  // before it is parsed.
  const deep = nestingBeyond(text, MAX_REPORT_DEPTH);
  if (deep) return notReport(`it nests deeper than ${MAX_REPORT_DEPTH} levels at character ${deep.offset}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      reason: `${path} is not JSON (${(err as Error).message}): pass the report.json itself, not report.html or junit.xml.`,
    };
  }
  const why = notAReportReason(value) ?? (options.wholeSchema ? reportShapeProblem(value) : null);
  if (why) return notReport(why);
  return { ok: true, report: value as Report };
}

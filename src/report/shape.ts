/**
 * Whether a parsed report.json has the shape the readers (diff, verify) rely on: the report's JSON
 * schema (schemas/report.schema.json) checked with ajv, and a bound on nesting, so that a hand-edited
 * or truncated report is answered with the path of the bad field instead of a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { packageRoot } from '../core/paths.js';

/** A report fhir-certify writes nests about eight levels deep; anything far deeper is not one. */
export const MAX_REPORT_DEPTH = 64;

let validate: ValidateFunction | undefined;

function reportValidator(): ValidateFunction {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'report.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    // The signature is judged by verify itself: a wrong one means an edited report (exit 1), not a
    // file that cannot be read (exit 2).
    const { signature: _signature, ...properties } = schema.properties;
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats.default(ajv, ['date-time']);
    validate = ajv.compile({ ...schema, properties });
  }
  return validate;
}

/** `/checks/0/evidence/2` → `checks[0].evidence[2]`. */
export function fieldPath(pointer: string, extra?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/');
  if (extra !== undefined) segments.push(extra);
  let path = '';
  for (const raw of segments) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(s) ? `[${s}]` : path ? `.${s}` : s;
  }
  return path || '(the top level)';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

function explain(report: unknown, error: ErrorObject): string {
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    return `${fieldPath(error.instancePath, missing)} is missing`;
  }
  const path = fieldPath(error.instancePath);
  return `${path} is ${describeValue(valueAt(report, error.instancePath))}, but ${error.message ?? 'it breaks the schema'}`;
}

/** Why the report does not have the schema's shape (naming the first bad field), or null. */
export function reportShapeProblem(report: unknown): string | null {
  const check = reportValidator();
  if (check(report)) return null;
  const first = check.errors?.[0];
  return first ? explain(report, first) : 'it does not match schemas/report.schema.json';
}

/**
 * The report digest: sha256 over the canonical JSON of the report without its `digest` field.
 * Canonical means object keys sorted at every depth and no insignificant white space, so the digest
 * does not depend on how the file was pretty-printed. An optional `signature` (src/report/verify.ts)
 * signs the digest, so it stays outside it too.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function computeDigest(report: object): string {
  const { digest: _ignored, signature: _signature, ...rest } = report as Record<string, unknown>;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

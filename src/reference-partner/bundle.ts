/**
 * Bundles are assembled as strings from the resources' pre-serialised JSON: no resource is parsed or
 * stringified again per request.
 */
import { randomUUID } from 'node:crypto';
import type { SearchResult } from './search.js';

function query(params: Array<[string, string]>): string {
  return new URLSearchParams(params).toString();
}

/**
 * The unusual variant's opaque page key, as HAPI's `_getpages`: the search it continues, in base64url,
 * so paging stays stateless.
 */
export function encodePageKey(type: string, params: Array<[string, string]>): string {
  return Buffer.from(JSON.stringify({ type, params }), 'utf8').toString('base64url');
}

export function decodePageKey(key: string): { type: string; params: Array<[string, string]> } | undefined {
  try {
    const value = JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const { type, params } = value as { type?: unknown; params?: unknown };
    if (typeof type !== 'string' || !Array.isArray(params)) return undefined;
    const pairs = params.filter(
      (p): p is [string, string] =>
        Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string',
    );
    return pairs.length === params.length ? { type, params: pairs } : undefined;
  } catch {
    return undefined;
  }
}

const SEARCH_NOTE =
  '{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational",' +
  '"details":{"text":"results are sorted as asked, or by the server\'s choice when _sort is not given"}}]},' +
  '"search":{"mode":"outcome"}}';

export function searchsetJson(
  base: string,
  type: string,
  result: SearchResult,
  params: Array<[string, string]>,
  unusual = false,
): string {
  const { page, total, offset, count } = result;
  const kept = params.filter(([name]) => name !== '_offset');
  const link = (relation: string, at: number | undefined): string => {
    if (unusual && relation !== 'self') {
      const key = encodePageKey(
        type,
        kept.filter(([name]) => name !== '_count'),
      );
      const q = query([
        ['_getpages', key],
        ['_getpagesoffset', String(at ?? 0)],
        ['_count', String(count)],
      ]);
      return `{"relation":"${relation}","url":${JSON.stringify(`${base}?${q}`)}}`;
    }
    const withOffset: Array<[string, string]> =
      at === undefined || at === 0 ? kept : [...kept, ['_offset', String(at)]];
    const q = query(withOffset);
    return `{"relation":"${relation}","url":${JSON.stringify(`${base}/${type}${q ? `?${q}` : ''}`)}}`;
  };
  const links = [link('self', offset)];
  if (count > 0 && offset + count < total) links.push(link('next', offset + count));
  if (offset > 0) links.push(link('previous', Math.max(0, offset - Math.max(count, 1))));
  let out =
    `{"resourceType":"Bundle","id":"${randomUUID()}","meta":{"lastUpdated":"${new Date().toISOString()}"},` +
    `"type":"searchset","total":${total},"link":[${links.join(',')}]`;
  if (page.length > 0 || unusual) {
    out += ',"entry":[';
    for (let i = 0; i < page.length; i++) {
      const s = page[i]!;
      if (i > 0) out += ',';
      out += `{"fullUrl":"${base}/${s.type}/${s.id}","resource":${s.json},"search":{"mode":"match"}}`;
    }
    if (unusual) out += `${page.length > 0 ? ',' : ''}${SEARCH_NOTE}`;
    out += ']';
  }
  return `${out}}`;
}

export interface BatchAnswer {
  status: string;
  /** Serialised resource (or searchset) for a success, or the OperationOutcome of a failure. */
  json: string;
  ok: boolean;
}

/** The unusual variant's batch entries: a bare status code, with the version and date of what they hold. */
const BATCH_VERSION = '"etag":"W/\\"1\\"","lastModified":"2025-01-15T12:00:00+00:00"';

export function batchResponseJson(
  answers: BatchAnswer[],
  outcomeInResponse: boolean,
  unusual = false,
): string {
  const entries = answers.map((a) => {
    if (unusual && a.ok) {
      const code = a.status.split(' ')[0] ?? a.status;
      return `{"resource":${a.json},"response":{"status":${JSON.stringify(code)},${BATCH_VERSION}}}`;
    }
    if (a.ok || !outcomeInResponse)
      return `{"resource":${a.json},"response":{"status":${JSON.stringify(a.status)}}}`;
    return `{"response":{"status":${JSON.stringify(a.status)},"outcome":${a.json}}}`;
  });
  return (
    `{"resourceType":"Bundle","id":"${randomUUID()}","meta":{"lastUpdated":"${new Date().toISOString()}"},` +
    `"type":"batch-response"${entries.length > 0 ? `,"entry":[${entries.join(',')}]` : ''}}`
  );
}

/**
 * Bundles are assembled as strings from the resources' pre-serialised JSON: no resource is parsed or
 * stringified again per request.
 */
import { randomUUID } from 'node:crypto';
import type { SearchResult } from './search.js';

function query(params: Array<[string, string]>): string {
  return new URLSearchParams(params).toString();
}

export function searchsetJson(
  base: string,
  type: string,
  result: SearchResult,
  params: Array<[string, string]>,
): string {
  const { page, total, offset, count } = result;
  const kept = params.filter(([name]) => name !== '_offset');
  const link = (relation: string, at: number | undefined): string => {
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
  if (page.length > 0) {
    out += ',"entry":[';
    for (let i = 0; i < page.length; i++) {
      const s = page[i]!;
      if (i > 0) out += ',';
      out += `{"fullUrl":"${base}/${s.type}/${s.id}","resource":${s.json},"search":{"mode":"match"}}`;
    }
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

export function batchResponseJson(answers: BatchAnswer[], outcomeInResponse: boolean): string {
  const entries = answers.map((a) => {
    if (a.ok || !outcomeInResponse)
      return `{"resource":${a.json},"response":{"status":${JSON.stringify(a.status)}}}`;
    return `{"response":{"status":${JSON.stringify(a.status)},"outcome":${a.json}}}`;
  });
  return (
    `{"resourceType":"Bundle","id":"${randomUUID()}","meta":{"lastUpdated":"${new Date().toISOString()}"},` +
    `"type":"batch-response"${entries.length > 0 ? `,"entry":[${entries.join(',')}]` : ''}}`
  );
}

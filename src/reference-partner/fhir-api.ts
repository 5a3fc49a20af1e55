/**
 * Reads, searches and batches for one tenant and version, as plain functions from a request to an
 * answer (status and JSON text). The HTTP layer sends them; the batch handler reuses them so a batch
 * entry answers exactly what the single call answers.
 */
import { STATUS_CODES } from 'node:http';
import type { BatchAnswer } from './bundle.js';
import { batchResponseJson, searchsetJson } from './bundle.js';
import type { ActiveFaults } from './faults/index.js';
import type { IssueCode } from './http-io.js';
import { operationOutcome, splitUrl } from './http-io.js';
import { SearchError, search } from './search.js';
import type { TenantStore } from './store.js';
import type { FhirVersion } from './versions.js';
import { RESOURCE_TYPES } from './versions.js';

export interface Answer {
  status: number;
  json: string;
}

export interface ApiContext {
  version: FhirVersion;
  /** `${origin}/${version}` as the client sees it. */
  base: string;
  store: TenantStore;
  /** The other tenant's store: only a fault ever looks into it. */
  otherStore: TenantStore | undefined;
  hideTenant: boolean;
  faults: ActiveFaults;
  /** The unusual variant (see variations.ts). */
  unusual: boolean;
}

export function outcome(
  ctx: { faults: ActiveFaults; unusual: boolean },
  status: number,
  code: IssueCode,
  text: string,
): Answer {
  const style = ctx.unusual ? 'details' : 'diagnostics';
  return { status, json: operationOutcome(code, text, ctx.faults.switchedOn('stackTraces'), style) };
}

export function isServedType(version: FhirVersion, type: string): boolean {
  return RESOURCE_TYPES[version].includes(type);
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function read(ctx: ApiContext, type: string, id: string): Answer {
  if (!isServedType(ctx.version, type))
    return outcome(ctx, 404, 'not-supported', `resource type ${type} is not supported`);
  let found = ID.test(id) ? ctx.store.byId.get(type)?.get(id) : undefined;
  if (!found && ctx.faults.switchedOn('readsOtherTenant') && ctx.otherStore)
    found = ctx.otherStore.byId.get(type)?.get(id);
  if (found) return { status: 200, json: found.json };
  return outcome(ctx, ctx.faults.unknownIdStatus() ?? 404, 'not-found', `${type}/${id} is not known`);
}

export function searchType(ctx: ApiContext, type: string, params: Array<[string, string]>): Answer {
  if (!isServedType(ctx.version, type))
    return outcome(ctx, 404, 'not-supported', `resource type ${type} is not supported`);
  try {
    const result = search({
      version: ctx.version,
      type,
      params,
      store: ctx.store,
      faults: ctx.faults,
      hideTenant: ctx.hideTenant,
      unusual: ctx.unusual,
    });
    return { status: 200, json: searchsetJson(ctx.base, type, result, params, ctx.unusual) };
  } catch (err) {
    if (err instanceof SearchError) return outcome(ctx, 400, err.code, err.message);
    throw err;
  }
}

/** Splits a batch entry URL (relative, or absolute under this base) into path segments and query. */
function entryTarget(
  base: string,
  url: string,
): { segments: string[]; params: Array<[string, string]> } | undefined {
  let rest = url;
  if (/^https?:\/\//i.test(rest)) {
    if (!rest.startsWith(`${base}/`)) return undefined;
    rest = rest.slice(base.length + 1);
  }
  const parts = splitUrl(rest);
  return parts && { segments: parts.segments, params: [...new URLSearchParams(parts.query)] };
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

export function batch(ctx: ApiContext, body: unknown): Answer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return outcome(ctx, 400, 'structure', 'the body must be a Bundle');
  }
  const bundle = body as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle') return outcome(ctx, 400, 'structure', 'the body must be a Bundle');
  if (bundle.type !== 'batch') {
    return outcome(
      ctx,
      400,
      'not-supported',
      `only Bundle.type "batch" is supported, got ${JSON.stringify(bundle.type)}`,
    );
  }
  const entries = bundle.entry === undefined ? [] : bundle.entry;
  if (!Array.isArray(entries)) return outcome(ctx, 400, 'structure', 'Bundle.entry must be an array');
  const answers: BatchAnswer[] = entries.map((entry: unknown) => {
    const answer = batchEntry(ctx, entry);
    return { status: statusLine(answer.status), json: answer.json, ok: answer.status < 400 };
  });
  ctx.faults.batchEntries(answers);
  return { status: 200, json: batchResponseJson(answers, ctx.version === 'stu3', ctx.unusual) };
}

function batchEntry(ctx: ApiContext, entry: unknown): Answer {
  const request = (entry as { request?: { method?: unknown; url?: unknown } } | null)?.request;
  if (!request || typeof request.url !== 'string' || typeof request.method !== 'string') {
    return outcome(ctx, 400, 'required', 'entry.request with method and url is required');
  }
  if (request.method.toUpperCase() !== 'GET') {
    return outcome(
      ctx,
      405,
      'not-supported',
      `only GET entries are supported, got ${request.method.slice(0, 20)}`,
    );
  }
  const target = entryTarget(ctx.base, request.url);
  if (!target) return outcome(ctx, 400, 'invalid', 'entry.request.url is not under this base');
  const [type, id, extra] = target.segments;
  if (type === undefined) return outcome(ctx, 400, 'not-supported', 'system-level search is not supported');
  if (id === undefined) return searchType(ctx, type, target.params);
  if (extra !== undefined) return outcome(ctx, 404, 'not-found', 'unknown path');
  return read(ctx, type, id);
}

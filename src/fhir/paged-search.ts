/**
 * One search as the app sends it, with its answer read defensively: the first page and every `next`
 * page up to --max-pages, a next link seen twice reported as a loop, and every returned resource
 * recorded for RES-VAL-1. Checks judge the result; this module only says what came back.
 */
import { asTenant, fhirUrl } from '../auth/session.js';
import type { RunContext } from '../engine/context.js';
import { describe, type Exchange, type HttpRequest } from '../http/exchange.js';
import type { Evidence } from '../report/model.js';
import { bundleEntries, bundleTotal, bundleType, isBundle, nextLink, type ResourceLike } from './bundle.js';
import { brief } from './capability.js';
import { label, queryString, type FilledRequest } from './requests.js';
import { recordReturned } from './returned.js';

export interface SearchResult {
  /** `POST Patient/_search family=Smi`, for messages. */
  label: string;
  /** Why the answer could not be read as search results at all (status, not JSON, not a Bundle). */
  fatal?: string;
  /** What is wrong with an answer that could be read: not a searchset, no total, a loop… */
  problems: string[];
  exchanges: Exchange[];
  total?: number;
  /** The matches of the first page, in order. */
  firstPage: ResourceLike[];
  /** The matches of every page read, in order. */
  matches: ResourceLike[];
  /** A next link was still there when --max-pages was reached. */
  truncated: boolean;
  /** The first page's `next` link, when it had one. */
  firstNext?: string;
}

export function evidenceOf(result: { exchanges: Exchange[] }): Evidence[] {
  return result.exchanges.map((e) => e.evidence);
}

export function toHttpRequest(ctx: RunContext, request: FilledRequest): HttpRequest {
  const url = fhirUrl(ctx, request.path);
  if (request.method === 'POST') {
    return {
      method: 'POST',
      url,
      body: queryString(request.params),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  const qs = queryString(request.params);
  return { method: 'GET', url: qs ? `${url}?${qs}` : url };
}

export interface SearchOptions {
  /** The type of the matches; entries of another type among the matches are a problem. */
  resultType?: string;
  /** Pages to read at most (default --max-pages); 1 reads the first page only. */
  maxPages?: number;
}

export async function runSearch(
  ctx: RunContext,
  tenant: string,
  request: FilledRequest,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const result: SearchResult = {
    label: label(request),
    problems: [],
    exchanges: [],
    firstPage: [],
    matches: [],
    truncated: false,
  };
  const maxPages = Math.max(1, options.maxPages ?? ctx.options.maxPages);
  const base = new URL(fhirUrl(ctx, ''));
  const seen = new Set<string>();
  let req: HttpRequest = toHttpRequest(ctx, request);
  if (req.method === 'GET') seen.add(req.url);

  for (let page = 1; ; page++) {
    const exchange = await asTenant(ctx, tenant, req);
    result.exchanges.push(exchange);
    const where = page === 1 ? '' : ` (page ${page}, ${req.url})`;
    if (exchange.status !== 200) {
      result.fatal = `${result.label} answered ${describe(exchange)}${where}`;
      return result;
    }
    const parsed = exchange.json();
    if (!parsed.ok) {
      result.fatal = `${result.label} answered 200 but ${parsed.reason}${where}`;
      return result;
    }
    const bundle = parsed.value;
    if (!isBundle(bundle)) {
      result.fatal = `${result.label} answered a ${describeType(bundle)}, not a Bundle${where}`;
      return result;
    }
    recordReturned(ctx, tenant, bundle, result.label, exchange.evidence);
    const type = bundleType(bundle);
    if (type !== 'searchset') {
      result.problems.push(`the Bundle's type is ${brief(bundle.type ?? null)}, not "searchset"${where}`);
    }
    const matches = bundleEntries(bundle, { mode: 'match' });
    const foreign = options.resultType ? matches.filter((m) => m.resourceType !== options.resultType) : [];
    if (foreign.length > 0) {
      result.problems.push(
        `${foreign.length} match(es) are not ${options.resultType}: ${foreign
          .slice(0, 3)
          .map(ref)
          .join(', ')}${where}`,
      );
    }
    const wanted = options.resultType
      ? matches.filter((m) => m.resourceType === options.resultType)
      : matches;
    result.matches.push(...wanted);
    if (page === 1) {
      result.firstPage = wanted;
      const total = bundleTotal(bundle);
      if (total === undefined) result.problems.push('the searchset has no total (a non-negative integer)');
      else result.total = total;
    }
    const next = nextLink(bundle);
    if (page === 1 && next) result.firstNext = next;
    if (!next) return result;
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, base.href.replace(/\/?$/, '/'));
    } catch {
      result.problems.push(`the next link ${brief(next)} is not a URL${where}`);
      return result;
    }
    if (nextUrl.origin !== base.origin) {
      // The bearer token would leave the partner's origin: never follow such a link.
      result.problems.push(`the next link ${next} leaves the partner's origin ${base.origin}; not followed`);
      return result;
    }
    if (seen.has(nextUrl.href)) {
      result.problems.push(
        `paging loops: page ${page} links back to ${nextUrl.href}, which was already read`,
      );
      return result;
    }
    if (page >= maxPages) {
      result.truncated = true;
      return result;
    }
    seen.add(nextUrl.href);
    req = { method: 'GET', url: nextUrl.href };
  }
}

export function ref(resource: ResourceLike): string {
  return `${resource.resourceType}/${resource.id ?? '(no id)'}`;
}

function describeType(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const type = (value as { resourceType?: unknown }).resourceType;
    return typeof type === 'string' ? type : 'JSON object without resourceType';
  }
  return Array.isArray(value) ? 'JSON array' : `JSON ${typeof value}`;
}

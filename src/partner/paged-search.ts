/**
 * One search as the app sends it, with its answer read defensively: the first page and every `next`
 * page up to --max-pages, a next link seen twice reported as a loop, and every returned resource
 * recorded for RES-VAL-1. Checks judge the result; this module only says what came back.
 */
import { asTenant, fhirUrl } from '../auth/session.js';
import type { RunContext } from '../engine/context.js';
import type { PartnerAccess } from './access.js';
import { describe, type HttpRequest } from '../http/exchange.js';
import type { Evidence } from '../core/model.js';
import {
  bundleEntries,
  bundleTotal,
  bundleType,
  isBundle,
  nextLink,
  type ResourceLike,
} from '../fhir/bundle.js';
import { brief } from '../core/json.js';
import { label, queryString, type FilledRequest } from '../profile/requests.js';
import { recordReturned } from './returned.js';

export interface SearchResult {
  /** `POST Patient/_search family=Smi`, for messages. */
  label: string;
  /** Why the answer could not be read as search results at all (status, not JSON, not a Bundle). */
  fatal?: string;
  /** What is wrong with an answer that could be read: not a searchset, no total, a loop… */
  problems: string[];
  /**
   * The masked evidence of every page read. The answers themselves are not kept: each may hold
   * 20 MiB of body and its parsed value, and a run makes hundreds.
   */
  evidence: Evidence[];
  /** Pages read (answers received, the failed one included). */
  pages: number;
  total?: number;
  /** The matches of the first page, in order (at most MAX_KEPT_MATCHES). */
  firstPage: ResourceLike[];
  /** How many matches the first page held, kept or not. */
  firstPageCount: number;
  /** The matches of every page read, in order, up to MAX_KEPT_MATCHES. */
  matches: ResourceLike[];
  /** Matches seen on every page read, including those past MAX_KEPT_MATCHES. */
  matchCount: number;
  /**
   * Reading stopped with more to read: a next link was still there when --max-pages was reached, or
   * MAX_KEPT_MATCHES matches were kept (`truncatedBy` says which).
   */
  truncated: boolean;
  truncatedBy?: 'max-pages' | 'kept-matches';
  /** The first page's `next` link, when it had one. */
  firstNext?: string;
  /** `Patient/1`… of the first page's matches, kept by `settled` when the matches are dropped. */
  firstPageRefs?: string[];
}

/**
 * The most matches one search keeps for judging. The app shows a page or two; a partner answering
 * with 100 000 entries per page for 20 pages would otherwise keep two million resources alive. Past
 * it, reading stops as at --max-pages, and the judgement says it saw only the first ones.
 */
export const MAX_KEPT_MATCHES = 10_000;

export function evidenceOf(result: { evidence: Evidence[] }): Evidence[] {
  return result.evidence;
}

/**
 * What a search keeps once it is judged (for SRCH-CNT-1 and BATCH-1): its counts, evidence and the
 * references of its first page, not the matches themselves.
 */
export function settled(result: SearchResult): SearchResult {
  return { ...result, matches: [], firstPage: [], firstPageRefs: result.firstPage.map(ref) };
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
  partner: PartnerAccess,
  tenant: string,
  request: FilledRequest,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const result: SearchResult = {
    label: label(request),
    problems: [],
    evidence: [],
    pages: 0,
    firstPage: [],
    firstPageCount: 0,
    matches: [],
    matchCount: 0,
    truncated: false,
  };
  const { ctx } = partner;
  const maxPages = Math.max(1, options.maxPages ?? ctx.options.maxPages);
  const base = new URL(fhirUrl(ctx, ''));
  const seen = new Set<string>();
  let req: HttpRequest = toHttpRequest(ctx, request);
  if (req.method === 'GET') seen.add(req.url);

  for (let page = 1; ; page++) {
    const exchange = await asTenant(ctx, partner.tokens, tenant, req);
    result.evidence.push(exchange.evidence);
    result.pages = page;
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
    recordReturned(partner, tenant, bundle, result.label, exchange.evidence);
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
    result.matchCount += wanted.length;
    const room = MAX_KEPT_MATCHES - result.matches.length;
    const kept = wanted.length > room ? wanted.slice(0, room) : wanted;
    for (const m of kept) result.matches.push(m);
    if (page === 1) {
      result.firstPage = kept;
      result.firstPageCount = wanted.length;
      const total = bundleTotal(bundle);
      if (total === undefined) result.problems.push('the searchset has no total (a non-negative integer)');
      else result.total = total;
    }
    const next = nextLink(bundle);
    if (page === 1 && next) result.firstNext = next;
    if (kept.length < wanted.length || (next && result.matches.length >= MAX_KEPT_MATCHES)) {
      result.truncated = true;
      result.truncatedBy = 'kept-matches';
      return result;
    }
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
      result.truncatedBy = 'max-pages';
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

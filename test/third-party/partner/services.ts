/**
 * The framework's "services": one per resource type, giving `search` and `searchById` over the
 * tenant's examples. The tenant comes from the bearer token (the OAuth glue puts it on `req.user`),
 * never from the URL, so one base URL serves both tenants. Searchsets carry `total`, a `self` link
 * naming only the parameters that were applied, and `next` links past `_count` (default 50).
 */
import type { TenantRecords } from './examples.js';
import {
  core,
  frameworkParams,
  type BaseVersion,
  type ExpressRequest,
  type Json,
  type ProfileService,
  type SearchParameter,
} from './libraries.js';
import { criterion, matchesAll, sortBy, type Criterion, type SortKey } from './search.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

export type Stores = Map<BaseVersion, Map<string, TenantRecords>>;

function notFound(message: string): Error {
  return new core.ServerError(message, {
    statusCode: 404,
    issue: [{ severity: 'error', code: 'not-found', diagnostics: message }],
  });
}

function invalid(message: string): Error {
  return new core.ServerError(message, {
    statusCode: 400,
    issue: [{ severity: 'error', code: 'invalid', diagnostics: message }],
  });
}

function tenantOf(req: ExpressRequest): string {
  const user = req.user as { tenant?: unknown } | undefined;
  if (typeof user?.tenant !== 'string') throw new Error('the request reached a service without a tenant');
  return user.tenant;
}

/**
 * The result parameters the framework does not pass on (`_count`, `_sort`, the paging offset), read
 * from the query or, for `POST _search`, the form body, as the framework itself reads its own.
 */
function resultParams(req: ExpressRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const sources = [req.query, req.method === 'POST' ? (req.body as Record<string, unknown>) : {}];
  for (const source of sources)
    for (const [k, v] of Object.entries(source ?? {}))
      if (k.startsWith('_sort') || k === '_count' || k === '_offset') out[k] = String(v);
  return out;
}

function sortKeys(result: Record<string, string>, params: SearchParameter[]): SortKey[] {
  const keys: SortKey[] = [];
  for (const [name, value] of Object.entries(result)) {
    if (!name.startsWith('_sort')) continue;
    const direction = name.split(':')[1];
    for (const raw of value.split(',')) {
      // STU3 writes `_sort=-date`; DSTU2 `_sort:desc=date`.
      const descending = direction === 'desc' || raw.startsWith('-');
      const param = params.find((p) => p.name === raw.replace(/^-/, ''));
      if (!param) throw invalid(`cannot sort by ${raw}`);
      keys.push({ param, descending });
    }
  }
  return keys;
}

function count(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw invalid(`${what} must be a non-negative integer`);
  return Number(text);
}

export function makeService(stores: Stores, type: string): ProfileService {
  const records = (req: ExpressRequest): Map<string, Json> => {
    const version = req.params.base_version as BaseVersion;
    return stores.get(version)?.get(tenantOf(req))?.get(type) ?? new Map();
  };

  return {
    async searchById(args, { req }) {
      const resource = records(req).get(String(args.id));
      if (!resource) throw notFound(`${type}/${String(args.id)} is not known`);
      return resource;
    },

    async search(args, { req }) {
      const version = req.params.base_version as BaseVersion;
      const params = frameworkParams.getSearchParameters(type, version);
      const criteria: Criterion[] = [];
      const applied = new URLSearchParams();
      for (const [name, value] of Object.entries(args)) {
        if (name === 'base_version') continue;
        const c = criterion(name, value, params);
        if (!c) continue;
        criteria.push(c);
        applied.append(name, String(value));
      }
      const result = resultParams(req);
      const keys = sortKeys(result, params);
      const pageSize = Math.min(count(result._count, DEFAULT_PAGE, '_count'), MAX_PAGE);
      const offset = count(result._offset, 0, '_offset');
      const matches = sortBy(
        [...records(req).values()].filter((r) => matchesAll(r, criteria)),
        keys,
      );
      for (const [k, v] of Object.entries(result)) if (k !== '_offset') applied.append(k, v);

      const base = `${req.protocol}://${req.get('host') ?? ''}/${version}/${type}`;
      const link = (relation: string, at: number): Json => {
        const q = new URLSearchParams(applied);
        if (at > 0) q.set('_offset', String(at));
        return { relation, url: `${base}?${q.toString()}` };
      };
      const page = matches.slice(offset, offset + pageSize);
      const links = [link('self', offset)];
      if (pageSize > 0 && offset + pageSize < matches.length) links.push(link('next', offset + pageSize));
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: matches.length,
        link: links,
        // FHIR JSON has no empty arrays: an empty page has no entry at all (RES-VAL-1 holds us to it).
        ...(page.length > 0
          ? {
              entry: page.map((resource) => ({
                fullUrl: `${req.protocol}://${req.get('host') ?? ''}/${version}/${type}/${String(resource.id)}`,
                resource,
                search: { mode: 'match' },
              })),
            }
          : {}),
      };
    },
  };
}

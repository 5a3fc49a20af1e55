/**
 * Reading search and batch Bundles without trusting them: every helper accepts any JSON value and
 * answers "nothing" rather than throwing, because partner responses are input, not data.
 */

export interface ResourceLike {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

export interface BundleLike extends ResourceLike {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  link?: unknown;
  entry?: unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Any JSON object with a string `resourceType`. */
export function isResource(x: unknown): x is ResourceLike {
  return isObject(x) && typeof x.resourceType === 'string' && x.resourceType !== '';
}

export function isBundle(x: unknown): x is BundleLike {
  return isObject(x) && x.resourceType === 'Bundle';
}

export function isOperationOutcome(x: unknown): x is ResourceLike & { resourceType: 'OperationOutcome' } {
  return isObject(x) && x.resourceType === 'OperationOutcome';
}

/** `Bundle.type` (searchset, batch-response…), when it is a string. */
export function bundleType(bundle: unknown): string | undefined {
  return isBundle(bundle) && typeof bundle.type === 'string' ? bundle.type : undefined;
}

export interface EntryFilter {
  /** Keep entries of this search mode only: `match` for results, `include` for _include'd ones. */
  mode?: 'match' | 'include' | 'outcome';
  /** Keep resources of this type only. */
  resourceType?: string;
}

/**
 * The resources of `entry[].resource`, skipping entries without one. With `mode: 'match'` an entry
 * with no `search.mode` counts as a match, as FHIR servers often omit it.
 */
export function bundleEntries(bundle: unknown, filter: EntryFilter = {}): ResourceLike[] {
  if (!isBundle(bundle) || !Array.isArray(bundle.entry)) return [];
  const out: ResourceLike[] = [];
  for (const entry of bundle.entry as unknown[]) {
    if (!isObject(entry) || !isResource(entry.resource)) continue;
    if (filter.mode) {
      const mode =
        isObject(entry.search) && typeof entry.search.mode === 'string' ? entry.search.mode : 'match';
      if (mode !== filter.mode) continue;
    }
    if (filter.resourceType && entry.resource.resourceType !== filter.resourceType) continue;
    out.push(entry.resource);
  }
  return out;
}

/** `Bundle.total` when it is a non-negative integer. */
export function bundleTotal(bundle: unknown): number | undefined {
  if (!isBundle(bundle)) return undefined;
  const total = bundle.total;
  return typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : undefined;
}

/** The URL of the link with the given relation (`next`, `self`…), if the Bundle has one. */
export function bundleLink(bundle: unknown, relation: string): string | undefined {
  if (!isBundle(bundle) || !Array.isArray(bundle.link)) return undefined;
  for (const link of bundle.link as unknown[]) {
    if (isObject(link) && link.relation === relation && typeof link.url === 'string' && link.url !== '') {
      return link.url;
    }
  }
  return undefined;
}

/** The URL of the next page of a searchset, if any. */
export function nextLink(bundle: unknown): string | undefined {
  return bundleLink(bundle, 'next');
}

/**
 * FHIR search over the in-memory examples, as the framework leaves it to a service: the framework
 * parses the query, keeps only the parameters it defines for the resource and version (dropping any
 * other, as FHIR allows a server to do), and hands over their values; each parameter's FHIR type and
 * element path come from the framework's own definitions. What a match means per type is the FHIR
 * search page's (http://hl7.org/fhir/STU3/search.html): strings start with the value (`:contains`,
 * `:exact`), ignoring case and accents; tokens match `[system|]code`; references the id or `Type/id`;
 * dates by range with the eq/ne/lt/le/gt/ge prefixes. Comma-separated values are alternatives.
 */
import fhirpath from 'fhirpath';
import { core, type Json, type SearchParameter } from './libraries.js';

export interface Criterion {
  param: SearchParameter;
  modifier: string | undefined;
  values: string[];
}

export interface SortKey {
  param: SearchParameter;
  descending: boolean;
}

function invalid(message: string): Error {
  return new core.ServerError(message, {
    statusCode: 400,
    issue: [{ severity: 'error', code: 'invalid', diagnostics: message }],
  });
}

const compiled = new Map<string, (resource: Json) => unknown[]>();

/** The element values a parameter's path selects (the path's leading `Type.` names the resource). */
export function elementValues(resource: Json, param: SearchParameter): unknown[] {
  const path = (param.xpath ?? '').replace(/^[A-Z][A-Za-z]*\./, '');
  if (path === '') return [];
  let fn = compiled.get(path);
  if (!fn) {
    const evaluate = fhirpath.compile(path, undefined, { resolveInternalTypes: true });
    fn = (r) => evaluate(r as never) as unknown[];
    compiled.set(path, fn);
  }
  return fn(resource);
}

function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The strings of an element: itself, or every string inside a HumanName, Address… */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .filter(([k]) => k !== 'extension' && k !== 'period' && k !== 'use')
      .flatMap(([, v]) => stringsIn(v));
  return [];
}

/** (system, code) pairs of a code, Coding, CodeableConcept, Identifier or ContactPoint. */
function tokensIn(value: unknown): { system?: string; code: string }[] {
  if (typeof value === 'string' || typeof value === 'boolean') return [{ code: String(value) }];
  if (Array.isArray(value)) return value.flatMap(tokensIn);
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Json;
  if (Array.isArray(v.coding)) return tokensIn(v.coding);
  const code = typeof v.code === 'string' ? v.code : typeof v.value === 'string' ? v.value : undefined;
  if (code === undefined) return [];
  return [{ code, ...(typeof v.system === 'string' ? { system: v.system } : {}) }];
}

interface Range {
  lo: number;
  hi: number;
}

/** The period a FHIR date, dateTime or instant stands for (a dateTime without zone is read as UTC). */
function dateRange(text: string): Range | undefined {
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(
      text,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined) {
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone ?? 'Z'}`;
    const lo = Date.parse(iso);
    const unit = s === undefined ? 60_000 : frac === undefined ? 1000 : 1;
    return Number.isNaN(lo) ? undefined : { lo, hi: lo + unit };
  }
  const year = Number(y);
  if (mo === undefined) return { lo: Date.UTC(year, 0, 1), hi: Date.UTC(year + 1, 0, 1) };
  const month = Number(mo) - 1;
  if (d === undefined) return { lo: Date.UTC(year, month, 1), hi: Date.UTC(year, month + 1, 1) };
  const lo = Date.UTC(year, month, Number(d));
  return { lo, hi: lo + 86_400_000 };
}

function rangesIn(value: unknown): Range[] {
  if (typeof value === 'string') return [dateRange(value)].filter((r): r is Range => !!r);
  if (Array.isArray(value)) return value.flatMap(rangesIn);
  if (typeof value === 'object' && value !== null) {
    const p = value as Json;
    const start = typeof p.start === 'string' ? dateRange(p.start) : undefined;
    const end = typeof p.end === 'string' ? dateRange(p.end) : undefined;
    if (!start && !end) return [];
    return [{ lo: start?.lo ?? -Infinity, hi: end?.hi ?? Infinity }];
  }
  return [];
}

const PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

function dateMatches(target: Range, query: string): boolean {
  const prefix = PREFIXES.find((p) => query.startsWith(p)) ?? 'eq';
  const q = dateRange(PREFIXES.some((p) => query.startsWith(p)) ? query.slice(2) : query);
  if (!q) throw invalid(`"${query}" is not a date`);
  const within = target.lo >= q.lo && target.hi <= q.hi;
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return !within;
    case 'lt':
      return target.lo < q.lo;
    case 'gt':
      return target.hi > q.hi;
    case 'le':
      return within || target.lo < q.lo;
    case 'ge':
      return within || target.hi > q.hi;
  }
}

function referenceMatches(value: unknown, query: string): boolean {
  const wanted = /(?:^|\/)(?:([A-Z][A-Za-z]+)\/)?([^/]+)$/.exec(query);
  if (!wanted) return false;
  const refs = (Array.isArray(value) ? value : [value])
    .map((v) => (typeof v === 'object' && v !== null ? (v as Json).reference : undefined))
    .filter((r): r is string => typeof r === 'string');
  return refs.some((ref) => {
    const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+?)(?:\/_history\/[^/]+)?$/.exec(ref);
    return !!m && m[2] === wanted[2] && (wanted[1] === undefined || m[1] === wanted[1]);
  });
}

function valueMatches(criterion: Criterion, values: unknown[], query: string): boolean {
  const { param, modifier } = criterion;
  switch (param.type) {
    case 'string': {
      const q = normalise(query);
      const found = values.flatMap(stringsIn);
      if (modifier === 'exact') return found.includes(query);
      if (modifier === 'contains') return found.some((s) => normalise(s).includes(q));
      return found.some((s) => normalise(s).startsWith(q));
    }
    case 'token': {
      const bar = query.indexOf('|');
      const system = bar < 0 ? undefined : query.slice(0, bar);
      const code = bar < 0 ? query : query.slice(bar + 1);
      return tokensIn(values).some(
        (t) =>
          (code === '' || t.code === code) &&
          (system === undefined || (system === '' ? t.system === undefined : t.system === system)),
      );
    }
    case 'reference':
      return values.some((v) => referenceMatches(v, query));
    case 'date':
      return rangesIn(values).some((r) => dateMatches(r, query));
    default:
      throw invalid(`searching by ${param.name} (${param.type}) is not supported`);
  }
}

const MODIFIERS: Record<string, string[]> = { string: ['exact', 'contains'] };

/** A parameter the framework kept, e.g. `family:contains`, checked against its type's modifiers. */
export function criterion(name: string, value: unknown, params: SearchParameter[]): Criterion | undefined {
  const [base, modifier] = name.split(':') as [string, string | undefined];
  const param = params.find((p) => p.name === base);
  if (!param) return undefined;
  if (modifier !== undefined && !(MODIFIERS[param.type] ?? []).includes(modifier))
    throw invalid(`the modifier :${modifier} is not supported on ${base}`);
  const values = String(value).split(',');
  return { param, modifier, values };
}

export function matchesAll(resource: Json, criteria: Criterion[]): boolean {
  return criteria.every((c) => {
    const values = c.param.name === '_id' ? [resource.id] : elementValues(resource, c.param);
    return c.values.some((q) => valueMatches(c, values, q));
  });
}

function sortValue(resource: Json, param: SearchParameter): number | string | undefined {
  const values = param.name === '_id' ? [resource.id] : elementValues(resource, param);
  if (param.type === 'date') {
    const lows = rangesIn(values)
      .map((r) => r.lo)
      .filter((n) => Number.isFinite(n));
    return lows.length ? Math.min(...lows) : undefined;
  }
  const strings = values.flatMap(stringsIn).map(normalise).sort();
  return strings[0];
}

/** Sorted by the keys in turn; a resource without a value for a key comes after those with one. */
export function sortBy(resources: Json[], keys: SortKey[]): Json[] {
  if (keys.length === 0) return resources;
  const decorated = resources.map((r) => ({ r, values: keys.map((k) => sortValue(r, k.param)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const order = x < y ? -1 : 1;
      return keys[i]!.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.r);
}

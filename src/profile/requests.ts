/**
 * Turning a profile's request template into the request the app would send: placeholders filled from
 * the probe patient, GET parameters in the query string, POST parameters as a form body.
 */
import type { RequestTemplate } from './model.js';
import { fill, type ProbeValues } from '../fhir/search-values.js';

export interface FilledRequest {
  method: 'GET' | 'POST';
  /** Relative to the FHIR base, without a query string. */
  path: string;
  params: Array<[string, string]>;
}

export type FillResult = { ok: true; request: FilledRequest } | { ok: false; missing: string };

export function fillRequest(template: RequestTemplate, values: ProbeValues): FillResult {
  const path = fill(template.path, values);
  if (!path.ok) return path;
  const params: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(template.params ?? {})) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      const value = fill(v, values);
      if (!value.ok) return value;
      params.push([name, value.value]);
    }
  }
  return { ok: true, request: { method: template.method ?? 'GET', path: path.value, params } };
}

/** Parameter names keep their `:` modifiers readable; values are fully encoded. */
export function queryString(params: Array<[string, string]>): string {
  return params
    .map(([k, v]) => `${encodeURIComponent(k).replace(/%3A/gi, ':')}=${encodeURIComponent(v)}`)
    .join('&');
}

/** `Observation?patient=1&category=vital-signs`: the URL of a GET, relative to the base. */
export function relativeUrl(request: FilledRequest): string {
  const qs = queryString(request.params);
  return qs ? `${request.path}?${qs}` : request.path;
}

/** The GET form of a search, as a batch entry sends it: `Patient/_search` becomes `Patient?…`. */
export function getForm(request: FilledRequest): string {
  return relativeUrl({ ...request, method: 'GET', path: request.path.replace(/\/_search$/, '') });
}

/** `POST Patient/_search family:contains=Smi` or `GET Observation?patient=…`, for messages (not encoded). */
export function label(request: FilledRequest): string {
  const params = request.params.map(([k, v]) => `${k}=${v}`).join('&');
  if (!params) return `${request.method} ${request.path}`;
  return `${request.method} ${request.path}${request.method === 'GET' ? '?' : ' '}${params}`;
}

/** The same request with some parameters dropped or added. */
export function withParams(
  request: FilledRequest,
  drop: (name: string) => boolean,
  add: Array<[string, string]> = [],
): FilledRequest {
  return { ...request, params: [...request.params.filter(([k]) => !drop(k)), ...add] };
}

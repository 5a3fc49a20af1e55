/**
 * A plain HTTP client of the reference partner, as any client would call it: global fetch over
 * loopback, none of the harness's request code. The fault detectors and the reference partner's tests
 * use it, so that what they see does not depend on the code they judge.
 */
import type { ReferencePartner } from './partner.js';
import type { FhirVersion } from './versions.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // not JSON: tests that care look at `text`
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return reply(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

export function tokenRequest(
  p: ReferencePartner,
  fields: Record<string, string | undefined> = {},
): Promise<Reply> {
  const base: Record<string, string | undefined> = {
    grant_type: 'client_credentials',
    client_id: p.clientId,
    client_secret: p.clientSecret,
    scope: p.tenants[0],
    ...fields,
  };
  const form = Object.fromEntries(
    Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return postForm(p.tokenUrl, form);
}

export async function token(p: ReferencePartner, tenant: string = p.tenants[0]): Promise<string> {
  const r = await tokenRequest(p, { scope: tenant });
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export async function get(
  url: string,
  bearer?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return reply(
    await fetch(url, { headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers } }),
  );
}

export async function fhirGet(
  p: ReferencePartner,
  version: FhirVersion,
  path: string,
  bearer?: string,
): Promise<Reply> {
  return get(`${p.baseUrl(version)}/${path}`, bearer);
}

export async function postJson(url: string, body: unknown, bearer?: string): Promise<Reply> {
  return reply(
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/fhir+json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export function entries(bundle: Json): Json[] {
  return ((bundle.entry as Json[] | undefined) ?? []).map((e) => e.resource as Json);
}

export function serverTimingMs(headers: Headers): number {
  const m = /app;dur=([0-9.]+)/.exec(headers.get('server-timing') ?? '');
  if (!m?.[1]) throw new Error('no Server-Timing app;dur');
  return Number(m[1]);
}

export function medicationType(version: FhirVersion): string {
  return version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest';
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

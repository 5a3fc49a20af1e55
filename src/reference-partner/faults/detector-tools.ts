/**
 * What the fault detectors share: reading the capability statement and tenant B's data over plain
 * HTTP, and turning what they saw into problems. Independent of the harness by design (see
 * FaultDetector): nothing here imports the code whose checks the detectors stand beside.
 */
import type { ReferencePartner } from '../partner.js';
import type { Json } from '../plain-client.js';
import { entries, fhirGet, medicationType, postForm, serverTimingMs, token } from '../plain-client.js';
import type { FhirVersion } from '../versions.js';

export const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
export const MED = medicationType;

/** Metadata is fetched with a token so that only META-01 depends on anonymous access. */
export async function capability(p: ReferencePartner, v: FhirVersion): Promise<Json> {
  return (await fhirGet(p, v, 'metadata', await token(p, p.tenants[1]))).json;
}

export function rest(c: Json): Json {
  return (
    ((c.rest as Json[] | undefined) ?? []).find((r) => r.mode === 'server') ??
    (c.rest as Json[] | undefined)?.[0] ??
    {}
  );
}

export function declared(c: Json, type: string): Json | undefined {
  return ((rest(c).resource as Json[] | undefined) ?? []).find((r) => r.type === type);
}

export function interactionsOf(r: Json | undefined): string[] {
  return ((r?.interaction as Json[] | undefined) ?? []).map((i) => i.code as string);
}

/** Tenant B's data: the detectors read it, so that ROUTE-01 (which hides tenant A) stays narrow. */
export async function all(p: ReferencePartner, v: FhirVersion, type: string, query = ''): Promise<Json[]> {
  const t = await token(p, p.tenants[1]);
  const r = await fhirGet(p, v, `${type}?_count=1000${query ? `&${query}` : ''}`, t);
  return entries(r.json);
}

export interface Probe {
  patient: Json;
  bearer: string;
  /** `Patient/<id>`: what the probe's own resources must point to. */
  reference: string;
}

export async function probePatient(p: ReferencePartner, v: FhirVersion): Promise<Probe> {
  const bearer = await token(p, p.tenants[1]);
  const r = await fhirGet(p, v, 'Patient?_count=1', bearer);
  const patient = entries(r.json)[0];
  if (!patient) throw new Error('no probe patient');
  return { patient, bearer, reference: `Patient/${String(patient.id)}` };
}

/** The resources a search of `type` by the probe's patient (and `query`) returns. */
export async function searchByProbe(
  p: ReferencePartner,
  v: FhirVersion,
  probe: Probe,
  type: string,
  query = '',
): Promise<Json[]> {
  const path = `${type}?patient=${String(probe.patient.id)}${query ? `&${query}` : ''}`;
  return entries((await fhirGet(p, v, path, probe.bearer)).json);
}

/** The sort that asks for the newest first, as each version spells it. */
export function newestFirst(v: FhirVersion): string {
  return v === 'dstu2' ? '_sort:desc=date' : '_sort=-date';
}

export function familyOf(patient: Json, v: FhirVersion): string {
  const name = (patient.name as Json[])[0] ?? {};
  return v === 'dstu2' ? ((name.family as string[])[0] ?? '') : (name.family as string);
}

export function mrnOf(patient: Json): string {
  return ((patient.identifier as Json[])[0]?.value as string) ?? '';
}

export async function patientSearch(
  p: ReferencePartner,
  v: FhirVersion,
  bearer: string,
  fields: Record<string, string>,
): Promise<Json[]> {
  const r = await postForm(`${p.baseUrl(v)}/Patient/_search`, fields, { authorization: `Bearer ${bearer}` });
  if (r.status !== 200 || r.json.type !== 'searchset') return [];
  return entries(r.json);
}

export function problems(...pairs: Array<[boolean, string]>): string[] {
  return pairs.filter(([ok]) => !ok).map(([, why]) => why);
}

export function everyResource(list: Json[], what: string, test: (r: Json) => boolean): string[] {
  if (list.length === 0) return [`no ${what} served`];
  const bad = list.filter((r) => !test(r));
  return bad.length === 0
    ? []
    : [`${bad.length} of ${list.length} ${what} fail (e.g. ${String(bad[0]?.id)})`];
}

export const coding0 = (cc: Json | undefined): Json | undefined => (cc?.coding as Json[] | undefined)?.[0];

/** Top-level Patient elements of DSTU2 and STU3, for RES-VAL-1 without the definitions folder. */
export const PATIENT_ELEMENTS = new Set([
  'resourceType',
  'id',
  'meta',
  'implicitRules',
  'language',
  'text',
  'contained',
  'extension',
  'modifierExtension',
  'identifier',
  'active',
  'name',
  'telecom',
  'gender',
  'birthDate',
  'deceasedBoolean',
  'deceasedDateTime',
  'address',
  'maritalStatus',
  'multipleBirthBoolean',
  'multipleBirthInteger',
  'photo',
  'contact',
  'animal',
  'communication',
  'careProvider',
  'generalPractitioner',
  'managingOrganization',
  'link',
]);

export async function budget(
  p: ReferencePartner,
  v: FhirVersion,
  limitMs: number,
  act: () => Promise<Headers>,
): Promise<string[]> {
  void p;
  void v;
  const ms = serverTimingMs(await act());
  return ms < limitMs ? [] : [`took ${ms} ms (budget ${limitMs})`];
}

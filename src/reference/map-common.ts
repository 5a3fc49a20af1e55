/** Pieces shared by the DSTU2 and STU3 mappers. */
import type { Concept } from './vocabulary.js';
import { UCUM, V2_0203 } from './vocabulary.js';

export type Json = Record<string, unknown>;

/** One resource ready for the store, with the keys the search index needs. */
export interface Mapped {
  resource: Json & { resourceType: string; id: string };
  patientId?: string;
  /** Epoch ms of the resource's clinical date, the key of `_sort=date`. */
  date?: number;
  categories?: string[];
  codes?: string[];
}

export interface MapOptions {
  faults: ReadonlySet<string>;
}

export function concept(c: Concept, options: { display?: boolean; text?: boolean } = {}): Json {
  const coding: Json = { system: c.system, code: c.code };
  if (options.display !== false) coding.display = c.display;
  const out: Json = { coding: [coding] };
  if (options.text) out.text = c.display;
  return out;
}

export function quantity(value: number | undefined, unit: string, ucum: string, withUnit = true): Json {
  const q: Json = {};
  if (value !== undefined) q.value = value;
  if (withUnit) q.unit = unit;
  q.system = UCUM;
  q.code = ucum;
  return q;
}

export function mrnIdentifier(system: string, value: string, typed: boolean): Json {
  const id: Json = { use: 'usual' };
  if (typed) {
    id.type = { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }], text: 'MRN' };
  }
  id.system = system;
  id.value = value;
  return id;
}

export function patientRef(id: string, display?: string): Json {
  return display === undefined ? { reference: `Patient/${id}` } : { reference: `Patient/${id}`, display };
}

export function escapeXhtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function narrative(text: string): Json {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXhtml(text)}</div>` };
}

export function ms(dateTime: string): number {
  return Date.parse(dateTime);
}

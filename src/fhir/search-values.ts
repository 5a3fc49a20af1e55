/**
 * Search values derived from the probe patient's own data, and the placeholder scheme that profiles
 * use to name them (`{probe.familyPrefix}`…). Name values are a *leading* part of the name: plain FHIR
 * string search is starts-with and the app asks for contains, and a prefix is found under both.
 */
import { array, isObject, objects, str, type Json } from '../core/json.js';

export interface ProbeValues {
  /** The patient's id. */
  id: string;
  family?: string;
  familyPrefix?: string;
  given?: string;
  givenPrefix?: string;
  birthDate?: string;
  gender?: string;
  /** The value of the identifier typed MR, or of the first identifier when none is typed. */
  mrn?: string;
  mrnSystem?: string;
}

/** Every placeholder a profile may use, with what it holds (the schema repeats this list). */
export const placeholders: Readonly<Record<string, string>> = {
  'probe.id': "the probe patient's id",
  'probe.family': 'its first family name',
  'probe.familyPrefix': 'a leading part of that family name',
  'probe.given': 'its first given name',
  'probe.givenPrefix': 'a leading part of that given name',
  'probe.birthDate': 'its birthDate (YYYY-MM-DD)',
  'probe.gender': 'its gender',
  'probe.mrn': 'the value of its identifier typed MR',
  'probe.mrnSystem': 'the system of that identifier',
};

const PLACEHOLDER = /\{([A-Za-z0-9_.]+)\}/g;

/**
 * A leading part long enough to be selective and short enough that starts-with and contains both
 * find it: about 60% of the name, at least 3 characters (or the whole name when shorter).
 */
export function leadingPart(name: string): string {
  const chars = [...name.trim()];
  const keep = Math.min(chars.length, Math.max(3, Math.ceil(chars.length * 0.6)));
  return chars.slice(0, keep).join('');
}

function officialName(patient: Json): Json | undefined {
  const names = objects(patient.name);
  return names.find((n) => n.use === 'official') ?? names[0];
}

export function probeValues(patient: Json, id: string): ProbeValues {
  const values: ProbeValues = { id };
  const name = officialName(patient);
  // DSTU2 family is a list, STU3 a string.
  const family = name ? (str(name.family) ?? str(array(name.family)[0])) : undefined;
  if (family?.trim()) {
    values.family = family.trim();
    values.familyPrefix = leadingPart(family);
  }
  const given = name ? str(array(name.given)[0]) : undefined;
  if (given?.trim()) {
    values.given = given.trim();
    values.givenPrefix = leadingPart(given);
  }
  const birthDate = str(patient.birthDate);
  if (birthDate) values.birthDate = birthDate;
  const gender = str(patient.gender);
  if (gender) values.gender = gender;
  const identifiers = objects(patient.identifier).filter((i) => str(i.value));
  const mrn =
    identifiers.find((i) =>
      objects(isObject(i.type) ? i.type.coding : undefined).some((c) => c.code === 'MR'),
    ) ?? identifiers[0];
  if (mrn) {
    values.mrn = str(mrn.value)!;
    const system = str(mrn.system);
    if (system) values.mrnSystem = system;
  }
  return values;
}

/** The placeholder names a template string uses. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export type Filled = { ok: true; value: string } | { ok: false; missing: string };

/** Fills `{probe.x}` placeholders; says which value the probe lacks when one cannot be filled. */
export function fill(template: string, values: ProbeValues): Filled {
  let missing: string | undefined;
  const value = template.replace(PLACEHOLDER, (whole, name: string) => {
    const key = name.startsWith('probe.') ? (name.slice(6) as keyof ProbeValues) : undefined;
    const v = key ? values[key] : undefined;
    if (v === undefined) {
      missing ??= name;
      return whole;
    }
    return v;
  });
  return missing ? { ok: false, missing } : { ok: true, value };
}

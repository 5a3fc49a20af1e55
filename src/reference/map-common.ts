/** Pieces shared by the DSTU2 and STU3 mappers. */
import type { Concept } from './vocabulary.js';
import { DIASTOLIC, SYSTOLIC, UCUM, V2_0203 } from './vocabulary.js';
import type { PatientRec, TenantData, VitalRec } from './synthetic.js';

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

/** Location has the same shape in DSTU2 and STU3. */
export function location(loc: TenantData['locations'][number]): Mapped {
  return {
    resource: {
      resourceType: 'Location',
      id: loc.id,
      status: 'active',
      name: loc.name,
      mode: 'instance',
      type: {
        coding: [
          {
            system: 'http://hl7.org/fhir/v3/RoleCode',
            code: loc.kind,
            display: loc.kind === 'HOSP' ? 'Hospital' : 'Outpatient facility',
          },
        ],
      },
      telecom: [{ system: 'phone', value: loc.phone, use: 'work' }],
      address: {
        use: 'work',
        line: [loc.line],
        city: loc.city,
        state: loc.state,
        postalCode: loc.postalCode,
        country: 'US',
      },
    },
  };
}

/**
 * A Patient, the same record in DSTU2 and STU3 but for two fields: DSTU2 repeats `family` and names
 * the practitioner `careProvider`; STU3 has one `family` and `generalPractitioner`. RES-PAT-1 drops
 * the MRN's type, RES-PAT-2 the prefix and the practitioner, RES-VAL-1 adds an unknown field.
 */
export function patientResource(
  data: TenantData,
  p: PatientRec,
  faults: ReadonlySet<string>,
  version: { family: string | string[]; practitioner: 'careProvider' | 'generalPractitioner' },
): Json & { resourceType: string; id: string } {
  const name: Json = { use: 'official', family: version.family, given: p.given };
  if (!faults.has('RES-PAT-2')) name.prefix = [p.prefix];
  const patient: Json & { resourceType: string; id: string } = {
    resourceType: 'Patient',
    id: p.id,
    identifier: [mrnIdentifier(data.mrnSystem, p.mrn, !faults.has('RES-PAT-1'))],
    active: true,
    name: [name],
    telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
    gender: p.gender,
    birthDate: p.birthDate,
    address: [
      { use: 'home', line: [p.line], city: p.city, state: p.state, postalCode: p.postalCode, country: 'US' },
    ],
  };
  if (!faults.has('RES-PAT-2')) patient[version.practitioner] = [{ display: p.practitioner }];
  if (faults.has('RES-VAL-1')) patient.nickname = p.given[0];
  patient.managingOrganization = { display: data.organization };
  return patient;
}

export function displayName(p: PatientRec): string {
  return `${p.given.join(' ')} ${p.family}`;
}

/**
 * A vital sign's value, the same in DSTU2 and STU3: blood pressure as systolic and diastolic
 * components, anything else as one valueQuantity. The flags are the RES-OBS-2 and RES-OBS-1 faults.
 */
export function vitalValue(v: VitalRec, faults: { noDisplay: boolean; noValue: boolean }): Json {
  const { noDisplay, noValue } = faults;
  const value = (n: number | undefined): Json =>
    quantity(noValue ? undefined : n, v.kind.unit, v.kind.ucum, !noDisplay);
  if (!v.components) return { valueQuantity: value(v.value) };
  return {
    component: [
      { code: concept(SYSTOLIC, { display: !noDisplay }), valueQuantity: value(v.components[0]) },
      { code: concept(DIASTOLIC, { display: !noDisplay }), valueQuantity: value(v.components[1]) },
    ],
  };
}

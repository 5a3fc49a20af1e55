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

export function concept(c: Concept, options: { display?: boolean; text?: boolean } = {}): Json {
  const coding: Json = { system: c.system, code: c.code };
  if (options.display !== false) coding.display = c.display;
  const out: Json = { coding: [coding] };
  if (options.text) out.text = c.display;
  return out;
}

export function quantity(value: number, unit: string, ucum: string): Json {
  return { value, unit, system: UCUM, code: ucum };
}

export function mrnIdentifier(system: string, value: string): Json {
  return {
    use: 'usual',
    type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
    system,
    value,
  };
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
 * the practitioner `careProvider`; STU3 has one `family` and `generalPractitioner`.
 */
export function patientResource(
  data: TenantData,
  p: PatientRec,
  version: { family: string | string[]; practitioner: 'careProvider' | 'generalPractitioner' },
): Json & { resourceType: string; id: string } {
  const name: Json = { use: 'official', family: version.family, given: p.given, prefix: [p.prefix] };
  const patient: Json & { resourceType: string; id: string } = {
    resourceType: 'Patient',
    id: p.id,
    identifier: [mrnIdentifier(data.mrnSystem, p.mrn)],
    active: true,
    name: [name],
    telecom: [{ system: 'phone', value: p.phone, use: 'home' }],
    gender: p.gender,
    birthDate: p.birthDate,
    address: [
      { use: 'home', line: [p.line], city: p.city, state: p.state, postalCode: p.postalCode, country: 'US' },
    ],
  };
  patient[version.practitioner] = [{ display: p.practitioner }];
  patient.managingOrganization = { display: data.organization };
  return patient;
}

export function displayName(p: PatientRec): string {
  return `${p.given.join(' ')} ${p.family}`;
}

/**
 * A vital sign's value, the same in DSTU2 and STU3: blood pressure as systolic and diastolic
 * components, anything else as one valueQuantity.
 */
export function vitalValue(v: VitalRec): Json {
  const value = (n: number): Json => quantity(n, v.kind.unit, v.kind.ucum);
  if (!v.components) return { valueQuantity: value(v.value) };
  return {
    component: [
      { code: concept(SYSTOLIC), valueQuantity: value(v.components[0]) },
      { code: concept(DIASTOLIC), valueQuantity: value(v.components[1]) },
    ],
  };
}

/**
 * The resource side of the `unusual` variant (see variations.ts): the conformant resources of the
 * mappers, rewritten the legal, less common way — contained and absolute references, several names
 * and identifiers, primitive extensions, periods, offsets, partial dates — before the store indexes
 * them, so searches see exactly what is served. The search keys (`date`, patient, codes) are left as
 * the mappers set them: the data means the same thing, it is only written differently.
 */
import type { Json, Mapped } from './map-common.js';
import { narrative } from './map-common.js';
import type { FhirVersion } from './versions.js';

const LAST_UPDATED = '2025-01-15T12:00:00.000+00:00';
const BIRTH_TIME = 'http://hl7.org/fhir/StructureDefinition/patient-birthTime';
const US_CORE_ETHNICITY = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
const LOCAL_CODES = 'urn:oid:2.16.840.1.113883.3.7999.1';
const ENTERPRISE_IDS = 'urn:oid:2.16.840.1.113883.3.7999.2';
/** Former family names for the "old" name of each Patient, chosen by position. */
const FORMER_FAMILIES = ['Abernathy', 'Brightwater', 'Cornwallis', 'Delacroix', 'Everhart', 'Fairweather'];
/** Offsets that put text order and time order apart. */
const OFFSETS = [9 * 60, -5 * 60, 5 * 60 + 30, -8 * 60];

type Resource = Json & { resourceType: string; id: string };

/** An instant written in another offset: the same moment, e.g. 2024-03-05T21:30:00+09:00. */
export function withOffset(iso: string, offsetMinutes: number): string {
  const ms = Date.parse(iso);
  if (!/T/.test(iso) || Number.isNaN(ms)) return iso;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

function partial(date: unknown): unknown {
  return typeof date === 'string' && /^\d{4}-\d{2}/.test(date) ? date.slice(0, 7) : date;
}

export interface UnusualContext {
  version: FhirVersion;
  /** The partner's base for this version, for absolute references. */
  base: string;
}

/** Rewrites every mapped resource in place; the store is built from the result. */
export function makeUnusual(mapped: Mapped[], context: UnusualContext): Mapped[] {
  // The mappers share sub-objects (a patient's subject reference, a category) between resources.
  for (const m of mapped) m.resource = structuredClone(m.resource);
  const locations = new Map<string, Resource>();
  for (const m of mapped)
    if (m.resource.resourceType === 'Location') locations.set(m.resource.id, m.resource);
  let n = 0;
  // Encounters alternate contained and version-specific Location references, so every patient has both.
  let encounters = 0;
  for (const m of mapped) {
    const r = m.resource;
    const index = n++;
    switch (r.resourceType) {
      case 'Patient':
        patient(r, index, context.version);
        break;
      case 'Observation':
        observation(r, index);
        break;
      case 'Encounter':
        encounter(r, encounters++, locations);
        break;
      case 'Condition':
        if (typeof r.onsetDateTime === 'string') r.onsetDateTime = partial(r.onsetDateTime);
        break;
      case 'AllergyIntolerance':
        allergy(r, context.version);
        break;
      case 'MedicationOrder':
      case 'MedicationRequest':
        medication(r, context.version);
        break;
      default:
        break;
    }
    absoluteReferences(r, context.base);
    r.meta = { versionId: '1', lastUpdated: LAST_UPDATED };
    r.text ??= narrative(`${r.resourceType} ${r.id}`);
  }
  return mapped;
}

function patient(r: Resource, index: number, version: FhirVersion): void {
  const names = (r.name as Json[] | undefined) ?? [];
  const official = names[0];
  if (official) {
    const former = FORMER_FAMILIES[index % FORMER_FAMILIES.length]!;
    const old: Json = {
      use: 'old',
      family: version === 'dstu2' ? [former] : former,
      given: official.given,
      period: { end: '2001-06-30' },
    };
    r.name = [old, ...names];
  }
  const identifiers = (r.identifier as Json[] | undefined) ?? [];
  r.identifier = [
    { use: 'secondary', system: ENTERPRISE_IDS, value: `ENT-${r.id}` },
    ...identifiers.map((i) => ({ ...i, use: 'official' })),
  ];
  if (typeof r.birthDate === 'string') {
    r._birthDate = {
      extension: [{ url: BIRTH_TIME, valueDateTime: `${r.birthDate}T07:45:00-05:00` }],
    };
  }
  r.extension = [
    {
      url: US_CORE_ETHNICITY,
      extension: [{ url: 'text', valueString: 'Unknown' }],
    },
  ];
}

function localCoding(concept: Json | undefined): void {
  const codings = concept?.coding as Json[] | undefined;
  const first = codings?.[0];
  if (!codings || !first) return;
  codings.unshift({ system: LOCAL_CODES, code: `L-${String(first.code)}` });
}

function observation(r: Resource, index: number): void {
  localCoding(r.code as Json);
  const category = r.category;
  localCoding((Array.isArray(category) ? category[0] : category) as Json | undefined);
  const effective = r.effectiveDateTime;
  if (typeof effective !== 'string') return;
  const offset = OFFSETS[index % OFFSETS.length]!;
  delete r.effectiveDateTime;
  // Every fifth (one per visit or so) becomes a period: a measurement taken over a few minutes.
  if (index % 5 === 0) {
    const end = new Date(Date.parse(effective) + 5 * 60_000).toISOString();
    r.effectivePeriod = { start: withOffset(effective, offset), end: withOffset(end, offset) };
  } else {
    r.effectiveDateTime = withOffset(effective, offset);
  }
}

function encounter(r: Resource, index: number, locations: Map<string, Resource>): void {
  const period = r.period as Json | undefined;
  if (period) {
    const offset = OFFSETS[index % OFFSETS.length]!;
    for (const key of ['start', 'end']) {
      if (typeof period[key] === 'string') period[key] = withOffset(period[key], offset);
    }
  }
  const entries = (r.location as Array<{ location?: Json }> | undefined) ?? [];
  for (const entry of entries) {
    const reference = entry.location?.reference;
    if (typeof reference !== 'string' || !reference.startsWith('Location/')) continue;
    const id = reference.slice('Location/'.length);
    const location = locations.get(id);
    if (index % 2 === 0 && location) {
      // A contained resource has no meta.versionId/lastUpdated of its own (dom-4).
      const { meta: _meta, text: _text, ...copy } = location;
      r.contained = [...((r.contained as Json[] | undefined) ?? []), { ...copy, id: 'loc' }];
      entry.location!.reference = '#loc';
    } else {
      entry.location!.reference = `Location/${id}/_history/1`;
    }
  }
}

function allergy(r: Resource, version: FhirVersion): void {
  const key = version === 'dstu2' ? 'substance' : 'code';
  const concept = r[key] as Json | undefined;
  if (concept) {
    const codings = ((concept.coding as Json[] | undefined) ?? []).map(
      ({ display: _display, ...rest }) => rest,
    );
    const text = concept.text ?? (concept.coding as Json[] | undefined)?.[0]?.display;
    r[key] = { coding: codings, text };
  }
  if (version === 'dstu2') r.onset = partial(r.onset);
  else r.onsetDateTime = partial(r.onsetDateTime);
}

function medication(r: Resource, version: FhirVersion): void {
  if (typeof r.dateWritten === 'string') r.dateWritten = partial(r.dateWritten);
  if (typeof r.authoredOn === 'string') r.authoredOn = partial(r.authoredOn);
  const concept = r.medicationCodeableConcept as Json | undefined;
  if (concept) {
    // A reference with only a display: the EHR names the drug but serves no Medication resource.
    delete r.medicationCodeableConcept;
    r.medicationReference = { display: concept.text ?? (concept.coding as Json[] | undefined)?.[0]?.display };
  }
  const prescriber =
    version === 'dstu2'
      ? (r.prescriber as Json | undefined)
      : ((r.requester as Json | undefined)?.agent as Json | undefined);
  if (typeof prescriber?.display !== 'string') return;
  // DSTU2 Practitioner.name is one HumanName, STU3 a list.
  const name = { text: prescriber.display };
  const practitioner = {
    resourceType: 'Practitioner',
    id: 'prac',
    name: version === 'dstu2' ? name : [name],
  };
  r.contained = [...((r.contained as Json[] | undefined) ?? []), practitioner];
  prescriber.reference = '#prac';
}

const PATIENT_REFERENCE_KEYS = ['subject', 'patient', 'beneficiary', 'subscriber'];

function absoluteReferences(r: Resource, base: string): void {
  for (const key of PATIENT_REFERENCE_KEYS) {
    const value = r[key] as Json | undefined;
    if (value && typeof value.reference === 'string' && value.reference.startsWith('Patient/')) {
      value.reference = `${base}/${value.reference}`;
    }
  }
}

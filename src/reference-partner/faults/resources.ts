/**
 * RES faults: each breaks the conformant resources of one type as they are mapped (DSTU2 and STU3 name
 * some elements differently), and RES-READ-1 breaks reads of unknown ids. A fault removes what the
 * conformant mapper wrote; the remaining elements keep their order, so the JSON differs only where the
 * fault says.
 */
import type { FaultPlugin, MappedResource } from './hooks.js';

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A CodeableConcept without its codings' displays and without text. */
function stripDisplays(concept: unknown, text = true): void {
  const cc = object(concept);
  if (!cc) return;
  for (const coding of list(cc.coding)) delete coding.display;
  if (text) delete cc.text;
}

function of(type: string | string[], breaks: (r: MappedResource, dstu2: boolean) => void) {
  const types = Array.isArray(type) ? type : [type];
  return (r: MappedResource, version: string): void => {
    if (types.includes(r.resourceType)) breaks(r, version === 'dstu2');
  };
}

const MEDICATION = ['MedicationOrder', 'MedicationRequest'];

export const resourceFaults: FaultPlugin[] = [
  {
    name: 'RES-PAT-1',
    requirement: 'RES-PAT-1',
    description: 'Patient identifiers lose their MR type coding',
    resource: of('Patient', (r) => {
      for (const id of list(r.identifier)) delete id.type;
    }),
  },
  {
    name: 'RES-PAT-2',
    requirement: 'RES-PAT-2',
    description: 'Patient names lose prefix and the general practitioner / care provider is left out',
    resource: of('Patient', (r) => {
      for (const name of list(r.name)) delete name.prefix;
      delete r.careProvider;
      delete r.generalPractitioner;
    }),
  },
  {
    name: 'RES-OBS-1',
    requirement: 'RES-OBS-1',
    description: 'Observation valueQuantity.value (and component values) are left out',
    resource: of('Observation', (r) => {
      for (const holder of [r, ...list(r.component)]) delete object(holder.valueQuantity)?.value;
    }),
  },
  {
    name: 'RES-OBS-2',
    requirement: 'RES-OBS-2',
    description: 'Observation code displays and quantity units are left out',
    resource: of('Observation', (r) => {
      for (const holder of [r, ...list(r.component)]) {
        stripDisplays(holder.code);
        delete object(holder.valueQuantity)?.unit;
      }
    }),
  },
  {
    name: 'RES-CON-1',
    requirement: 'RES-CON-1',
    description: 'Condition code codings lose their display',
    resource: of('Condition', (r) => stripDisplays(r.code)),
  },
  {
    name: 'RES-CON-2',
    requirement: 'RES-CON-2',
    description: 'Condition recorded/asserted date and severity are left out',
    resource: of('Condition', (r, dstu2) => {
      delete r.severity;
      delete r[dstu2 ? 'dateRecorded' : 'assertedDate'];
    }),
  },
  {
    name: 'RES-ENC-1',
    requirement: 'RES-ENC-1',
    description: 'Encounter type codings lose their display',
    resource: of('Encounter', (r) => {
      for (const type of list(r.type)) stripDisplays(type);
    }),
  },
  {
    name: 'RES-ENC-2',
    requirement: 'RES-ENC-2',
    description: 'Encounter location references lose their display',
    resource: of('Encounter', (r) => {
      for (const l of list(r.location)) delete object(l.location)?.display;
    }),
  },
  {
    name: 'RES-ALG-1',
    requirement: 'RES-ALG-1',
    description: 'AllergyIntolerance substance/code has neither text nor coding display',
    resource: of('AllergyIntolerance', (r, dstu2) => stripDisplays(dstu2 ? r.substance : r.code)),
  },
  {
    name: 'RES-ALG-2',
    requirement: 'RES-ALG-2',
    description: 'AllergyIntolerance dates, note and reaction substance/manifestation details are left out',
    resource: of('AllergyIntolerance', (r, dstu2) => {
      for (const reaction of list(r.reaction)) {
        delete reaction.substance;
        // DSTU2 keeps the manifestation's coding without text; STU3 keeps only its text.
        if (dstu2) for (const m of list(reaction.manifestation)) delete m.text;
        else reaction.manifestation = list(reaction.manifestation).map((m) => ({ text: m.text }));
      }
      delete r[dstu2 ? 'recordedDate' : 'assertedDate'];
      delete r.note;
    }),
  },
  {
    name: 'RES-MED-1',
    requirement: 'RES-MED-1',
    description: 'medication orders lose prescriber / requester display and the medication text',
    resource: of(MEDICATION, (r, dstu2) => {
      delete object(r.medicationCodeableConcept)?.text;
      delete r[dstu2 ? 'prescriber' : 'requester'];
    }),
  },
  {
    name: 'RES-MED-2',
    requirement: 'RES-MED-2',
    description: 'medication orders lose dateEnded, dosage text and narrative',
    resource: of(MEDICATION, (r, dstu2) => {
      for (const dosage of list(r.dosageInstruction)) delete dosage.text;
      delete r[dstu2 ? 'dateEnded' : 'text'];
    }),
  },
  {
    name: 'RES-COV-1',
    requirement: 'RES-COV-1',
    description: 'Coverage loses plan, issuer display (DSTU2) / grouping and subscriberId (STU3)',
    resource: of('Coverage', (r, dstu2) => {
      for (const key of dstu2 ? ['issuer', 'plan'] : ['subscriberId', 'grouping']) delete r[key];
    }),
  },
  {
    name: 'RES-LOC-1',
    requirement: 'RES-LOC-1',
    description: 'Encounter location references point at Locations that do not exist',
    resource: of('Encounter', (r) => {
      for (const l of list(r.location)) {
        const ref = object(l.location);
        if (ref && typeof ref.reference === 'string') ref.reference = `${ref.reference}-gone`;
      }
    }),
  },
  {
    name: 'RES-VAL-1',
    requirement: 'RES-VAL-1',
    description: 'Patients carry an element that does not exist in FHIR ("nickname")',
    resource: of('Patient', (r) => {
      // Where the mapper would have written it: just before managingOrganization.
      const { managingOrganization } = r;
      delete r.managingOrganization;
      r.nickname = (list(r.name)[0]?.given as string[] | undefined)?.[0];
      r.managingOrganization = managingOrganization;
    }),
  },
  {
    name: 'RES-READ-1',
    requirement: 'RES-READ-1',
    description: 'a read of an unknown id answers 200 with an OperationOutcome instead of 404',
    request: { unknownIdStatus: 200 },
  },
];

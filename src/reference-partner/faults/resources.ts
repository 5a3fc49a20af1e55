/**
 * RES faults: each breaks the conformant resources of one type as they are mapped (DSTU2 and STU3 name
 * some elements differently), and RES-READ-1 breaks reads of unknown ids. A fault removes what the
 * conformant mapper wrote; the remaining elements keep their order, so the JSON differs only where the
 * fault says.
 */
import type { Json } from '../plain-client.js';
import { fhirGet, token } from '../plain-client.js';
import { MED, all, everyResource, coding0, PATIENT_ELEMENTS } from './detector-tools.js';
import type { FaultPlugin, MappedResource } from './hooks.js';

type Fields = Record<string, unknown>;

function list(value: unknown): Fields[] {
  return Array.isArray(value) ? (value as Fields[]) : [];
}

function object(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
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
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Patient'), 'Patients', (r) => {
          const n = (r.name as Json[])?.[0] ?? {};
          const mr = ((r.identifier as Json[]) ?? []).some((i) =>
            ((i.type?.coding as Json[]) ?? []).some((c) => c.code === 'MR'),
          );
          return Boolean(n.family && (n.given as string[])?.length && r.gender && r.birthDate && mr);
        });
      },
    },
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
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Patient'), 'Patients', (r) => {
          const n = (r.name as Json[])?.[0] ?? {};
          const gp = (v === 'dstu2' ? r.careProvider : r.generalPractitioner) as Json[] | undefined;
          return Boolean(n.use && (n.prefix as string[])?.length && gp?.[0]?.display);
        });
      },
    },
  },
  {
    name: 'RES-OBS-1',
    requirement: 'RES-OBS-1',
    description: 'Observation valueQuantity.value (and component values) are left out',
    resource: of('Observation', (r) => {
      for (const holder of [r, ...list(r.component)]) delete object(holder.valueQuantity)?.value;
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Observation'), 'Observations', (r) => {
          const base = Boolean(r.effectiveDateTime && coding0(r.code)?.code);
          if (r.component)
            return (
              base &&
              (r.component as Json[]).every(
                (c) => coding0(c.code)?.code && typeof c.valueQuantity?.value === 'number',
              )
            );
          return base && typeof r.valueQuantity?.value === 'number';
        });
      },
    },
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
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Observation'), 'Observations', (r) => {
          const q =
            (r.valueQuantity as Json | undefined) ?? (r.component as Json[] | undefined)?.[0]?.valueQuantity;
          return Boolean(coding0(r.code)?.display && q?.unit);
        });
      },
    },
  },
  {
    name: 'RES-CON-1',
    requirement: 'RES-CON-1',
    description: 'Condition code codings lose their display',
    resource: of('Condition', (r) => stripDisplays(r.code)),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Condition'), 'Conditions', (r) =>
          Boolean(coding0(r.code)?.display),
        );
      },
    },
  },
  {
    name: 'RES-CON-2',
    requirement: 'RES-CON-2',
    description: 'Condition recorded/asserted date and severity are left out',
    resource: of('Condition', (r, dstu2) => {
      delete r.severity;
      delete r[dstu2 ? 'dateRecorded' : 'assertedDate'];
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Condition'), 'Conditions', (r) =>
          Boolean((v === 'dstu2' ? r.dateRecorded : r.assertedDate) && r.severity),
        );
      },
    },
  },
  {
    name: 'RES-ENC-1',
    requirement: 'RES-ENC-1',
    description: 'Encounter type codings lose their display',
    resource: of('Encounter', (r) => {
      for (const type of list(r.type)) stripDisplays(type);
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Encounter'), 'Encounters', (r) =>
          Boolean(r.status && coding0((r.type as Json[])?.[0])?.display),
        );
      },
    },
  },
  {
    name: 'RES-ENC-2',
    requirement: 'RES-ENC-2',
    description: 'Encounter location references lose their display',
    resource: of('Encounter', (r) => {
      for (const l of list(r.location)) delete object(l.location)?.display;
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Encounter'), 'Encounters', (r) =>
          Boolean(r.period?.start && (r.location as Json[])?.[0]?.location?.display),
        );
      },
    },
  },
  {
    name: 'RES-ALG-1',
    requirement: 'RES-ALG-1',
    description: 'AllergyIntolerance substance/code has neither text nor coding display',
    resource: of('AllergyIntolerance', (r, dstu2) => stripDisplays(dstu2 ? r.substance : r.code)),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'AllergyIntolerance'), 'allergies', (r) => {
          const cc = (v === 'dstu2' ? r.substance : r.code) as Json | undefined;
          const named = Boolean(cc?.text || coding0(cc)?.display);
          return named && Boolean(v === 'dstu2' ? r.status : r.clinicalStatus || r.verificationStatus);
        });
      },
    },
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
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'AllergyIntolerance'), 'allergies', (r) => {
          const reaction = (r.reaction as Json[])?.[0];
          const m = (reaction?.manifestation as Json[])?.[0];
          if (v === 'dstu2')
            return Boolean(r.recordedDate && r.note?.text && reaction?.substance?.text && m?.text);
          return Boolean(
            r.assertedDate && (r.note as Json[])?.[0]?.text && coding0(reaction?.substance) && coding0(m),
          );
        });
      },
    },
  },
  {
    name: 'RES-MED-1',
    requirement: 'RES-MED-1',
    description: 'medication orders lose prescriber / requester display and the medication text',
    resource: of(MEDICATION, (r, dstu2) => {
      delete object(r.medicationCodeableConcept)?.text;
      delete r[dstu2 ? 'prescriber' : 'requester'];
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, MED(v)), 'medication orders', (r) => {
          const med = Boolean(r.medicationCodeableConcept?.text || r.medicationReference?.display);
          if (v === 'dstu2') return Boolean(r.dateWritten && r.prescriber?.display && med);
          return Boolean(r.authoredOn && r.requester?.agent?.display && med);
        });
      },
    },
  },
  {
    name: 'RES-MED-2',
    requirement: 'RES-MED-2',
    description: 'medication orders lose dateEnded, dosage text and narrative',
    resource: of(MEDICATION, (r, dstu2) => {
      for (const dosage of list(r.dosageInstruction)) delete dosage.text;
      delete r[dstu2 ? 'dateEnded' : 'text'];
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, MED(v)), 'medication orders', (r) => {
          const dosage = Boolean((r.dosageInstruction as Json[])?.[0]?.text);
          return v === 'dstu2' ? Boolean(r.dateEnded) && dosage : dosage && Boolean(r.text?.div);
        });
      },
    },
  },
  {
    name: 'RES-COV-1',
    requirement: 'RES-COV-1',
    description: 'Coverage loses plan, issuer display (DSTU2) / grouping and subscriberId (STU3)',
    resource: of('Coverage', (r, dstu2) => {
      for (const key of dstu2 ? ['issuer', 'plan'] : ['subscriberId', 'grouping']) delete r[key];
    }),
    detect: {
      async run(p, v) {
        return everyResource(await all(p, v, 'Coverage'), 'coverages', (r) =>
          v === 'dstu2'
            ? Boolean(r.plan || r.issuer?.display)
            : Boolean(r.grouping?.groupDisplay && r.grouping?.planDisplay && r.period && r.subscriberId),
        );
      },
    },
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
    detect: {
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const refs = new Set(
          (await all(p, v, 'Encounter')).map((e) => (e.location as Json[])[0]?.location?.reference as string),
        );
        const out: string[] = [];
        for (const ref of refs) {
          const r = await fhirGet(p, v, ref, bearer);
          if (r.status !== 200 || r.json.resourceType !== 'Location') out.push(`${ref}: ${r.status}`);
        }
        return out;
      },
    },
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
    detect: {
      async run(p, v) {
        return everyResource(
          await all(p, v, 'Patient'),
          'Patients',
          (r) =>
            Object.keys(r).every((k) => PATIENT_ELEMENTS.has(k)) &&
            ['male', 'female', 'other', 'unknown'].includes(r.gender as string),
        );
      },
    },
  },
  {
    name: 'RES-READ-1',
    requirement: 'RES-READ-1',
    description: 'a read of an unknown id answers 200 with an OperationOutcome instead of 404',
    request: { unknownIdStatus: 200 },
    detect: {
      async run(p, v) {
        const bearer = await token(p, p.tenants[1]);
        const out: string[] = [];
        for (const patient of (await all(p, v, 'Patient')).slice(0, 3)) {
          const r = await fhirGet(p, v, `Patient/${String(patient.id)}`, bearer);
          if (r.status !== 200 || r.json.id !== patient.id)
            out.push(`read of ${String(patient.id)}: ${r.status}`);
        }
        const missing = await fhirGet(p, v, 'Patient/does-not-exist', bearer);
        if (missing.status !== 404) out.push(`unknown id answered ${missing.status}`);
        return out;
      },
    },
  },
];

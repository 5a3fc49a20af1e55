/** Synthetic records → DSTU2 (1.0.2) resources. Field names follow the DSTU2 StructureDefinitions. */
import type { Json, Mapped } from './map-common.js';
import {
  concept,
  displayName,
  location,
  ms,
  patientRef,
  patientResource,
  quantity,
  vitalValue,
} from './map-common.js';
import type { PatientRec, TenantData } from './synthetic.js';
import { OBSERVATION_CATEGORY } from './vocabulary.js';

const CONDITION_CATEGORY = 'http://hl7.org/fhir/condition-category';

export function mapTenantDstu2(data: TenantData): Mapped[] {
  const out: Mapped[] = [];
  for (const loc of data.locations) out.push(location(loc));
  for (const p of data.patients) mapPatient(data, p, out);
  return out;
}

function mapPatient(data: TenantData, p: PatientRec, out: Mapped[]): void {
  out.push({
    resource: patientResource(data, p, { family: [p.family], practitioner: 'careProvider' }),
  });

  const subject = patientRef(p.id, displayName(p));
  const vitalCategory = {
    coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }],
    text: 'Vital Signs',
  };

  for (const visit of p.visits) {
    for (const v of visit.vitals) {
      const obs: Json & { resourceType: string; id: string } = {
        resourceType: 'Observation',
        id: v.id,
        status: 'final',
        category: vitalCategory,
        code: concept(v.kind.code),
        subject,
        encounter: { reference: `Encounter/${visit.encounterId}` },
        effectiveDateTime: v.effective,
      };
      Object.assign(obs, vitalValue(v));
      out.push({
        resource: obs,
        patientId: p.id,
        date: ms(v.effective),
        categories: ['vital-signs'],
        codes: [v.kind.code.code],
      });
    }

    const typeConcept = concept(visit.type, { text: true });
    const locationRef: Json = { reference: `Location/${visit.location.id}`, display: visit.location.name };
    out.push({
      resource: {
        resourceType: 'Encounter',
        id: visit.encounterId,
        status: 'finished',
        class: 'outpatient',
        type: [typeConcept],
        patient: subject,
        period: { start: visit.start, end: visit.end },
        location: [{ location: locationRef, status: 'completed' }],
      },
      patientId: p.id,
      date: ms(visit.start),
    });
  }

  for (const lab of p.labs) {
    out.push({
      resource: {
        resourceType: 'Observation',
        id: lab.id,
        status: 'final',
        category: { coding: [{ system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' }] },
        code: concept(lab.code),
        subject,
        effectiveDateTime: lab.effective,
        valueQuantity: quantity(lab.value, lab.unit, lab.unit),
      },
      patientId: p.id,
      date: ms(lab.effective),
      categories: ['laboratory'],
      codes: [lab.code.code],
    });
  }

  for (const c of p.conditions) {
    const condition: Json & { resourceType: string; id: string } = {
      resourceType: 'Condition',
      id: c.id,
      patient: subject,
      encounter: { reference: `Encounter/${c.encounterId}` },
      code: concept(c.code, { text: true }),
      category: { coding: [{ system: CONDITION_CATEGORY, code: 'diagnosis', display: 'Diagnosis' }] },
      clinicalStatus: c.clinicalStatus,
      verificationStatus: 'confirmed',
      onsetDateTime: c.onset,
      dateRecorded: c.recorded,
      severity: concept(c.severity),
    };
    out.push({ resource: condition, patientId: p.id, date: ms(c.recorded), codes: [c.code.code] });
  }

  for (const a of p.allergies) {
    const reaction: Json = {
      manifestation: [concept(a.manifestation, { text: true })],
      severity: a.severity,
      substance: concept(a.substance, { text: true }),
    };
    const allergy: Json & { resourceType: string; id: string } = {
      resourceType: 'AllergyIntolerance',
      id: a.id,
      patient: subject,
      substance: concept(a.substance, { text: true }),
      status: 'confirmed',
      criticality: a.criticality === 'high' ? 'CRITH' : 'CRITL',
      type: 'allergy',
      category: a.substance.category,
      onset: a.onset,
      reaction: [reaction],
      recordedDate: a.recorded,
      note: { text: a.note },
    };
    out.push({ resource: allergy, patientId: p.id, date: ms(a.recorded) });
  }

  for (const m of p.meds) {
    const dosage: Json = {
      timing: { repeat: { frequency: 1, period: 1, periodUnits: 'd' } },
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }] },
    };
    dosage.text = m.drug.dosage;
    const order: Json & { resourceType: string; id: string } = {
      resourceType: 'MedicationOrder',
      id: m.id,
      dateWritten: m.written,
      status: m.status,
      patient: subject,
      encounter: { reference: `Encounter/${m.encounterId}` },
      medicationCodeableConcept: concept(m.drug, { text: true }),
      dosageInstruction: [dosage],
      prescriber: { display: m.prescriber },
      dateEnded: m.ended,
    };
    out.push({ resource: order, patientId: p.id, date: ms(m.written), codes: [m.drug.code] });
  }

  const cov = p.coverage;
  const coverage: Json & { resourceType: string; id: string } = {
    resourceType: 'Coverage',
    id: cov.id,
    period: { start: cov.start, end: cov.end },
    type: { system: 'http://hl7.org/fhir/v3/ActCode', code: 'EHCPOL', display: 'extended healthcare' },
    subscriberId: { system: `${data.mrnSystem}.9`, value: cov.subscriberId },
    group: cov.group,
    subscriber: subject,
    issuer: { display: cov.payor },
    plan: cov.plan,
  };
  out.push({ resource: coverage, patientId: p.id, date: ms(cov.start) });
}

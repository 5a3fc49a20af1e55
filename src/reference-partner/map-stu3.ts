/** Synthetic records → STU3 (3.0.1) resources. Field names follow the STU3 StructureDefinitions. */
import type { Json, Mapped } from './map-common.js';
import {
  concept,
  displayName,
  location,
  ms,
  narrative,
  patientRef,
  patientResource,
  quantity,
  vitalValue,
} from './map-common.js';
import type { PatientRec, TenantData } from './synthetic.js';
import { OBSERVATION_CATEGORY } from './vocabulary.js';

const CONDITION_CATEGORY = 'http://hl7.org/fhir/condition-category';

export function mapTenantStu3(data: TenantData): Mapped[] {
  const out: Mapped[] = [];
  for (const loc of data.locations) out.push(location(loc));
  for (const p of data.patients) mapPatient(data, p, out);
  return out;
}

function mapPatient(data: TenantData, p: PatientRec, out: Mapped[]): void {
  out.push({
    resource: patientResource(data, p, { family: p.family, practitioner: 'generalPractitioner' }),
  });

  const subject = patientRef(p.id, displayName(p));
  const vitalCategory = [
    {
      coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }],
      text: 'Vital Signs',
    },
  ];

  for (const visit of p.visits) {
    for (const v of visit.vitals) {
      const code = v.kind.stu3Code ?? v.kind.code;
      const obs: Json & { resourceType: string; id: string } = {
        resourceType: 'Observation',
        id: v.id,
        status: 'final',
        category: vitalCategory,
        code: concept(code, { text: true }),
        subject,
        context: { reference: `Encounter/${visit.encounterId}` },
        effectiveDateTime: v.effective,
      };
      Object.assign(obs, vitalValue(v));
      out.push({
        resource: obs,
        patientId: p.id,
        date: ms(v.effective),
        categories: ['vital-signs'],
        codes: [code.code],
      });
    }

    const typeConcept = concept(visit.type, { text: true });
    const locationRef: Json = { reference: `Location/${visit.location.id}`, display: visit.location.name };
    out.push({
      resource: {
        resourceType: 'Encounter',
        id: visit.encounterId,
        status: 'finished',
        class: { system: 'http://hl7.org/fhir/v3/ActCode', code: 'AMB', display: 'ambulatory' },
        type: [typeConcept],
        subject,
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
        category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' }] }],
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
      clinicalStatus: c.clinicalStatus,
      verificationStatus: 'confirmed',
      category: [
        { coding: [{ system: CONDITION_CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] },
      ],
      code: concept(c.code, { text: true }),
      subject,
      context: { reference: `Encounter/${c.encounterId}` },
      onsetDateTime: c.onset,
      severity: concept(c.severity),
      assertedDate: c.recorded,
    };
    out.push({ resource: condition, patientId: p.id, date: ms(c.recorded), codes: [c.code.code] });
  }

  for (const a of p.allergies) {
    const reaction: Json = {
      manifestation: [concept(a.manifestation, { text: true })],
      severity: a.severity,
      substance: concept(a.substance),
    };
    const allergy: Json & { resourceType: string; id: string } = {
      resourceType: 'AllergyIntolerance',
      id: a.id,
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      type: 'allergy',
      category: [a.substance.category],
      criticality: a.criticality,
      code: concept(a.substance, { text: true }),
      patient: subject,
      onsetDateTime: a.onset,
      reaction: [reaction],
      assertedDate: a.recorded,
      note: [{ text: a.note }],
    };
    out.push({ resource: allergy, patientId: p.id, date: ms(a.recorded) });
  }

  for (const m of p.meds) {
    const dosage: Json = {
      timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }] },
    };
    dosage.text = m.drug.dosage;
    const request: Json & { resourceType: string; id: string } = {
      resourceType: 'MedicationRequest',
      id: m.id,
      text: narrative(`${m.drug.display}: ${m.drug.dosage} (prescribed by ${m.prescriber})`),
      status: m.status,
      intent: 'order',
      medicationCodeableConcept: concept(m.drug, { text: true }),
      subject,
      context: { reference: `Encounter/${m.encounterId}` },
      authoredOn: m.written,
      dosageInstruction: [dosage],
      requester: { agent: { display: m.prescriber } },
    };
    out.push({ resource: request, patientId: p.id, date: ms(m.written), codes: [m.drug.code] });
  }

  const cov = p.coverage;
  const coverage: Json & { resourceType: string; id: string } = {
    resourceType: 'Coverage',
    id: cov.id,
    status: 'active',
    type: {
      coding: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'EHCPOL', display: 'extended healthcare' }],
    },
    subscriber: subject,
    beneficiary: subject,
    relationship: { coding: [{ system: 'http://hl7.org/fhir/policyholder-relationship', code: 'self' }] },
    period: { start: cov.start, end: cov.end },
    payor: [{ display: cov.payor }],
    subscriberId: cov.subscriberId,
    grouping: {
      group: cov.group.replace(/\W+/g, '-').toLowerCase(),
      groupDisplay: cov.group,
      plan: cov.plan.replace(/\W+/g, '-').toLowerCase(),
      planDisplay: cov.plan,
    },
  };
  out.push({ resource: coverage, patientId: p.id, date: ms(cov.start) });
}

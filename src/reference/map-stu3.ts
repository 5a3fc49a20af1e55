/** Synthetic records → STU3 (3.0.1) resources. Field names follow the STU3 StructureDefinitions. */
import type { Json, MapOptions, Mapped } from './map-common.js';
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

export function mapTenantStu3(data: TenantData, options: MapOptions): Mapped[] {
  const out: Mapped[] = [];
  for (const loc of data.locations) out.push(location(loc));
  for (const p of data.patients) mapPatient(data, p, options.faults, out);
  return out;
}

function mapPatient(data: TenantData, p: PatientRec, faults: ReadonlySet<string>, out: Mapped[]): void {
  out.push({
    resource: patientResource(data, p, faults, { family: p.family, practitioner: 'generalPractitioner' }),
  });

  const subject = patientRef(p.id, displayName(p));
  const noDisplay = faults.has('RES-OBS-2');
  const noValue = faults.has('RES-OBS-1');
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
        code: concept(code, { display: !noDisplay, text: !noDisplay }),
        subject,
        context: { reference: `Encounter/${visit.encounterId}` },
        effectiveDateTime: v.effective,
      };
      Object.assign(obs, vitalValue(v, { noDisplay, noValue }));
      out.push({
        resource: obs,
        patientId: p.id,
        date: ms(v.effective),
        categories: ['vital-signs'],
        codes: [code.code],
      });
    }

    const typeConcept = concept(visit.type, {
      display: !faults.has('RES-ENC-1'),
      text: !faults.has('RES-ENC-1'),
    });
    const locationId = faults.has('RES-LOC-1') ? `${visit.location.id}-gone` : visit.location.id;
    const locationRef: Json = { reference: `Location/${locationId}` };
    if (!faults.has('RES-ENC-2')) locationRef.display = visit.location.name;
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
        code: concept(lab.code, { display: !noDisplay }),
        subject,
        effectiveDateTime: lab.effective,
        valueQuantity: quantity(noValue ? undefined : lab.value, lab.unit, lab.unit, !noDisplay),
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
      code: concept(c.code, { display: !faults.has('RES-CON-1'), text: !faults.has('RES-CON-1') }),
      subject,
      context: { reference: `Encounter/${c.encounterId}` },
      onsetDateTime: c.onset,
    };
    if (!faults.has('RES-CON-2')) {
      condition.severity = concept(c.severity);
      condition.assertedDate = c.recorded;
    }
    out.push({ resource: condition, patientId: p.id, date: ms(c.recorded), codes: [c.code.code] });
  }

  for (const a of p.allergies) {
    const noRecommended = faults.has('RES-ALG-2');
    const manifestation = noRecommended
      ? { text: a.manifestation.display }
      : concept(a.manifestation, { text: true });
    const reaction: Json = { manifestation: [manifestation], severity: a.severity };
    if (!noRecommended) reaction.substance = concept(a.substance);
    const allergy: Json & { resourceType: string; id: string } = {
      resourceType: 'AllergyIntolerance',
      id: a.id,
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      type: 'allergy',
      category: [a.substance.category],
      criticality: a.criticality,
      code: concept(a.substance, { display: !faults.has('RES-ALG-1'), text: !faults.has('RES-ALG-1') }),
      patient: subject,
      onsetDateTime: a.onset,
      reaction: [reaction],
    };
    if (!noRecommended) {
      allergy.assertedDate = a.recorded;
      allergy.note = [{ text: a.note }];
    }
    out.push({ resource: allergy, patientId: p.id, date: ms(a.recorded) });
  }

  for (const m of p.meds) {
    const noRequired = faults.has('RES-MED-1');
    const noRecommended = faults.has('RES-MED-2');
    const dosage: Json = {
      timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }] },
    };
    if (!noRecommended) dosage.text = m.drug.dosage;
    const request: Json & { resourceType: string; id: string } = {
      resourceType: 'MedicationRequest',
      id: m.id,
    };
    if (!noRecommended)
      request.text = narrative(`${m.drug.display}: ${m.drug.dosage} (prescribed by ${m.prescriber})`);
    Object.assign(request, {
      status: m.status,
      intent: 'order',
      medicationCodeableConcept: concept(m.drug, { text: !noRequired }),
      subject,
      context: { reference: `Encounter/${m.encounterId}` },
      authoredOn: m.written,
      dosageInstruction: [dosage],
    });
    if (!noRequired) request.requester = { agent: { display: m.prescriber } };
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
  };
  if (!faults.has('RES-COV-1')) {
    coverage.subscriberId = cov.subscriberId;
    coverage.grouping = {
      group: cov.group.replace(/\W+/g, '-').toLowerCase(),
      groupDisplay: cov.group,
      plan: cov.plan.replace(/\W+/g, '-').toLowerCase(),
      planDisplay: cov.plan,
    };
  }
  out.push({ resource: coverage, patientId: p.id, date: ms(cov.start) });
}

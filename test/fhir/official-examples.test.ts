/**
 * Every official HL7 example of the resource types the app reads must validate for its own version,
 * and each mutated copy (one bad field) must be rejected with exactly one issue at the right path.
 * Reads ../shared/fhir-examples (beside the project in CI; absent from a user's clone: then skipped, saying so).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { loadValidator, validateResource } from '../../src/fhir/validate.js';
import { sharedPath, sharedTitle } from '../helpers/shared.js';

const examplesRoot = sharedPath('fhir-examples');
const present = existsSync(join(examplesRoot, 'dstu2')) && existsSync(join(examplesRoot, 'stu3'));

const types: Record<FhirVersion, string[]> = {
  dstu2: [
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'Coverage',
    'Location',
    'MedicationOrder',
    'MedicationStatement',
    'Bundle',
    'Conformance',
    'OperationOutcome',
    'Practitioner',
  ],
  stu3: [
    'Patient',
    'Observation',
    'Condition',
    'Encounter',
    'AllergyIntolerance',
    'Coverage',
    'Location',
    'MedicationRequest',
    'MedicationStatement',
    'Bundle',
    'CapabilityStatement',
    'OperationOutcome',
    'Practitioner',
  ],
};

/**
 * Official examples allowed to fail, with the reason. Empty: all 320 validate, including the two
 * Conformance/CapabilityStatement examples that declare fhirVersion 1.0.0 (their content is DSTU2 1.0.2
 * and STU3 3.0.1 shaped respectively) and STU3's json-edge-cases.json (no id, `_active`, odd Unicode).
 */
const allowedToFail: Record<FhirVersion, Record<string, string>> = { dstu2: {}, stu3: {} };

/** A required binding per type: the element and how to reach it. */
const boundElement: Record<
  string,
  (r: Record<string, unknown>) => [Record<string, unknown>, string, string] | undefined
> = {
  Patient: (r) => [r, 'gender', 'gender'],
  Practitioner: (r) => [r, 'gender', 'gender'],
  Observation: (r) => [r, 'status', 'status'],
  Encounter: (r) => [r, 'status', 'status'],
  Location: (r) => [r, 'status', 'status'],
  MedicationOrder: (r) => [r, 'status', 'status'],
  MedicationRequest: (r) => [r, 'status', 'status'],
  MedicationStatement: (r) => [r, 'status', 'status'],
  Bundle: (r) => [r, 'type', 'type'],
  Conformance: (r) => [r, 'status', 'status'],
  CapabilityStatement: (r) => [r, 'status', 'status'],
  Condition: (r) => [r, 'verificationStatus', 'verificationStatus'],
  AllergyIntolerance: (r) => [r, 'criticality', 'criticality'],
  OperationOutcome: (r) => {
    const issue = (r.issue as Record<string, unknown>[] | undefined)?.[0];
    return issue ? [issue, 'severity', 'issue[0].severity'] : undefined;
  },
};

/** A choice element per type and two of its alternatives. */
const choiceOf: Record<string, [string, string, unknown, string, unknown]> = {
  Patient: ['deceased', 'deceasedBoolean', true, 'deceasedDateTime', '2019-01-01'],
  Observation: ['value', 'valueQuantity', { value: 1 }, 'valueString', 'x'],
  Condition: ['onset', 'onsetDateTime', '2019-01-01', 'onsetString', 'x'],
  MedicationOrder: [
    'medication',
    'medicationReference',
    { reference: 'Medication/1' },
    'medicationCodeableConcept',
    { text: 'x' },
  ],
  MedicationRequest: [
    'medication',
    'medicationReference',
    { reference: 'Medication/1' },
    'medicationCodeableConcept',
    { text: 'x' },
  ],
};

function load(version: FhirVersion): { file: string; resource: Record<string, unknown> }[] {
  const dir = join(examplesRoot, version);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      resource: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>,
    }))
    .filter(({ resource }) => types[version].includes(resource.resourceType as string));
}

const clone = <T>(x: T): T => structuredClone(x);

beforeAll(() => Promise.all([loadValidator('dstu2'), loadValidator('stu3')]));

describe.skipIf(!present)(sharedTitle('official HL7 examples', examplesRoot), () => {
  for (const version of ['dstu2', 'stu3'] as const) {
    describe(version, () => {
      const examples = present ? load(version) : [];

      it('has examples of every resource type the app reads', () => {
        const seen = new Set(examples.map((e) => e.resource.resourceType));
        for (const t of types[version]) expect(seen, t).toContain(t);
      });

      it('validates every example, except the explained ones', () => {
        const failing: Record<string, string[]> = {};
        for (const { file, resource } of examples) {
          const issues = validateResource(resource, version);
          if (issues.length > 0) failing[file] = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
        }
        expect(Object.keys(failing).sort()).toEqual(Object.keys(allowedToFail[version]).sort());
      });

      it('rejects an unknown element, at the root and inside a Bundle entry', () => {
        for (const { file, resource } of examples) {
          const r = clone(resource);
          r.foo = 1;
          expect(validateResource(r, version), file).toEqual([
            { path: `${String(r.resourceType)}.foo`, message: 'unknown element "foo"' },
          ]);
          const entries = r.entry as { resource?: Record<string, unknown> }[] | undefined;
          const i = entries?.findIndex((e) => e.resource) ?? -1;
          const inner = entries?.[i]?.resource;
          if (!inner) continue;
          delete r.foo;
          inner.bar = [];
          expect(validateResource(r, version), file).toEqual([
            { path: `Bundle.entry[${i}].resource.bar`, message: 'unknown element "bar"' },
          ]);
        }
      });

      it('rejects a wrong type', () => {
        for (const { file, resource } of examples) {
          const r = clone(resource);
          r.id = 42;
          expect(validateResource(r, version), file).toEqual([
            { path: `${String(r.resourceType)}.id`, message: 'expected a string (id) but got 42' },
          ]);
        }
      });

      it('rejects a code outside a required binding', () => {
        let tried = 0;
        for (const { file, resource } of examples) {
          const r = clone(resource);
          const target = boundElement[r.resourceType as string]?.(r);
          if (!target) continue;
          const [holder, key, path] = target;
          holder[key] = 'M';
          const issues = validateResource(r, version);
          expect(issues, file).toHaveLength(1);
          expect(issues[0]?.path, file).toBe(`${String(r.resourceType)}.${path}`);
          expect(issues[0]?.message, file).toMatch(/^expected one of .+ but got "M"$/);
          tried++;
        }
        expect(tried).toBeGreaterThan(100);
      });

      it('rejects an invalid date and instant', () => {
        for (const { file, resource } of examples) {
          const r = clone(resource);
          r.meta = { lastUpdated: '2019-13-45T10:00:00Z' };
          expect(validateResource(r, version), file).toEqual([
            {
              path: `${String(r.resourceType)}.meta.lastUpdated`,
              message: '"2019-13-45T10:00:00Z" is not a valid instant',
            },
          ]);
          if (r.resourceType === 'Patient' || r.resourceType === 'Practitioner') {
            delete r.meta;
            r.birthDate = '2019-13-45';
            expect(validateResource(r, version), file).toEqual([
              { path: `${String(r.resourceType)}.birthDate`, message: '"2019-13-45" is not a valid date' },
            ]);
          }
        }
      });

      it('rejects two alternatives of one [x] choice', () => {
        let tried = 0;
        for (const { file, resource } of examples) {
          const r = clone(resource);
          const choice = choiceOf[r.resourceType as string];
          if (choice) {
            const [element, a, va, b, vb] = choice;
            for (const k of Object.keys(r))
              if (k.startsWith(element) && /^[A-Z]/.test(k.slice(element.length))) delete r[k];
            r[a] = va;
            r[b] = vb;
            expect(validateResource(r, version), file).toEqual([
              {
                path: `${String(r.resourceType)}.${element}[x]`,
                message: `only one of ${a}, ${b} may be present`,
              },
            ]);
            tried++;
            continue;
          }
          r.extension = [{ url: 'http://example.org/x', valueString: 'x', valueBoolean: true }];
          if (r.resourceType === 'Bundle') continue; // a Bundle is a Resource: it has no extension element
          expect(validateResource(r, version), file).toEqual([
            {
              path: `${String(r.resourceType)}.extension[0].value[x]`,
              message: 'only one of valueString, valueBoolean may be present',
            },
          ]);
          tried++;
        }
        expect(tried).toBeGreaterThan(100);
      });
    });
  }
});

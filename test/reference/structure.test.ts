/**
 * RES-VAL-1 for the reference partner itself: every resource it serves (and its capability statement,
 * searchsets and OperationOutcomes) is structurally valid for its version, checked two independent
 * ways: the project's validator (src/fhir/validate.ts) and a checker driven by the HL7
 * StructureDefinitions (skipped, saying so, when ../shared is absent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateResource } from '../../src/fhir/validate.js';
import type { FhirVersion, ReferencePartner } from '../../src/reference/index.js';
import { startReferencePartner } from '../../src/reference/index.js';
import type { Json } from './helpers.js';
import { fhirGet, medicationType, token } from './helpers.js';
import { sharedTitle } from '../helpers/shared.js';
import { DEFINITIONS_DIR, StructureChecker, bindingIssues, definitionsPresent } from './structure-check.js';

let p: ReferencePartner;
const served: Record<FhirVersion, Json[]> = { dstu2: [], stu3: [] };

beforeAll(async () => {
  p = await startReferencePartner({ patientsPerTenant: 25, seed: 99 });
  for (const version of ['dstu2', 'stu3'] as const) {
    served[version].push((await fhirGet(p, version, 'metadata')).json);
    for (const tenant of p.tenants) {
      const t = await token(p, tenant);
      for (const type of [
        'Patient',
        'Observation',
        'Condition',
        'Encounter',
        'AllergyIntolerance',
        'Coverage',
        'Location',
        medicationType(version),
      ]) {
        served[version].push((await fhirGet(p, version, `${type}?_count=1000`, t)).json);
      }
      served[version].push((await fhirGet(p, version, 'Patient/nobody', t)).json);
    }
  }
});
afterAll(async () => {
  await p.close();
});

function flatten(resources: Json[]): Json[] {
  return resources.flatMap((r) => [
    r,
    ...((r.entry as Json[] | undefined) ?? []).map((e) => e.resource as Json),
  ]);
}

describe.each(['dstu2', 'stu3'] as const)('%s resources', (version) => {
  it('serve every resource type with data', () => {
    const types = new Set(flatten(served[version]).map((r) => r.resourceType));
    expect(types.size).toBeGreaterThanOrEqual(11);
  });

  it('pass the project validator (src/fhir/validate.ts)', () => {
    const issues = served[version].flatMap((r) =>
      validateResource(r, version).map((i) => `${i.path}: ${i.message}`),
    );
    expect(issues.slice(0, 20)).toEqual([]);
  });

  it.skipIf(!definitionsPresent)(sharedTitle('pass the StructureDefinition checker', DEFINITIONS_DIR), () => {
    const checker = new StructureChecker(version);
    const issues = new Set<string>();
    for (const r of served[version])
      for (const i of checker.check(r)) issues.add(i.replace(/\[\d+\]/g, '[]'));
    for (const r of flatten(served[version])) for (const i of bindingIssues(r)) issues.add(i);
    expect([...issues]).toEqual([]);
  });
});

/**
 * RES-VAL-1 for the reference partner itself: every resource it serves (and its capability statement,
 * searchsets and OperationOutcomes) is structurally valid for its version, checked two independent
 * ways: the project's validator (src/fhir/validate.ts) and a checker driven by the HL7
 * StructureDefinitions (skipped, saying so, when ../shared is absent). The unusual variant is held to
 * the same proof: contained resources, primitive extensions, periods and partial dates included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidator, validateResource } from '../../src/fhir/validate.js';
import type { FhirVersion, ReferencePartner, Variant } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Json } from './helpers.js';
import { fhirGet, get, medicationType, token } from './helpers.js';
import { sharedTitle } from '../helpers/shared.js';
import { DEFINITIONS_DIR, StructureChecker, bindingIssues, definitionsPresent } from './structure-check.js';

const partners: ReferencePartner[] = [];
const served: Record<Variant, Record<FhirVersion, Json[]>> = {
  standard: { dstu2: [], stu3: [] },
  unusual: { dstu2: [], stu3: [] },
};
/** The unusual variant pages by 5 at most: every page is read, within a bound. */
const MAX_PAGES = 200;

beforeAll(() => Promise.all([loadValidator('dstu2'), loadValidator('stu3')]));

beforeAll(async () => {
  for (const variant of ['standard', 'unusual'] as const) {
    const p = await startReferencePartner({ patientsPerTenant: 25, seed: 99, variant });
    partners.push(p);
    await collect(p, served[variant]);
  }
});
afterAll(async () => {
  await Promise.all(partners.map((p) => p.close()));
});

async function collect(p: ReferencePartner, into: Record<FhirVersion, Json[]>): Promise<void> {
  for (const version of ['dstu2', 'stu3'] as const) {
    into[version].push((await fhirGet(p, version, 'metadata')).json);
    for (const tenant of p.tenants) {
      const t = await token(p, tenant);
      /** Every page of a search, following next links. */
      const pages = async (query: string): Promise<Json[]> => {
        let page = (await fhirGet(p, version, query, t)).json;
        const read = [page];
        for (let n = 1; n < MAX_PAGES; n++) {
          const next = (page.link as Json[] | undefined)?.find((l) => l.relation === 'next')?.url as
            string | undefined;
          if (!next) break;
          page = (await get(next, t)).json;
          read.push(page);
        }
        return read;
      };
      const patients = await pages('Patient?_count=1000');
      into[version].push(...patients, ...(await pages('Location?_count=1000')));
      const ids = flatten(patients)
        .filter((r) => r.resourceType === 'Patient')
        .map((r) => String(r.id));
      const clinical = [
        'Observation',
        'Condition',
        'Encounter',
        'AllergyIntolerance',
        'Coverage',
        medicationType(version),
      ];
      for (const type of clinical) {
        // The unusual variant searches clinical types per patient only.
        if (p.variant === 'unusual') {
          for (const id of ids) into[version].push(...(await pages(`${type}?patient=${id}&_count=1000`)));
        } else into[version].push(...(await pages(`${type}?_count=1000`)));
      }
      into[version].push((await fhirGet(p, version, 'Patient/nobody', t)).json);
      into[version].push((await fhirGet(p, version, 'Observation?_count=3', t)).json);
    }
  }
}

function flatten(resources: Json[]): Json[] {
  return resources.flatMap((r) => [
    r,
    ...((r.entry as Json[] | undefined) ?? []).map((e) => e.resource as Json),
  ]);
}

const cases = (['standard', 'unusual'] as const).flatMap((variant) =>
  (['dstu2', 'stu3'] as const).map((version) => ({ variant, version })),
);

describe.each(cases)('$version resources ($variant partner)', ({ variant, version }) => {
  it('serve every resource type with data', () => {
    const types = new Set(flatten(served[variant][version]).map((r) => r.resourceType));
    expect(types.size).toBeGreaterThanOrEqual(11);
  });

  it('pass the project validator (src/fhir/validate.ts)', () => {
    const issues = served[variant][version].flatMap((r) =>
      validateResource(r, version).map((i) => `${i.path}: ${i.message}`),
    );
    expect(issues.slice(0, 20)).toEqual([]);
  });

  it.skipIf(!definitionsPresent)(sharedTitle('pass the StructureDefinition checker', DEFINITIONS_DIR), () => {
    const checker = new StructureChecker(version);
    const issues = new Set<string>();
    for (const r of served[variant][version])
      for (const i of checker.check(r)) issues.add(i.replace(/\[\d+\]/g, '[]'));
    for (const r of flatten(served[variant][version])) for (const i of bindingIssues(r)) issues.add(i);
    expect([...issues]).toEqual([]);
  });
});

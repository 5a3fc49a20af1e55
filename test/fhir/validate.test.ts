/** Structural validation on the project's own fixtures: always runs, with or without /work/shared. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acceptingVersions,
  guessVersion,
  isValidResource,
  loadValidator,
  resourceTypesOf,
  validateResource,
} from '../../src/fhir/validate.js';
import { appendErrorsInPlace } from '../../scripts/gen-fhir-schemas.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'fhir');
const generated = join(import.meta.dirname, '..', '..', 'src', 'fhir', 'generated');
const read = (version: string, name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(fixtures, version, name), 'utf8')) as Record<string, unknown>;

beforeAll(() => Promise.all([loadValidator('dstu2'), loadValidator('stu3')]));

describe('validateResource on the project fixtures', () => {
  for (const version of ['dstu2', 'stu3'] as const) {
    it(`accepts every ${version} fixture`, () => {
      const files = readdirSync(join(fixtures, version)).filter((f) => f.endsWith('.json'));
      expect(files.length).toBeGreaterThanOrEqual(3);
      for (const f of files) expect(validateResource(read(version, f), version), f).toEqual([]);
    });
  }

  it('names the path and what was expected', () => {
    const p = read('stu3', 'patient.json');
    expect(validateResource({ ...p, gender: 'M' }, 'stu3')).toEqual([
      { path: 'Patient.gender', message: 'expected one of male, female, other, unknown but got "M"' },
    ]);
    expect(validateResource({ ...p, birthDate: '2019-13-45' }, 'stu3')).toEqual([
      { path: 'Patient.birthDate', message: '"2019-13-45" is not a valid date' },
    ]);
    expect(validateResource({ ...p, foo: true }, 'stu3')).toEqual([
      { path: 'Patient.foo', message: 'unknown element "foo"' },
    ]);
    expect(validateResource({ ...p, name: [{ family: 3 }] }, 'stu3')).toEqual([
      { path: 'Patient.name[0].family', message: 'expected a string but got 3' },
    ]);
    expect(validateResource({ ...p, deceasedBoolean: false, deceasedDateTime: '2020' }, 'stu3')).toEqual([
      {
        path: 'Patient.deceased[x]',
        message: 'only one of deceasedBoolean, deceasedDateTime may be present',
      },
    ]);
    expect(validateResource({ resourceType: 'Observation', code: { text: 'x' } }, 'stu3')).toEqual([
      { path: 'Observation.status', message: 'required element is missing' },
    ]);
  });

  it('validates a resource inside a Bundle for its own type, one bad field giving one issue', () => {
    const b = structuredClone(read('dstu2', 'bundle-searchset.json')) as {
      entry: { resource: Record<string, unknown> }[];
    };
    (b.entry[1]!.resource.component as Record<string, unknown>[])[1]!.valueQuantity = { value: 'sixty' };
    expect(validateResource(b, 'dstu2')).toEqual([
      {
        path: 'Bundle.entry[1].resource.component[1].valueQuantity.value',
        message: 'expected a number but got "sixty"',
      },
    ]);
    b.entry[1]!.resource.resourceType = 'Nonsense';
    expect(validateResource(b, 'dstu2')).toEqual([
      { path: 'Bundle.entry[1].resource', message: 'unknown resourceType "Nonsense"' },
    ]);
  });

  it('knows the differences between the versions', () => {
    const p2 = read('dstu2', 'patient.json');
    const p3 = read('stu3', 'patient.json');
    expect(validateResource(p2, 'stu3').map((i) => i.path)).toEqual(
      expect.arrayContaining(['Patient.careProvider', 'Patient.name[0].family']),
    );
    expect(validateResource(p3, 'dstu2').map((i) => i.path)).toContain('Patient.generalPractitioner');
    // DSTU2 JSON carries XML comments anywhere, `_element` objects included; STU3 dropped them.
    const commented = { ...p2, fhir_comments: ['a'], _birthDate: { fhir_comments: ['b'] } };
    expect(validateResource(commented, 'dstu2')).toEqual([]);
    expect(validateResource({ ...p3, fhir_comments: ['a'] }, 'stu3')).toEqual([
      { path: 'Patient.fhir_comments', message: 'unknown element "fhir_comments"' },
    ]);
  });

  it('accepts primitive extensions and nulls in primitive arrays', () => {
    const p = {
      resourceType: 'Patient',
      active: true,
      _active: { extension: [{ url: 'http://example.org/why', valueString: 'because' }] },
      multipleBirthInteger: 2,
      _multipleBirthInteger: { id: 'm' },
      name: [
        {
          given: ['Jo', null],
          _given: [null, { extension: [{ url: 'http://example.org/x', valueCode: 'y' }] }],
        },
      ],
    };
    expect(validateResource(p, 'stu3')).toEqual([]);
    expect(validateResource(p, 'dstu2')).toEqual([]);
  });

  it('rejects garbage without throwing', () => {
    for (const junk of [
      null,
      1,
      'Patient',
      [],
      {},
      { resourceType: 7 },
      { resourceType: 'Bundle', entry: 'x' },
    ]) {
      const issues = validateResource(junk, 'stu3');
      expect(issues.length, JSON.stringify(junk)).toBeGreaterThan(0);
      expect(isValidResource(junk, 'dstu2')).toBe(false);
    }
  });

  it('guesses the version', () => {
    expect(guessVersion({ resourceType: 'MedicationOrder' })).toBe('dstu2');
    expect(guessVersion({ resourceType: 'Conformance' })).toBe('dstu2');
    expect(guessVersion({ resourceType: 'MedicationRequest' })).toBe('stu3');
    expect(guessVersion({ resourceType: 'CapabilityStatement' })).toBe('stu3');
    expect(guessVersion(read('dstu2', 'patient.json'))).toBe('dstu2');
    expect(guessVersion(read('stu3', 'patient.json'))).toBe('stu3');
    expect(
      guessVersion({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'MedicationRequest' } }] }),
    ).toBe('stu3');
    expect(guessVersion({ resourceType: 'Patient', nonsense: 1 })).toBeNull();
    // Valid in both versions, and nothing in it says which: no guess rather than a wrong one.
    const either = { resourceType: 'Observation', status: 'final', code: { text: 'glucose' } };
    expect(acceptingVersions(either)).toEqual(['dstu2', 'stu3']);
    expect(guessVersion(either)).toBeNull();
    expect(guessVersion('x')).toBeNull();
    expect(resourceTypesOf('dstu2')).toContain('MedicationOrder');
    expect(resourceTypesOf('stu3')).not.toContain('MedicationOrder');
  });
});

describe('the generated validators are linear in the number of errors', () => {
  it("append a called validator's errors in place: no vErrors.concat, which copied every error so far", () => {
    for (const version of ['dstu2', 'stu3']) {
      const code = readFileSync(join(generated, `${version}.validator.js`), 'utf8');
      expect(code).not.toContain('.concat(');
      expect(code).toContain('else for (const e of ');
    }
  });

  it('report the same errors, in order, for a Bundle whose every entry is wrong for the version', () => {
    const patient = read('stu3', 'patient.json');
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: Array.from({ length: 3 }, (_, i) => ({ resource: { ...patient, id: `p${i}` } })),
    };
    const paths = validateResource(bundle, 'dstu2').map((i) => i.path);
    expect(paths).toEqual(
      [0, 1, 2].flatMap((i) => [
        `Bundle.entry[${i}].resource.generalPractitioner`,
        `Bundle.entry[${i}].resource.name[0].family`,
      ]),
    );
  });

  it('the generator refuses ajv code whose error concatenation it does not recognise', () => {
    expect(appendErrorsInPlace('vErrors = vErrors === null ? f.errors : vErrors.concat(f.errors);')).toBe(
      'if (vErrors === null) vErrors = f.errors; else for (const e of f.errors) vErrors.push(e);',
    );
    expect(() => appendErrorsInPlace('vErrors = vErrors.concat(other)')).toThrow(
      /update appendErrorsInPlace/,
    );
  });
});

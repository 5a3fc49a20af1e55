import { describe, expect, it } from 'vitest';
import { evaluatePath, FhirPathSyntaxError, hasValue, parsePath } from '../../src/fhir/fhirpath.js';

const obs = {
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ code: '8867-4', display: 'Heart rate' }] },
  effectivePeriod: { start: '2020-01-01T10:00:00Z' },
  valueQuantity: { value: 72, unit: 'beats/min' },
  component: [{ code: { text: 'a' }, valueString: 'x' }],
};

describe('FHIRPath helpers', () => {
  it('resolve choice types in both versions', () => {
    for (const v of ['dstu2', 'stu3'] as const) {
      expect(evaluatePath(obs, 'Observation.effective.start', v)).toEqual(['2020-01-01T10:00:00Z']);
      expect(evaluatePath(obs, 'value.value', v)).toEqual([72]);
      expect(evaluatePath(obs, 'component.value', v)).toEqual(['x']);
      expect(hasValue(obs, 'effective', v)).toBe(true);
      expect(hasValue(obs, 'valueQuantity.unit', v)).toBe(true);
    }
  });

  it("follow each version's model: valueBoolean is STU3 only", () => {
    const boolObs = { resourceType: 'Observation', valueBoolean: true };
    expect(evaluatePath(boolObs, 'value', 'stu3')).toEqual([true]);
    expect(evaluatePath(boolObs, 'value', 'dstu2')).toEqual([]);
  });

  it('answer hasValue for absent, empty and boolean results', () => {
    const p = { resourceType: 'Patient', active: false, name: [{ use: 'official', family: '' }] };
    expect(hasValue(p, 'birthDate', 'stu3')).toBe(false);
    expect(hasValue(p, 'name.family', 'stu3')).toBe(false);
    expect(hasValue(p, 'active.exists()', 'stu3')).toBe(true);
    expect(hasValue(p, "name.where(use='usual').exists()", 'stu3')).toBe(false);
    expect(hasValue(p, "name.where(use='official').exists()", 'stu3')).toBe(true);
  });

  it('name an expression that does not parse', () => {
    expect(() => parsePath('name.(')).toThrow(FhirPathSyntaxError);
    expect(() => evaluatePath(obs, 'code.coding[', 'stu3')).toThrow(/"code\.coding\[" does not parse/);
    expect(() => parsePath("name.where(use='official').family")).not.toThrow();
  });
});

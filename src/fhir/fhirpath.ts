/**
 * FHIRPath over DSTU2 and STU3 resources with HL7's engine and its per-version models, which know
 * the choice types: `Observation.effective` finds `effectiveDateTime` or `effectivePeriod`.
 */
import fhirpath from 'fhirpath';
import type { Model } from 'fhirpath';
import dstu2Model from 'fhirpath/fhir-context/dstu2';
import stu3Model from 'fhirpath/fhir-context/stu3';
import type { FhirVersion } from '../core/fhir-version.js';

const models: Record<FhirVersion, Model> = { dstu2: dstu2Model, stu3: stu3Model };

type Compiled = (resource: unknown) => unknown[];
const compiled = new Map<string, Compiled>();

export class FhirPathSyntaxError extends Error {
  constructor(
    readonly expression: string,
    cause: unknown,
  ) {
    super(
      `FHIRPath expression "${expression}" does not parse: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'FhirPathSyntaxError';
  }
}

/** Checks that an expression parses; throws FhirPathSyntaxError naming it otherwise. */
export function parsePath(expression: string): void {
  try {
    fhirpath.parse(expression);
  } catch (err) {
    throw new FhirPathSyntaxError(expression, err);
  }
}

function compiledFor(expression: string, version: FhirVersion): Compiled {
  const key = `${version}\u0000${expression}`;
  let fn = compiled.get(key);
  if (!fn) {
    parsePath(expression);
    const evaluate = fhirpath.compile(expression, models[version], { resolveInternalTypes: true });
    fn = (resource) => evaluate(resource as never) as unknown[];
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * Evaluates an expression against a resource and returns its values as plain JSON values. The
 * expression is compiled once per version. Throws FhirPathSyntaxError for an expression that does
 * not parse; evaluation errors (e.g. a function applied to many items) are thrown as they are.
 */
export function evaluatePath(resource: unknown, expression: string, version: FhirVersion): unknown[] {
  return compiledFor(expression, version)(resource);
}

/**
 * True when the expression yields a value: at least one item that is not null, an empty string or an
 * empty object. A single boolean result is taken as the answer, so `name.where(use='official').exists()`
 * works as a condition; test a boolean element's presence with `active.exists()`.
 */
export function hasValue(resource: unknown, expression: string, version: FhirVersion): boolean {
  const values = evaluatePath(resource, expression, version);
  if (values.length === 1 && typeof values[0] === 'boolean') return values[0];
  return values.some(
    (v) =>
      v !== null && v !== '' && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
  );
}

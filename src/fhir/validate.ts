/**
 * Structural validation of FHIR DSTU2 and STU3 JSON resources: known elements only, right types and
 * cardinality, primitive formats, one value per `[x]` choice, required bindings, and nothing empty
 * (no `""`, `[]` or `{}`: FHIR JSON leaves an element out instead, ele-1). The validators are
 * ajv standalone modules generated at build time by scripts/gen-fhir-schemas.ts, several MB each:
 * `loadValidator` imports one when a version is first needed, so a run parses only its own.
 */
import type { FhirVersion } from '../core/fhir-version.js';
import type { ValidationError, Validator } from './generated/dstu2.validator.js';
import { resourceTypes as dstu2Types } from './generated/dstu2.resource-types.js';
import { resourceTypes as stu3Types } from './generated/stu3.resource-types.js';

export type { FhirVersion };

export interface ValidationIssue {
  /** FHIR-style path, e.g. `Patient.name[0].family` or `Bundle.entry[3].resource.gender`. */
  path: string;
  /** What was expected, e.g. `expected one of male, female, other, unknown but got "M"`. */
  message: string;
}

const resourceTypes: Record<FhirVersion, readonly string[]> = { dstu2: dstu2Types, stu3: stu3Types };

const modules: Record<FhirVersion, () => Promise<{ validate: Validator }>> = {
  dstu2: () => import('./generated/dstu2.validator.js'),
  stu3: () => import('./generated/stu3.validator.js'),
};
const loading: Partial<Record<FhirVersion, Promise<void>>> = {};
const validators: Partial<Record<FhirVersion, Validator>> = {};

/**
 * Imports the version's validator, once (about 0.1 s); every validating function below needs it
 * loaded first. Called where a version becomes known: the run's FHIR version, the `validate` command.
 */
export function loadValidator(version: FhirVersion): Promise<void> {
  loading[version] ??= modules[version]().then((m) => {
    validators[version] = m.validate;
  });
  return loading[version];
}

/** Whether `loadValidator(version)` has finished, so that the version can be validated now. */
export function isValidatorLoaded(version: FhirVersion): boolean {
  return validators[version] !== undefined;
}

function validatorFor(version: FhirVersion): Validator {
  const validate = validators[version];
  if (!validate) throw new Error(`the ${version} validator is not loaded: await loadValidator first`);
  return validate;
}

/** The resource types the version defines. */
export function resourceTypesOf(version: FhirVersion): readonly string[] {
  return resourceTypes[version];
}

/**
 * Runs the validator. Elements that may nest themselves (extension, Questionnaire.item, contained
 * Bundles) are validated by recursion, so a partner's resource nested thousands of levels deep can
 * exhaust the stack: that is an answer about the resource (it cannot be validated), not a crash.
 */
function run(validate: Validator, resource: unknown): boolean | 'too-deep' {
  try {
    return validate(resource);
  } catch (err) {
    if (err instanceof RangeError) return 'too-deep';
    throw err;
  }
}

/** True when the resource is structurally valid; cheaper than `validateResource` for valid input. */
export function isValidResource(resource: unknown, version: FhirVersion): boolean {
  return run(validatorFor(version), resource) === true;
}

/**
 * Validates one resource (a Bundle's entries are validated for their own types) and returns one
 * issue per problem, or an empty array when the resource is valid.
 */
export function validateResource(resource: unknown, version: FhirVersion): ValidationIssue[] {
  const validate = validatorFor(version);
  const valid = run(validate, resource);
  if (valid === true) return [];
  if (valid === 'too-deep') {
    return [{ path: fhirPath(resource, []), message: 'nests too deeply to be validated' }];
  }
  const errors = validate.errors ?? [];
  // `if` and `oneOf` wrap an inner error that is already reported, and say less than it does.
  // A missing resourceType is reported once, by `required`.
  const specific = errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      e.keyword !== 'oneOf' &&
      !(e.keyword === 'discriminator' && e.params.error === 'tag' && e.params.tagValue === undefined),
  );
  const issues = (specific.length > 0 ? specific : errors).map((e) => toIssue(resource, e));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const EMPTY_STRING = 'an empty string: FHIR JSON has no "", the element is left out instead';
const EMPTY_OBJECT = 'an empty object: an element has a value or children (ele-1), or is left out';

const versionOnlyTypes: Record<FhirVersion, Set<string>> = {
  dstu2: new Set(dstu2Types.filter((t) => !stu3Types.includes(t))),
  stu3: new Set(stu3Types.filter((t) => !dstu2Types.includes(t))),
};

/** The version a resource type, or any resource inside a Bundle, belongs to only. */
function versionByType(resource: unknown, depth = 0): FhirVersion | null {
  if (!isObject(resource) || typeof resource.resourceType !== 'string' || depth > 4) return null;
  for (const v of ['dstu2', 'stu3'] as const) if (versionOnlyTypes[v].has(resource.resourceType)) return v;
  const nested: unknown[] = [];
  if (Array.isArray(resource.entry)) for (const e of resource.entry) if (isObject(e)) nested.push(e.resource);
  if (Array.isArray(resource.contained)) nested.push(...resource.contained);
  for (const r of nested) {
    const v = versionByType(r, depth + 1);
    if (v) return v;
  }
  return null;
}

/**
 * The FHIR versions a resource can be: the one its type belongs to only (MedicationOrder and
 * Conformance are DSTU2, MedicationRequest and CapabilityStatement STU3), also inside a Bundle;
 * otherwise every version whose structure accepts it. Many resources are valid in both (an
 * Observation of a glucose value reads the same in DSTU2 and STU3): then both are returned, since
 * nothing in the resource says which one its author meant. Needs both validators loaded.
 */
export function acceptingVersions(resource: unknown): FhirVersion[] {
  const byType = versionByType(resource);
  if (byType) return [byType];
  if (!isObject(resource) || typeof resource.resourceType !== 'string') return [];
  return (['dstu2', 'stu3'] as const).filter((v) => isValidResource(resource, v));
}

/** The one FHIR version a resource belongs to; null when no version accepts it, or both do. */
export function guessVersion(resource: unknown): FhirVersion | null {
  const versions = acceptingVersions(resource);
  return versions.length === 1 ? versions[0]! : null;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fhirPath(resource: unknown, segments: string[]): string {
  const root =
    isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
  let path = root;
  for (const s of segments) path += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  return path;
}

function valueAt(resource: unknown, segments: string[]): unknown {
  let node = resource;
  for (const s of segments) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = node[s];
    else return undefined;
  }
  return node;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const typeNames: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

/** The FHIR datatype whose definition an error comes from: `#/definitions/date/pattern` → date. */
function datatypeOf(schemaPath: string): string | undefined {
  const m = /#\/definitions\/([a-zA-Z0-9]+?)(?:-or-null)?\/(?:pattern|minimum|maximum|type)$/.exec(
    schemaPath,
  );
  return m?.[1] && /^[a-z]/.test(m[1]) ? m[1] : undefined;
}

function toIssue(resource: unknown, e: ValidationError): ValidationIssue {
  const segments = pointerSegments(e.instancePath);
  const value = valueAt(resource, segments);
  const path = fhirPath(resource, segments);
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: `${path}.${String(p.additionalProperty)}`,
        message: `unknown element "${String(p.additionalProperty)}"`,
      };
    case 'required':
      // An object with a required element is not checked for emptiness apart: `{}` misses them all.
      if (isObject(value) && Object.keys(value).length === 0) return { path, message: EMPTY_OBJECT };
      return { path: `${path}.${String(p.missingProperty)}`, message: 'required element is missing' };
    case 'enum':
      // The schema leaves "" to the code list and the datatype patterns, which refuse it anyway.
      if (value === '') return { path, message: EMPTY_STRING };
      return {
        path,
        message: `expected one of ${(p.allowedValues as unknown[]).filter((v) => v !== null).join(', ')} but got ${describe(value)}`,
      };
    case 'const':
      return { path, message: `expected ${describe(p.allowedValue)} but got ${describe(value)}` };
    case 'pattern':
    case 'minimum':
    case 'maximum': {
      if (value === '') return { path, message: EMPTY_STRING };
      const type = datatypeOf(e.schemaPath);
      return {
        path,
        message: `${describe(value)} is not a valid ${type ?? `value (${e.message ?? e.keyword})`}`,
      };
    }
    case 'type': {
      const type = datatypeOf(e.schemaPath);
      const expected = String(p.type)
        .split(',')
        .filter((t) => t !== 'null')
        .map((t) => typeNames[t] ?? t)
        .join(' or ');
      const named = type && type !== p.type ? `${expected} (${type})` : expected;
      return { path, message: `expected ${named} but got ${describe(value)}` };
    }
    case 'fhirChoice': {
      // In the resource's own order, which is the order its author wrote them.
      const choices = String(p.choices).split(',');
      const present = isObject(value) ? Object.keys(value).filter((k) => choices.includes(k)) : choices;
      return {
        path: `${path}.${String(p.element)}`,
        message: `only one of ${present.join(', ')} may be present`,
      };
    }
    case 'discriminator':
      return p.error === 'mapping'
        ? { path, message: `unknown resourceType ${describe(p.tagValue)}` }
        : { path: `${path}.resourceType`, message: 'resourceType must be a string naming a resource type' };
    case 'minItems':
      return p.limit === 1
        ? { path, message: 'an empty array: FHIR JSON has no [], the element is left out instead' }
        : { path, message: `expected at least ${String(p.limit)} item(s)` };
    case 'minLength':
      return { path, message: EMPTY_STRING };
    case 'fhirNonEmpty':
      return { path, message: EMPTY_OBJECT };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

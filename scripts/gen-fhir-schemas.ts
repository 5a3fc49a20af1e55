/**
 * Generates the DSTU2 and STU3 structural validators into src/fhir/generated/: per version an ESM
 * module of ajv standalone code (`<v>.validator.js`, with its `.d.ts`; scripts/build.mjs copies it into
 * dist), the version's resource types (`<v>.resource-types.ts`) and the schema itself for reading.
 *
 * Source of truth for shapes: @types/fhir (r2.d.ts = DSTU2 1.0.2, r3.d.ts = STU3 3.0.1) run through
 * ts-json-schema-generator. The types lack what only the FHIR specification says, so a post-processing
 * step adds it, using fhirpath's per-version models (the FHIR type of every element path and every
 * choice element, for all resources) and the official primitive regexes:
 *  - the resource union becomes a `oneOf` with a `resourceType` discriminator (one bad field, one error);
 *  - primitive elements get their FHIR datatype (date, dateTime, instant, id, code, uri…) as a `$ref`
 *    to a definition holding the official regex, so an error names the datatype;
 *  - `[x]` choice elements may appear at most once (`fhirChoice` keyword);
 *  - DSTU2's `fhir_comments` is allowed on every object; arrays of primitives may hold `null` where an
 *    `_element` sibling carries the extension;
 *  - nothing is empty: FHIR JSON has no `""`, no `[]` and no `{}` (an element is left out instead;
 *    invariant ele-1), so arrays get `minItems`, strings that no code list or pattern already refuses
 *    get `minLength`, and objects without a required element get `fhirNonEmpty`.
 * ajv standalone code loads in tens of milliseconds, against about a second to compile the schema.
 * Skips itself when the output is newer than its inputs.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeywordCxt, KeywordDefinition } from 'ajv';
import type { Code, _ as codegenTag } from 'ajv/dist/compile/codegen/index.js';

type Json = Record<string, unknown>;
interface SchemaNode extends Json {
  type?: string | string[];
  minLength?: number;
  minItems?: number;
  fhirNonEmpty?: boolean;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  required?: string[];
}
type FhirVersion = 'dstu2' | 'stu3';
interface ChoiceGroup {
  element: string;
  choices: string[];
}
interface FhirModel {
  path2Type: Record<string, string | { code: string }>;
  choiceTypePaths: Record<string, string[]>;
  pathsDefinedElsewhere: Record<string, string>;
  type2Parent: Record<string, string>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'src', 'fhir', 'generated');
const require = createRequire(import.meta.url);
const dtsOf: Record<FhirVersion, string> = {
  dstu2: join(root, 'node_modules/@types/fhir/r2.d.ts'),
  stu3: join(root, 'node_modules/@types/fhir/r3.d.ts'),
};
const modelFiles = ['path2Type', 'choiceTypePaths', 'pathsDefinedElsewhere', 'type2Parent'] as const;
const modelPath = (v: FhirVersion, file: string): string =>
  require.resolve(`fhirpath/fhir-context/${v}/${file}.json`);

/**
 * Official regexes, copied from the `structuredefinition-regex` extensions of the datatype
 * StructureDefinitions (DSTU2 profiles-types.json 1.0.2, STU3 Bundle-types.json 3.0.1). `instant` and
 * `uri` carry none there; theirs are the datatype definitions of the same specification pages.
 */
const dateTimeRe =
  '-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?';
const dstu2Patterns: Record<string, string> = {
  date: '-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?',
  dateTime: dateTimeRe,
  instant:
    '-?[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
  time: '([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?',
  id: '[A-Za-z0-9\\-\\.]{1,64}',
  code: '[^\\s]+([\\s][^\\s]+)*',
  oid: 'urn:oid:(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*',
  uuid: 'urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  uri: '\\S*',
};
const stringPatterns: Record<FhirVersion, Record<string, string>> = {
  dstu2: dstu2Patterns,
  // STU3 changed only code: the inner whitespace became optional.
  stu3: { ...dstu2Patterns, code: '[^\\s]+([\\s]?[^\\s]+)*' },
};
const integerBounds: Record<string, { minimum: number; maximum: number }> = {
  integer: { minimum: -2147483648, maximum: 2147483647 },
  unsignedInt: { minimum: 0, maximum: 2147483647 },
  positiveInt: { minimum: 1, maximum: 2147483647 },
};
const primitiveTypes = new Set([
  'boolean',
  'integer',
  'string',
  'decimal',
  'uri',
  'base64Binary',
  'instant',
  'date',
  'dateTime',
  'time',
  'code',
  'oid',
  'id',
  'markdown',
  'unsignedInt',
  'positiveInt',
  'uuid',
  'xhtml',
]);

/**
 * Required bindings the types leave as plain strings, with the codes of their (small) value sets.
 * Most required bindings (Patient.gender, Encounter.status, Bundle.type…) already arrive as enums.
 */
const issueTypeCodes = [
  'invalid',
  'structure',
  'required',
  'value',
  'invariant',
  'security',
  'login',
  'unknown',
  'expired',
  'forbidden',
  'suppressed',
  'processing',
  'not-supported',
  'duplicate',
  'not-found',
  'too-long',
  'code-invalid',
  'extension',
  'too-costly',
  'business-rule',
  'conflict',
  'incomplete',
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'throttled',
  'informational',
];
const extraBindings: Record<FhirVersion, Record<string, string[]>> = {
  dstu2: { 'OperationOutcome.issue.code': issueTypeCodes },
  stu3: { 'OperationOutcome.issue.code': issueTypeCodes },
};

/** `fhirChoice: {element, choices}` on an object: at most one of the choices may be present. */
function fhirChoiceKeyword(_: typeof codegenTag): KeywordDefinition {
  return {
    keyword: 'fhirChoice',
    type: 'object',
    schemaType: 'object',
    error: {
      message: 'must hold at most one of the choice elements',
      params: ({ schema }) => {
        const { element, choices } = schema as ChoiceGroup;
        return _`{element: ${element}, choices: ${choices.join(',')}}`;
      },
    },
    code(cxt: KeywordCxt) {
      const props = (cxt.schema as ChoiceGroup).choices;
      const count = props
        .map((p): Code => _`(${cxt.data}[${p}] !== undefined)`)
        .reduce((a, b) => _`${a} + ${b}`);
      cxt.fail(_`${count} > 1`);
    },
  };
}

/**
 * `fhirNonEmpty: true` on an object: it holds at least one property. The same as `minProperties: 1`,
 * whose code lists every key with Object.keys on every object of every resource; stopping at the
 * first key costs a fraction of that.
 */
function fhirNonEmptyKeyword(_: typeof codegenTag): KeywordDefinition {
  return {
    keyword: 'fhirNonEmpty',
    type: 'object',
    schemaType: 'boolean',
    error: { message: 'must not be an empty object' },
    code(cxt: KeywordCxt) {
      if (cxt.schema !== true) return;
      const { gen, data } = cxt;
      const empty = gen.let('empty', _`true`);
      gen.forIn('key', data, () => {
        gen.assign(empty, _`false`);
        gen.break();
      });
      cxt.fail(empty);
    },
  };
}

function newestInput(v: FhirVersion): number {
  const files = [fileURLToPath(import.meta.url), dtsOf[v], ...modelFiles.map((f) => modelPath(v, f))];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function outputsOf(v: FhirVersion): string[] {
  return ['schema.json', 'validator.js', 'validator.d.ts', 'resource-types.ts'].map((f) =>
    join(outDir, `${v}.${f}`),
  );
}

function isCurrent(v: FhirVersion): boolean {
  const outs = outputsOf(v);
  if (!outs.every((f) => existsSync(f))) return false;
  const input = newestInput(v);
  return outs.every((f) => statSync(f).mtimeMs > input);
}

/** Whether a FHIR regex already refuses "" (uri's `\S*` does not). */
function refusesEmpty(pattern: string | undefined): boolean {
  return pattern !== undefined && !new RegExp(anchored(pattern)).test('');
}

/** Anchors a FHIR regex for JSON Schema; non-capturing groups keep V8's matcher fast. */
function anchored(pattern: string): string {
  const body = pattern.replace(/(?<!\\)\((?!\?)/g, '(?:');
  return `^(?:${body})$`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function refName(ref: string): string {
  return decodeURIComponent(ref.replace('#/definitions/', ''));
}

async function generateRaw(v: FhirVersion): Promise<{ definitions: Record<string, SchemaNode> }> {
  const { createGenerator } = await import('ts-json-schema-generator');
  const tsconfig = join(outDir, `.tsconfig.${v}.json`);
  // Only this version's d.ts and no ambient types: otherwise the R5 declarations win silently.
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: { types: [], strict: true, skipLibCheck: true, noEmit: true },
      files: [dtsOf[v]],
    }),
  );
  const schema = createGenerator({
    path: dtsOf[v],
    tsconfig,
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'none',
    skipTypeCheck: true,
  }).createSchema('*');
  return schema as unknown as { definitions: Record<string, SchemaNode> };
}

function postProcess(v: FhirVersion, raw: { definitions: Record<string, SchemaNode> }): Json {
  const model = Object.fromEntries(
    modelFiles.map((f) => [f, require(modelPath(v, f))]),
  ) as unknown as FhirModel;
  // Generic names such as `BundleEntry<FhirResource>` become plain ones.
  const renamed = new Map<string, string>();
  for (const name of Object.keys(raw.definitions)) {
    if (name.includes('<')) renamed.set(name, name.slice(0, name.indexOf('<')));
  }
  const text = JSON.stringify(raw.definitions).replace(/#\/definitions\/([^"]+)/g, (_m, ref: string) => {
    const name = decodeURIComponent(ref);
    return `#/definitions/${renamed.get(name) ?? name}`;
  });
  const parsed = JSON.parse(text) as Record<string, SchemaNode>;
  const defs: Record<string, SchemaNode> = {};
  for (const [name, def] of Object.entries(parsed)) defs[renamed.get(name) ?? name] = def;

  const typeCode = (t: string | { code: string } | undefined): string | undefined =>
    typeof t === 'string' ? t : t?.code;
  const remap = (path: string): string => model.pathsDefinedElsewhere[path] ?? path;

  interface Resolved {
    type: string;
    elementPath: string;
    choiceBase?: string;
  }
  const resolve = (path: string, prop: string): Resolved | undefined => {
    const candidates = [path];
    // A datatype inherits its parent's elements (Age → Quantity); any element inherits Element's.
    for (let t = path; model.type2Parent[t] && !path.includes('.');) {
      t = model.type2Parent[t] as string;
      candidates.push(t);
    }
    candidates.push('Element', 'BackboneElement', 'DomainResource', 'Resource');
    for (const base of candidates) {
      for (let i = prop.length - 1; i > 0; i--) {
        const suffix = prop.slice(i);
        if (suffix.charAt(0) !== suffix.charAt(0).toUpperCase()) continue;
        const choiceBase = prop.slice(0, i);
        const choices = model.choiceTypePaths[`${base}.${choiceBase}`];
        if (choices?.includes(suffix)) {
          const low = lowerFirst(suffix);
          return {
            type: primitiveTypes.has(low) ? low : suffix,
            elementPath: `${base}.${prop}`,
            choiceBase,
          };
        }
      }
      const elementPath = remap(`${base}.${prop}`);
      const t = typeCode(model.path2Type[elementPath]);
      if (t) return { type: t, elementPath };
    }
    return undefined;
  };

  const primitiveRef = (type: string, nullable: boolean): SchemaNode => ({
    $ref: `#/definitions/${nullable ? `${type}-or-null` : type}`,
  });
  const primitivesUsed = new Set<string>();
  const unresolved: string[] = [];
  const visited = new Set<string>();
  let choiceGroups = 0;

  const applyPrimitive = (node: SchemaNode, type: string, nullable: boolean): SchemaNode => {
    // A code list or a pattern already refuses "" (src/fhir/validate.ts reports it as empty); other
    // strings need minLength, and only they get it: each keyword is code in the hottest paths.
    if (node.enum) return nullable ? { ...node, type: ['string', 'null'], enum: [...node.enum, null] } : node;
    if (node.type === 'string' && !refusesEmpty(stringPatterns[v][type])) node.minLength = 1;
    if (type === 'boolean' && node.type === 'boolean') return nullable ? { type: ['boolean', 'null'] } : node;
    if (type === 'decimal' && node.type === 'number') return nullable ? { type: ['number', 'null'] } : node;
    if (integerBounds[type] && node.type === 'number') {
      primitivesUsed.add(type);
      return primitiveRef(type, nullable);
    }
    if (node.type === 'string' && (stringPatterns[v][type] || nullable)) {
      primitivesUsed.add(type);
      return primitiveRef(type, nullable);
    }
    return node;
  };

  const walk = (defName: string, path: string): void => {
    if (visited.has(defName)) return;
    visited.add(defName);
    const def = defs[defName];
    if (!def?.properties) return;
    const props = def.properties;
    const groups = new Map<string, string[]>();
    for (const [prop, node] of Object.entries(props)) {
      if (prop.startsWith('_') || prop === 'resourceType' || prop === 'fhirComments') continue;
      const r = resolve(path, prop);
      if (!r) {
        unresolved.push(`${defName}.${prop} (${path})`);
        continue;
      }
      if (r.choiceBase !== undefined) {
        groups.set(r.choiceBase, [...(groups.get(r.choiceBase) ?? []), prop]);
      }
      const isArray = node.type === 'array' && node.items !== undefined;
      const target = isArray ? (node.items as SchemaNode) : node;
      const binding = extraBindings[v][r.elementPath];
      if (binding && target.type === 'string' && !target.enum) target.enum = binding;
      if (primitiveTypes.has(r.type)) {
        // The types declare `_prop` for string-like primitives only; FHIR JSON allows it for all.
        if (!(`_${prop}` in props) && r.type !== 'xhtml') {
          const element: SchemaNode = { $ref: '#/definitions/Element' };
          props[`_${prop}`] = isArray ? { type: 'array', items: element } : element;
        }
        // An array of primitives may hold null where `_prop` carries that item's extensions.
        const nullable = isArray;
        if (isArray) node.items = applyPrimitive(target, r.type, nullable);
        else props[prop] = applyPrimitive(target, r.type, false);
        continue;
      }
      if (r.type === 'Resource' || !target.$ref) continue;
      const child = refName(target.$ref);
      const backbone = r.type === 'BackboneElement' || r.type === 'Element';
      walk(child, backbone ? r.elementPath : r.type);
    }
    for (const [prop, node] of Object.entries(props)) {
      if (!prop.startsWith('_') || node.type !== 'array' || !node.items) continue;
      node.items = { if: { type: 'null' }, else: node.items };
    }
    const choices = [...groups]
      .filter(([, g]) => g.length > 1)
      .map(([element, g]): ChoiceGroup => ({ element: `${element}[x]`, choices: g }));
    choiceGroups += choices.length;
    if (choices.length === 1) def.fhirChoice = choices[0];
    else if (choices.length > 1) def.allOf = choices.map((g) => ({ fhirChoice: g }));
  };

  const union = defs.FhirResource;
  const members = (union?.anyOf ?? []).map((m) => refName(m.$ref ?? ''));
  if (!union || members.length < 50) throw new Error(`${v}: no FhirResource union in the generated schema`);
  for (const name of members) walk(name, name);
  // Datatypes no resource reaches (rare) still get their primitives.
  for (const name of Object.keys(defs)) if (model.path2Type[`${name}.extension`]) walk(name, name);

  for (const def of Object.values(defs)) {
    if (!def.properties) continue;
    delete def.properties.fhirComments;
    delete def.properties._fhirComments;
    // DSTU2 JSON carries XML comments as `fhir_comments` on any object, `_element` ones included.
    if (v === 'dstu2') def.properties.fhir_comments = { type: 'array', items: { type: 'string' } };
    // An element is present with content or absent (ele-1): `{}` and `[]` are never FHIR JSON. The
    // `_element` of a primitive with only an extension is not empty, and null placeholders in `_x`
    // arrays are items, so neither is touched by these.
    // A required element already makes the object non-empty (every resource, for its resourceType).
    if (!def.required?.length) def.fhirNonEmpty = true;
    for (const node of Object.values(def.properties)) if (node.type === 'array') node.minItems = 1;
  }

  defs.FhirResource = {
    type: 'object',
    discriminator: { propertyName: 'resourceType' },
    required: ['resourceType'],
    oneOf: members.map((m) => ({ $ref: `#/definitions/${m}` })),
  };
  for (const type of primitivesUsed) {
    const pattern = stringPatterns[v][type];
    const bounds = integerBounds[type];
    const base: SchemaNode = bounds
      ? { type: 'integer', ...bounds }
      : pattern
        ? { type: 'string', ...(refusesEmpty(pattern) ? {} : { minLength: 1 }), pattern: anchored(pattern) }
        : { type: 'string', minLength: 1 };
    defs[type] = base;
    defs[`${type}-or-null`] = { ...base, type: [base.type as string, 'null'] };
  }
  console.log(
    `gen-fhir-schemas: ${v}: ${members.length} resources, ${Object.keys(defs).length} definitions, ` +
      `${choiceGroups} choice groups, primitives ${[...primitivesUsed].sort().join(' ')}; ` +
      `${unresolved.length} properties without a FHIR type${unresolved.length ? `: ${unresolved.slice(0, 8).join(', ')}` : ''}`,
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: `FHIR ${v} structure, generated by scripts/gen-fhir-schemas.ts from @types/fhir; do not edit`,
    $ref: '#/definitions/FhirResource',
    definitions: defs,
  };
}

/**
 * ajv's standalone code adds a called validator's errors with `vErrors = vErrors.concat(…)`, which
 * copies every error found so far at each call. A Bundle whose entries each have an error (any Bundle
 * validated against the wrong version) then takes quadratic time: 200 000 entries took 90 s. Appending
 * in place gives the same errors in the same order in linear time.
 */
export function appendErrorsInPlace(code: string): string {
  const concat = /vErrors = vErrors === null \? ([\w$.]+)\.errors : vErrors\.concat\(\1\.errors\);/g;
  let replaced = 0;
  const out = code.replace(concat, (_m, fn: string) => {
    replaced += 1;
    return `if (vErrors === null) vErrors = ${fn}.errors; else for (const e of ${fn}.errors) vErrors.push(e);`;
  });
  // A new ajv may write it differently: stop rather than ship a validator that is quadratic again.
  if (replaced === 0 || out.includes('.concat(')) {
    throw new Error(
      `gen-fhir-schemas: ajv's error concatenation changed (${replaced} replaced); update appendErrorsInPlace`,
    );
  }
  return out;
}

const ajvOptions = {
  discriminator: true,
  allErrors: true,
  strict: false,
  // `minLength: 1` only tells "" apart; counting code points would need ajv's runtime in the
  // standalone code, which must have no imports: it is shipped as it is, beside the compiled program.
  unicode: false,
  // ajv calls that option deprecated, and says so on every build; its other warnings still show.
  logger: {
    log: console.log,
    warn: (...args: unknown[]) => {
      if (!/option unicode/.test(String(args[0]))) console.warn(...args);
    },
    error: console.error,
  },
  code: { source: true, optimize: true, esm: true },
} as const;

/** The types of what the validator module exports, for src/fhir/validate.ts. */
function validatorDeclarations(banner: string): string {
  return [
    banner,
    'export interface ValidationError {',
    '  instancePath: string;',
    '  schemaPath: string;',
    '  keyword: string;',
    '  params: Record<string, unknown>;',
    '  message?: string;',
    '}',
    'export interface Validator {',
    '  (data: unknown): boolean;',
    '  errors?: ValidationError[] | null;',
    '}',
    'export declare const validate: Validator;',
    'export default validate;',
    '',
  ].join('\n');
}

async function generate(v: FhirVersion): Promise<void> {
  // Loaded here, not at the top, so that the up-to-date check stays quick for `npm test`.
  const { default: Ajv } = await import('ajv');
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const { _ } = await import('ajv/dist/compile/codegen/index.js');
  const started = performance.now();
  const schema = postProcess(v, await generateRaw(v));
  const ajv = new Ajv.default(ajvOptions);
  ajv.addKeyword(fhirChoiceKeyword(_));
  ajv.addKeyword(fhirNonEmptyKeyword(_));
  const validate = ajv.compile(schema);
  const code = appendErrorsInPlace(standaloneCode.default(ajv, validate));
  // ajv refers to its runtime with require(), in ES module output too.
  if (/\brequire\(/.test(code)) throw new Error(`${v}: the standalone validator needs a runtime module`);
  const resourceTypes = (
    (schema.definitions as Record<string, SchemaNode>).FhirResource?.oneOf as SchemaNode[]
  )
    .map((m) => refName(m.$ref ?? ''))
    .sort();
  const banner = `// FHIR ${v} structural validator, generated by scripts/gen-fhir-schemas.ts from @types/fhir. Do not edit.`;
  writeFileSync(join(outDir, `${v}.schema.json`), JSON.stringify(schema, null, 1) + '\n');
  writeFileSync(join(outDir, `${v}.validator.js`), `${banner}\n${code}\n`);
  writeFileSync(join(outDir, `${v}.validator.d.ts`), validatorDeclarations(banner));
  writeFileSync(
    join(outDir, `${v}.resource-types.ts`),
    [
      `// The FHIR ${v} resource types, generated by scripts/gen-fhir-schemas.ts from @types/fhir. Do not edit.`,
      `export const resourceTypes: readonly string[] = ${JSON.stringify(resourceTypes)};`,
      '',
    ].join('\n'),
  );
  // Before validators were modules, the code shipped in a .ts file of this name: it would shadow
  // the module's declarations.
  rmSync(join(outDir, `${v}.validator.ts`), { force: true });
  console.log(
    `gen-fhir-schemas: ${v}: wrote ${Math.round(code.length / 1024)} KiB in ${Math.round(performance.now() - started)} ms`,
  );
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const force = process.argv.includes('--force');
  for (const v of ['dstu2', 'stu3'] as const) {
    if (!force && isCurrent(v)) continue;
    await generate(v);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

/**
 * A small structural checker driven by the FHIR StructureDefinitions in ../shared: known elements
 * only, array versus single cardinality, required elements, choice types and primitive formats. It is
 * the reference partner's own proof of RES-VAL-1, independent of the harness's validator.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared.js';

export const DEFINITIONS_DIR = process.env.FHIR_DEFINITIONS_DIR ?? sharedPath('fhir-definitions');
export const definitionsPresent = existsSync(
  join(DEFINITIONS_DIR, 'stu3', 'StructureDefinition-Patient.json'),
);

interface TypeRef {
  code: string;
}

interface ElementDef {
  path: string;
  min: number;
  max: string;
  type?: TypeRef[];
  contentReference?: string;
  nameReference?: string;
}

interface StructureDefinition {
  id: string;
  snapshot: { element: ElementDef[] };
}

const PRIMITIVE: Record<string, RegExp | 'number' | 'boolean'> = {
  boolean: 'boolean',
  integer: 'number',
  positiveInt: 'number',
  unsignedInt: 'number',
  decimal: 'number',
  date: /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?$/,
  dateTime:
    /^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  instant:
    /^[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/,
  code: /^[^\s]+(\s[^\s]+)*$/,
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  string: /^[\s\S]+$/,
  uri: /^\S*$/,
  markdown: /^[\s\S]+$/,
  xhtml: /^<div[\s\S]*<\/div>$/,
  oid: /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/,
  base64Binary: /^[A-Za-z0-9+/=\s]*$/,
  time: /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/,
  uuid: /^urn:uuid:[0-9a-f-]{36}$/,
};

export class StructureChecker {
  private readonly defs = new Map<string, Map<string, ElementDef>>();

  constructor(readonly version: 'dstu2' | 'stu3') {
    const dir = join(DEFINITIONS_DIR, version);
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        resourceType: string;
        entry?: Array<{ resource: StructureDefinition & { resourceType: string; kind?: string } }>;
      } & StructureDefinition;
      if (json.resourceType === 'Bundle') {
        for (const e of json.entry ?? [])
          if (e.resource.resourceType === 'StructureDefinition') this.add(e.resource);
      } else if (
        json.resourceType === 'StructureDefinition' &&
        file.startsWith('StructureDefinition-') &&
        /^[A-Z]/.test(json.id)
      ) {
        this.add(json);
      }
    }
  }

  private add(sd: StructureDefinition): void {
    if (!sd.snapshot) return;
    const root = sd.snapshot.element[0]?.path;
    if (!root || this.defs.has(root)) return;
    this.defs.set(root, new Map(sd.snapshot.element.map((e) => [e.path, e])));
  }

  knows(type: string): boolean {
    return this.defs.has(type);
  }

  check(resource: unknown): string[] {
    const issues: string[] = [];
    const type = (resource as { resourceType?: unknown }).resourceType;
    if (typeof type !== 'string' || !this.defs.has(type)) return [`unknown resourceType ${String(type)}`];
    this.walk(resource as Record<string, unknown>, type, type, type, issues);
    return issues;
  }

  private walk(
    obj: Record<string, unknown>,
    defRoot: string,
    path: string,
    where: string,
    issues: string[],
  ): void {
    const defs = this.defs.get(defRoot);
    if (!defs) {
      issues.push(`${where}: no definition for ${defRoot}`);
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      issues.push(`${where}: expected an object`);
      return;
    }
    const children = [...defs.values()].filter(
      (d) => d.path.startsWith(`${path}.`) && !d.path.slice(path.length + 1).includes('.'),
    );
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'resourceType' && path === defRoot) continue;
      if (key.startsWith('_') || key === 'fhir_comments') continue;
      let def = defs.get(`${path}.${key}`);
      let chosen: string | undefined;
      if (!def) {
        for (const c of children) {
          if (!c.path.endsWith('[x]')) continue;
          const stem = c.path.slice(path.length + 1, -3);
          const t = (c.type ?? []).find(
            (t) => key === stem + t.code.charAt(0).toUpperCase() + t.code.slice(1),
          );
          if (t) {
            def = c;
            chosen = t.code;
          }
        }
      }
      if (!def) {
        issues.push(`${where}.${key}: unknown element`);
        continue;
      }
      const many = def.max !== '1' && def.max !== '0';
      if (many !== Array.isArray(value)) {
        issues.push(`${where}.${key}: ${many ? 'must be an array' : 'must not be an array'}`);
        continue;
      }
      const items = Array.isArray(value) ? value : [value];
      if (def.max !== '*' && items.length > Number(def.max))
        issues.push(`${where}.${key}: more than ${def.max}`);
      const typeCode = chosen ?? def.type?.[0]?.code;
      items.forEach((item, i) => {
        const at = `${where}.${key}${Array.isArray(value) ? `[${i}]` : ''}`;
        if (def.contentReference || def.nameReference) return;
        if (typeCode === undefined) return;
        this.checkValue(item, typeCode, def, at, issues);
      });
    }
    for (const c of children) {
      if (c.min < 1) continue;
      const name = c.path.slice(path.length + 1);
      const present = name.endsWith('[x]')
        ? Object.keys(obj).some((k) => k.startsWith(name.slice(0, -3)))
        : obj[name] !== undefined;
      if (!present) issues.push(`${where}.${name}: required element missing`);
    }
  }

  private checkValue(item: unknown, typeCode: string, def: ElementDef, at: string, issues: string[]): void {
    const primitive = PRIMITIVE[typeCode];
    if (primitive !== undefined) {
      if (primitive === 'number' || primitive === 'boolean') {
        if (typeof item !== primitive) issues.push(`${at}: expected a ${typeCode}`);
        else if (typeCode === 'positiveInt' && (item as number) < 1) issues.push(`${at}: must be ≥ 1`);
      } else if (typeof item !== 'string' || !primitive.test(item)) {
        issues.push(`${at}: ${JSON.stringify(item)?.slice(0, 60)} is not a valid ${typeCode}`);
      }
      return;
    }
    if (typeCode === 'BackboneElement' || typeCode === 'Element') {
      const root = def.path.split('.')[0] ?? '';
      this.walk(item as Record<string, unknown>, root, def.path, at, issues);
      return;
    }
    if (typeCode === 'Resource' || typeCode === 'DomainResource') {
      const nested = this.check(item);
      issues.push(...nested.map((n) => `${at}: ${n}`));
      return;
    }
    if (!this.defs.has(typeCode)) {
      issues.push(`${at}: no definition for type ${typeCode}`);
      return;
    }
    this.walk(item as Record<string, unknown>, typeCode, typeCode, at, issues);
  }
}

/** Required bindings this checker knows the codes of (the ones the app depends on). */
export function bindingIssues(resource: Record<string, unknown>): string[] {
  const gender = resource.gender;
  if (gender !== undefined && !['male', 'female', 'other', 'unknown'].includes(String(gender))) {
    return [`gender ${String(gender)} is not in the administrative-gender value set`];
  }
  return [];
}

export function isDirectory(path: string): boolean {
  return existsSync(path);
}

/**
 * FHIR JSON has no empty values: no `""`, no `[]`, no `{}` (an element is left out instead; invariant
 * ele-1). Each case here injects one empty value into a valid resource and expects exactly one issue,
 * at the path of the empty element. The legal forms that look empty-ish must still pass: a primitive
 * whose `_element` carries only an extension, and `null` placeholders aligned in `_x` arrays.
 *
 * Runs on the project's own fixtures (always) and on the official HL7 examples in
 * ../shared/fhir-examples (skipped, saying so, when absent).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { loadValidator, validateResource } from '../../src/fhir/validate.js';
import { sharedPath, sharedTitle } from '../helpers/shared.js';

type Json = Record<string, unknown>;
type Kind = 'string' | 'array' | 'object' | 'array of {}';

const MESSAGES: Record<Kind, string> = {
  string: 'an empty string: FHIR JSON has no "", the element is left out instead',
  array: 'an empty array: FHIR JSON has no [], the element is left out instead',
  object: 'an empty object: an element has a value or children (ele-1), or is left out',
  'array of {}': 'an empty object: an element has a value or children (ele-1), or is left out',
};

/** One place an empty value can be injected: its holder, its key there, and the FHIR path it reports. */
interface Spot {
  kind: Kind;
  holder: Json | unknown[];
  key: string | number;
  path: string;
}

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every spot in a resource, in document order. Resources themselves are not emptied: `{}` is no resource. */
function spots(resource: Json): Spot[] {
  const out: Spot[] = [];
  const visit = (node: unknown, path: string, holder: Json | unknown[], key: string | number): void => {
    if (key === 'fhir_comments') return; // DSTU2's XML comments are not elements
    if (typeof node === 'string') {
      if (key !== 'resourceType') out.push({ kind: 'string', holder, key, path });
    } else if (Array.isArray(node)) {
      out.push({ kind: 'array', holder, key, path });
      if (node.some((item) => isObject(item) && item.resourceType === undefined)) {
        out.push({ kind: 'array of {}', holder, key, path: `${path}[0]` });
      }
      node.forEach((item, i) => visit(item, `${path}[${i}]`, node, i));
    } else if (isObject(node)) {
      if (node.resourceType === undefined) out.push({ kind: 'object', holder, key, path });
      for (const [k, v] of Object.entries(node)) visit(v, `${path}.${k}`, node, k);
    }
  };
  for (const [k, v] of Object.entries(resource))
    visit(v, `${String(resource.resourceType)}.${k}`, resource, k);
  return out;
}

const EMPTY: Record<Kind, () => unknown> = {
  string: () => '',
  array: () => [],
  object: () => ({}),
  'array of {}': () => [{}],
};

/** Injects the spot's empty value, validates, and puts the original back. */
function issuesWith(resource: Json, spot: Spot, version: FhirVersion) {
  const holder = spot.holder as Record<string | number, unknown>;
  const original = holder[spot.key];
  holder[spot.key] = EMPTY[spot.kind]();
  try {
    return validateResource(resource, version);
  } finally {
    holder[spot.key] = original;
  }
}

/** At most `n` spots of each kind, spread over the resource. */
function sample(all: Spot[], n: number): Spot[] {
  const byKind = new Map<Kind, Spot[]>();
  for (const s of all) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  return [...byKind.values()].flatMap((list) => {
    if (list.length <= n) return list;
    const step = list.length / n;
    return Array.from({ length: n }, (_, i) => list[Math.floor(i * step)]!);
  });
}

const EXTENSION = { extension: [{ url: 'http://example.org/fhir/data-absent', valueString: 'asked' }] };

/**
 * Legal forms that hold no value, built from a valid resource: each must stay valid. Answers the name
 * of each form applied, so a test can tell it tried them.
 */
function legalVariants(resource: Json): Array<{ form: string; resource: Json }> {
  const out: Array<{ form: string; resource: Json }> = [];
  // A primitive with an extension and no value: `_language` alone (every resource has language).
  const lang = structuredClone(resource);
  delete lang.language;
  lang._language = structuredClone(EXTENSION);
  out.push({ form: '_language without language', resource: lang });
  if (resource.resourceType === 'Patient' || resource.resourceType === 'Practitioner') {
    const birth = structuredClone(resource);
    delete birth.birthDate;
    birth._birthDate = structuredClone(EXTENSION);
    out.push({ form: '_birthDate without birthDate', resource: birth });
  }
  // null placeholders aligned with their extensions in `given` / `_given`.
  const named = structuredClone(resource);
  const names = Array.isArray(named.name) ? named.name : isObject(named.name) ? [named.name] : [];
  const name = names.find((n): n is Json => isObject(n) && Array.isArray(n.given));
  if (name) {
    const given = name.given as unknown[];
    name._given = [...given.map(() => null), structuredClone(EXTENSION)];
    name.given = [...given, null];
    out.push({ form: 'given with a null aligned to _given', resource: named });
  }
  return out;
}

function expectEmptinessFound(resource: Json, version: FhirVersion, picked: Spot[], label: string): void {
  for (const spot of picked) {
    expect(issuesWith(resource, spot, version), `${label}: ${spot.kind} at ${spot.path}`).toEqual([
      { path: spot.path, message: MESSAGES[spot.kind] },
    ]);
  }
}

function loadDir(dir: string): Array<{ file: string; resource: Json }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json }));
}

const VERSIONS: FhirVersion[] = ['dstu2', 'stu3'];
const fixtures = fileURLToPath(new URL('../fixtures/fhir/', import.meta.url));

beforeAll(() => Promise.all([loadValidator('dstu2'), loadValidator('stu3')]));

describe('no empty values (the project fixtures, every spot)', () => {
  it.each(VERSIONS)('an empty string, array or object anywhere is one issue at its path (%s)', (version) => {
    const counts: Record<Kind, number> = { string: 0, array: 0, object: 0, 'array of {}': 0 };
    for (const { file, resource } of loadDir(join(fixtures, version))) {
      expect(validateResource(resource, version), file).toEqual([]);
      const all = spots(resource);
      expectEmptinessFound(resource, version, all, file);
      for (const s of all) counts[s.kind] += 1;
    }
    // The fixtures hold a Patient, an Observation and a searchset Bundle: hundreds of spots.
    expect(counts.string).toBeGreaterThan(100);
    expect(counts.array).toBeGreaterThan(30);
    expect(counts.object).toBeGreaterThan(50);
    expect(counts['array of {}']).toBeGreaterThan(20);
  });

  it.each(VERSIONS)('the legal forms without a value still pass (%s)', (version) => {
    const forms = new Set<string>();
    for (const { file, resource } of loadDir(join(fixtures, version))) {
      for (const v of legalVariants(resource)) {
        expect(validateResource(v.resource, version), `${file}: ${v.form}`).toEqual([]);
        forms.add(v.form);
      }
    }
    expect([...forms].sort()).toEqual([
      '_birthDate without birthDate',
      '_language without language',
      'given with a null aligned to _given',
    ]);
  });

  it('names the exact element in the messages people read', () => {
    const patient = {
      resourceType: 'Patient',
      name: [{ given: ['Ada', ''] }],
      identifier: [{}],
      telecom: [],
      gender: '',
    };
    for (const version of VERSIONS) {
      const issues = validateResource(patient, version);
      expect(issues, version).toHaveLength(4);
      expect(issues, version).toEqual(
        expect.arrayContaining([
          { path: 'Patient.name[0].given[1]', message: MESSAGES.string },
          { path: 'Patient.identifier[0]', message: MESSAGES.object },
          { path: 'Patient.telecom', message: MESSAGES.array },
          // A coded "" is empty too, not a code outside the binding.
          { path: 'Patient.gender', message: MESSAGES.string },
        ]),
      );
    }
    // Elements with required parts (Extension.url, Narrative.status and div) are empty, not incomplete.
    for (const version of VERSIONS) {
      expect(
        validateResource({ resourceType: 'Patient', extension: [{}], text: {} }, version),
        version,
      ).toEqual([
        { path: 'Patient.extension[0]', message: MESSAGES.object },
        { path: 'Patient.text', message: MESSAGES.object },
      ]);
    }
    // An empty `_given` entry is not a placeholder: a placeholder is null.
    const placeholder = { resourceType: 'Patient', name: [{ given: ['A', null], _given: [null, {}] }] };
    expect(validateResource(placeholder, 'dstu2')).toEqual([
      { path: 'Patient.name[0]._given[1]', message: MESSAGES.object },
    ]);
  });
});

const examplesRoot = sharedPath('fhir-examples');
const present = VERSIONS.every((v) => existsSync(join(examplesRoot, v)));

describe.skipIf(!present)(
  sharedTitle('no empty values (official HL7 examples, mutated)', examplesRoot),
  () => {
    it.each(VERSIONS)('one empty value per spot is caught at its path, in every example (%s)', (version) => {
      let tried = 0;
      const examples = present ? loadDir(join(examplesRoot, version)) : [];
      for (const { file, resource } of examples) {
        // Only examples that are valid to begin with say anything about the mutation.
        if (validateResource(resource, version).length > 0) continue;
        const picked = sample(spots(resource), 4);
        expectEmptinessFound(resource, version, picked, file);
        tried += picked.length;
      }
      expect(examples.length).toBeGreaterThan(100);
      expect(tried).toBeGreaterThan(examples.length * 8);
    });

    it.each(VERSIONS)('no false positive on the legal forms without a value (%s)', (version) => {
      let tried = 0;
      for (const { file, resource } of present ? loadDir(join(examplesRoot, version)) : []) {
        if (validateResource(resource, version).length > 0) continue;
        for (const v of legalVariants(resource)) {
          expect(validateResource(v.resource, version), `${file}: ${v.form}`).toEqual([]);
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(150);
    });
  },
);

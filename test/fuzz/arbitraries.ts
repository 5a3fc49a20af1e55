/**
 * Shared fast-check settings and arbitraries for the fuzz tests. A fixed seed keeps CI deterministic;
 * `FHIR_CERTIFY_FUZZ_RUNS` (set by `npm run test:fuzz` to 20000) raises the number of runs.
 */
import fc from 'fast-check';
import { conformantCapability, type Capability } from '../helpers/capability.js';

export const SEED = 20260101;
export const RUNS = Number(process.env.FHIR_CERTIFY_FUZZ_RUNS ?? '') || 300;
/** For properties that go through a real socket and the engine: a tenth, at least 50. */
export const SOCKET_RUNS = Math.max(50, Math.floor(RUNS / 10));
/** Generous: the default is 5 s, and a 20000-run property on a 2-core machine needs minutes. */
export const TEST_TIMEOUT_MS = Math.max(60_000, RUNS * 30);

export const settings = (numRuns = RUNS) => ({ seed: SEED, numRuns });

/** 1 000 to 60 000 nested arrays: JSON.parse accepts them, JSON.stringify and String() overflow. */
export const deepArray: fc.Arbitrary<unknown> = fc
  .integer({ min: 1000, max: 60_000 })
  .map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown);

/** Values a hostile partner can put anywhere: any JSON, deep nesting, huge strings and numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: deepArray },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 1e-300) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
);

/** Places in a capability statement the META checks and the accessors read. */
const CAPABILITY_PATHS: string[][] = [
  [],
  ['resourceType'],
  ['fhirVersion'],
  ['format'],
  ['format', '0'],
  ['rest'],
  ['rest', '0'],
  ['rest', '0', 'mode'],
  ['rest', '0', 'security'],
  ['rest', '0', 'security', 'extension'],
  ['rest', '0', 'security', 'extension', '0'],
  ['rest', '0', 'security', 'extension', '0', 'url'],
  ['rest', '0', 'security', 'extension', '0', 'extension'],
  ['rest', '0', 'security', 'extension', '0', 'extension', '0', 'valueUri'],
  ['rest', '0', 'security', 'service'],
  ['rest', '0', 'security', 'service', '0', 'coding'],
  ['rest', '0', 'security', 'service', '0', 'coding', '0', 'code'],
  ['rest', '0', 'security', 'service', '0', 'coding', '0', 'system'],
  ['rest', '0', 'resource'],
  ['rest', '0', 'resource', '0'],
  ['rest', '0', 'resource', '0', 'type'],
  ['rest', '0', 'resource', '0', 'interaction'],
  ['rest', '0', 'resource', '0', 'interaction', '0', 'code'],
  ['rest', '0', 'resource', '0', 'searchParam'],
  ['rest', '0', 'resource', '0', 'searchParam', '0', 'name'],
  ['rest', '0', 'interaction'],
  ['rest', '0', 'transactionMode'],
];

function setAt(root: Capability, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return root;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'object' && node !== null) (node as Record<string, unknown>)[path.at(-1)!] = value;
  return root;
}

/** A conformant capability statement (either version) with one to four places replaced by hostile values. */
export const mutatedCapability: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom('dstu2' as const, 'stu3' as const),
    fc.array(fc.tuple(fc.nat(CAPABILITY_PATHS.length - 1), hostileValue), { minLength: 1, maxLength: 4 }),
  )
  .map(([version, edits]) => {
    let doc: unknown = conformantCapability(version, 'https://auth.example.com/token');
    for (const [i, value] of edits) doc = setAt(doc as Capability, CAPABILITY_PATHS[i]!, value);
    return doc;
  });

/** Any JSON text a partner could send as a body, including the mutated capability statements. */
export const bodyText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  mutatedCapability.map((v) => safeStringify(v)),
  fc.string(),
);

/** JSON.stringify for values that may be too deep for it: deep arrays are rendered by hand. */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return renderDeep(value);
  }
}

function renderDeep(value: unknown): string {
  // Iterative, for the shapes deepArray makes inside otherwise shallow documents.
  if (Array.isArray(value)) {
    let depth = 0;
    let node: unknown = value;
    while (Array.isArray(node) && node.length === 1) {
      depth += 1;
      node = node[0];
    }
    const inner = Array.isArray(node) ? `[${node.map(renderDeep).join(',')}]` : renderDeep(node);
    return '['.repeat(depth) + inner + ']'.repeat(depth);
  }
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${renderDeep(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

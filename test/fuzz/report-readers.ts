/** Arbitraries for the report and resource readers (diff, verify, validate): one field made wrong. */
import fc from 'fast-check';
import { failingReport } from '../fixtures/reports/build.js';
import { deepArray } from './arbitraries.js';

/** Every path into a document, objects and arrays included, shallowest first. */
export function pathsOf(doc: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at);
  if (typeof doc === 'object' && doc !== null) {
    for (const [key, value] of Object.entries(doc)) pathsOf(value, [...at, key], out);
  }
  return out;
}

/** A copy of `doc` with the value at `path` replaced; only the containers on the path are copied. */
export function replaced(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const copy = (Array.isArray(doc) ? [...doc] : { ...(doc as object) }) as Record<string, unknown>;
  copy[key] = replaced(copy[key], rest, value);
  return copy;
}

/** What a hand edit or a broken writer leaves in a field: null, another type, an empty shape, depth. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(null, 0, -1, 1.5, '', 'x', true, false, [], {}, [null], { a: null }),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: deepArray },
);

const reportPaths = pathsOf(failingReport());

/** The failing fixture report with one to three fields (anywhere, at any depth) made wrong. */
export const brokenReport: fc.Arbitrary<unknown> = fc
  .array(fc.tuple(fc.nat(reportPaths.length - 1), wrongValue), { minLength: 1, maxLength: 3 })
  .map((edits) => {
    let doc: unknown = failingReport();
    for (const [i, value] of edits) {
      const path = reportPaths[i]!;
      // An earlier edit may have replaced a parent: then this path no longer exists.
      if (path.slice(0, -1).every((_, n) => isContainer(at(doc, path.slice(0, n + 1))))) {
        doc = replaced(doc, path, value);
      }
    }
    return doc;
  });

function at(doc: unknown, path: string[]): unknown {
  let node = doc;
  for (const key of path) node = isContainer(node) ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function isContainer(x: unknown): boolean {
  return typeof x === 'object' && x !== null;
}

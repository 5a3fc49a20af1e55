/**
 * The layers of the code, held by a test so that a new import cannot quietly tie them in a knot:
 * no cycle between folders; `src/core` (the shared model) imports nothing of ours; `src/fhir` is pure
 * (no network, no engine); only the command line, the composition root, imports the suites; the
 * reference partner, whose fault detectors are the independent oracle beside the checks, imports
 * none of the harness.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles, folderEdges, type FolderEdge } from './folder-graph.js';

const root = join(import.meta.dirname, '../..');
const edges = folderEdges(root, ['src', 'suites']);

const shown = (list: readonly FolderEdge[]): string[] => list.map((e) => `${e.file} imports ${e.specifier}`);

describe('folder layers', () => {
  it('reads the imports of the whole tree', () => {
    // A reader that found nothing would pass every rule below.
    expect(edges.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === 'suites/auth' && e.to === 'src/engine')).toBe(true);
  });

  it('has no import cycle between folders', () => {
    const cycles = folderCycles(edges).map((group) => ({
      folders: group,
      imports: shown(edges.filter((e) => group.includes(e.from) && group.includes(e.to))),
    }));
    expect(cycles).toEqual([]);
  });

  it('keeps src/core free of imports from the rest of the project', () => {
    expect(shown(edges.filter((e) => e.from === 'src/core'))).toEqual([]);
  });

  it('keeps src/fhir pure: FHIR rules only, no requests, engine or report', () => {
    expect(shown(edges.filter((e) => e.from === 'src/fhir' && e.to !== 'src/core'))).toEqual([]);
  });

  it('keeps the reference partner and its fault detectors free of the harness they judge', () => {
    // Code shared by a check and its detector could be wrong in both at once and go unnoticed. The
    // catalogue model (src/core) is data both may name.
    const intoHarness = edges.filter((e) => e.from === 'src/reference-partner' && e.to !== 'src/core');
    expect(shown(intoHarness)).toEqual([]);
  });

  it('lets only the command line import the suites', () => {
    const intoSuites = edges.filter(
      (e) => e.from.startsWith('src') && e.to.startsWith('suites') && !e.from.startsWith('src/cli'),
    );
    expect(shown(intoSuites)).toEqual([]);
  });
});

describe('folderCycles', () => {
  const edge = (from: string, to: string): FolderEdge => ({ from, to, file: `${from}/x.ts`, specifier: to });

  it('finds a cycle through three folders and leaves a chain alone', () => {
    const cycles = folderCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')]);
    expect(cycles).toEqual([['a', 'b', 'c']]);
    expect(folderCycles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c')])).toEqual([]);
  });
});

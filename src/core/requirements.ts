/**
 * The requirement catalogue, read from the document that ships with the package
 * (docs/requirements.md) so that a requirement is written in one place. Each table row of the document
 * gives an ID and its level; the row's anchor carries the short title a report row shows
 * (`<a id="meta-01" title="…"></a>META-01 | required | …`). Every check and every report row names one
 * of these IDs; the level here is the default the engine applies to a row.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

const LEVELS = ['required', 'recommended', 'manual'] as const;

export type Level = (typeof LEVELS)[number];

/** The order in which families run when nothing else decides (the engine's tie-break). */
export const families = ['META', 'SEC', 'AUTH', 'ROUTE', 'RES', 'SRCH', 'BATCH', 'LAT'] as const;

export type Family = (typeof families)[number];

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

export function isKnownFamily(family: string): family is Family {
  return isOneOf(families, family);
}

export interface Requirement {
  id: string;
  family: Family;
  level: Level;
  title: string;
}

/** Where the catalogue lives in the package; report rows point into it. */
export const CATALOGUE_FILE = 'docs/requirements.md';

/** The first cell of a requirement's row: `<a id="…" title="…"></a>ID` (the anchor checked apart). */
const ID_CELL = /^(?:<a id="([^"]*)"(?: title="([^"]*)")?><\/a>)?([A-Z]+-[A-Z0-9]+(?:-[A-Z0-9]+)?)$/;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'" };

function unescapeAttribute(text: string): string {
  return text.replace(/&(amp|quot|lt|gt|#39);/g, (_, name: string) => ENTITIES[name]!);
}

/** The cells of a Markdown table row (`| a | b |` gives a, b). */
function cellsOf(line: string): string[] {
  return line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/**
 * The requirements of a catalogue document, in document order. The level is read from the column its
 * table's header calls "level" (the RES table puts the resource first). Throws an Error naming the line
 * of a row the harness could not use: no title, an unknown family or level, a repeated ID, an anchor
 * that is not the ID in lower case (the reports' pointers lead there).
 */
export function parseCatalogue(markdown: string, source = CATALOGUE_FILE): Map<string, Requirement> {
  const found = new Map<string, Requirement>();
  let levelColumn = -1;
  markdown.split('\n').forEach((line, index) => {
    if (!line.startsWith('|')) return;
    const cells = cellsOf(line);
    if (cells[0] === 'ID') {
      levelColumn = cells.indexOf('level');
      return;
    }
    const row = ID_CELL.exec(cells[0] ?? '');
    if (!row) return;
    const [, anchor, title, id] = row as unknown as [string, string | undefined, string | undefined, string];
    const where = `${source}:${index + 1}: ${id}`;
    const family = id.split('-')[0]!;
    const levelCell = cells[levelColumn] ?? '';
    // "manual / required when automatable" is a manual requirement the run may automate.
    const level = levelCell.split(/[\s/(]/)[0]!;
    if (!isKnownFamily(family)) {
      throw new Error(`${where} belongs to no known family (${families.join(', ')})`);
    }
    if (!isOneOf(LEVELS, level)) {
      throw new Error(`${where} has level "${levelCell}", not one of ${LEVELS.join(', ')}`);
    }
    if (anchor === undefined) {
      throw new Error(
        `${where} has no anchor: write <a id="${id.toLowerCase()}" title="…"></a> before the ID`,
      );
    }
    if (!title?.trim()) {
      throw new Error(`${where} has no short title: write it in its anchor, <a id="${anchor}" title="…">`);
    }
    if (anchor !== id.toLowerCase()) {
      throw new Error(`${where} has the anchor "${anchor}", not "${id.toLowerCase()}"`);
    }
    if (found.has(id)) throw new Error(`${where} is listed twice`);
    found.set(id, { id, family, level, title: unescapeAttribute(title.trim()) });
  });
  if (found.size === 0) throw new Error(`${source} has no requirement rows`);
  return found;
}

export const requirements: ReadonlyMap<string, Requirement> = parseCatalogue(
  readFileSync(join(packageRoot, CATALOGUE_FILE), 'utf8'),
);

export function requirement(id: string): Requirement {
  const found = requirements.get(id);
  if (!found) throw new Error(`unknown requirement ID ${id}: add it to ${CATALOGUE_FILE}`);
  return found;
}

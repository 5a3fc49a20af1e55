/**
 * docs/requirements.md ships with the package so a report's requirement IDs can be looked up; it must
 * say what the catalogue in code says (every ID, every level), carry an anchor per ID for the reports'
 * pointers, and stay a faithful copy of the team's specification where that is at hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { CATALOGUE_FILE, requirementRef } from '../../src/report/requirement-ref.js';
import { sharedPath, sharedTitle } from '../helpers/shared.js';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, CATALOGUE_FILE), 'utf8');
const LEVELS = ['required', 'recommended', 'manual'] as const;

/** ID → level word of every row of the document's tables (the level column is not always the second). */
function documentedLevels(markdown: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const id = /^(?:<a id="[^"]+"><\/a>)?([A-Z]+-[A-Z0-9]+(?:-[A-Z0-9]+)?)$/.exec(cells[1] ?? '')?.[1];
    if (!id) continue;
    const level = cells.slice(2).find((c) => LEVELS.some((l) => c.startsWith(l)));
    expect(found.has(id), `${id} is listed twice`).toBe(false);
    found.set(id, level?.split(/[\s/(]/)[0] ?? '(none)');
  }
  return found;
}

describe(`${CATALOGUE_FILE}`, () => {
  it('lists every requirement in code with the same level, and nothing the code lacks', () => {
    const documented = documentedLevels(doc);
    const inCode = new Map([...requirements.values()].map((r) => [r.id, r.level]));
    expect(documented.size).toBeGreaterThan(60);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });

  it("has an anchor for each ID, where the reports' pointers lead", () => {
    for (const id of requirements.keys()) {
      const anchor = requirementRef(id).split('#')[1]!;
      expect(doc, id).toContain(`<a id="${anchor}"></a>${id} |`);
    }
  });

  const spec = sharedPath('spec', 'requirements.md');
  it.skipIf(!existsSync(spec))(
    sharedTitle('is the specification word for word, apart from its note and the anchors', spec),
    () => {
      const copy = doc.replace(/<a id="[^"]+"><\/a>/g, '').replace(/\n(> [^\n]*\n)+\n/, '\n');
      expect(copy).toBe(readFileSync(spec, 'utf8'));
    },
  );
});

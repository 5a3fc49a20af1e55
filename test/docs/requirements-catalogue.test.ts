/**
 * docs/requirements.md ships with the package and is the catalogue the harness reads: every ID, its
 * level and its short title. It must parse into the whole catalogue, refuse a row it cannot use with
 * the line to fix, carry an anchor per ID for the reports' pointers, and stay a faithful copy of the
 * team's specification where that is at hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, parseCatalogue, requirements } from '../../src/core/requirements.js';
import { requirementRef } from '../../src/report/requirement-ref.js';
import { sharedPath, sharedTitle } from '../helpers/shared.js';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, CATALOGUE_FILE), 'utf8');

/** Every ID of the document's tables, found without the harness's parser (which this test judges). */
function documentedIds(markdown: string): string[] {
  return [...markdown.matchAll(/^\| <a id="[^"]+"[^>]*><\/a>([A-Z][A-Z0-9-]+) \|/gm)].map((m) => m[1]!);
}

describe(`${CATALOGUE_FILE}`, () => {
  it('gives the harness every requirement of its tables, each with a level and a short title', () => {
    const ids = documentedIds(doc);
    expect(ids.length).toBeGreaterThan(60);
    expect([...requirements.keys()]).toEqual(ids);
    for (const r of requirements.values()) {
      expect(r.title.length, r.id).toBeGreaterThan(10);
      expect(r.title.length, `${r.id}: a row title, not the requirement's prose`).toBeLessThan(100);
    }
    expect(requirements.get('AUTH-09')).toEqual({
      id: 'AUTH-09',
      family: 'AUTH',
      level: 'manual',
      title: 'an expired token gets 401',
    });
    expect(requirements.get('RES-LOC-1')?.title).toBe("the Encounter's Location is readable");
  });

  it("has an anchor for each ID, where the reports' pointers lead", () => {
    for (const id of requirements.keys()) {
      const anchor = requirementRef(id).split('#')[1]!;
      expect(doc, id).toMatch(new RegExp(`<a id="${anchor}"[^>]*></a>${id} \\|`));
    }
  });

  const spec = sharedPath('spec', 'requirements.md');
  it.skipIf(!existsSync(spec))(
    sharedTitle('is the specification word for word, apart from its note and the anchors', spec),
    () => {
      const copy = doc.replace(/<a id="[^"]+"[^>]*><\/a>/g, '').replace(/\n(> [^\n]*\n)+\n/, '\n');
      expect(copy).toBe(readFileSync(spec, 'utf8'));
    },
  );
});

describe('parseCatalogue', () => {
  const row = (cells: string): string => `| ID | level | requirement |\n|---|---|---|\n${cells}\n`;

  it('reads the level word, the family and the escaped title of a row', () => {
    const parsed = parseCatalogue(
      row(
        '| <a id="sec-09" title="a &quot;quoted&quot; &amp; short title"></a>SEC-09 | manual / required when automatable | Prose. |',
      ),
    );
    expect([...parsed.values()]).toEqual([
      { id: 'SEC-09', family: 'SEC', level: 'manual', title: 'a "quoted" & short title' },
    ]);
  });

  it.each([
    ['no title', '| <a id="meta-99"></a>META-99 | required | x |', /META-99 has no short title/],
    [
      'no anchor',
      '| META-99 | required | x |',
      /META-99 has no anchor: write <a id="meta-99" title="…"><\/a>/,
    ],
    ['an unknown family', '| <a id="xyz-01" title="t t t"></a>XYZ-01 | required | x |', /no known family/],
    ['an unknown level', '| <a id="meta-99" title="t t t"></a>META-99 | optional | x |', /level "optional"/],
    ['a wrong anchor', '| <a id="meta-98" title="t t t"></a>META-99 | required | x |', /anchor "meta-98"/],
  ])('refuses a row with %s, naming the line', (_, line, message) => {
    expect(() => parseCatalogue(row(line), 'cat.md')).toThrow(message);
    expect(() => parseCatalogue(row(line), 'cat.md')).toThrow(/^cat\.md:3: /);
  });

  it('refuses a document without requirement rows', () => {
    expect(() => parseCatalogue('# A catalogue\n', 'cat.md')).toThrow('cat.md has no requirement rows');
  });

  it('refuses an ID listed twice', () => {
    const line = '| <a id="meta-99" title="t t t"></a>META-99 | required | x |';
    expect(() => parseCatalogue(row(`${line}\n${line}`))).toThrow(/:4: META-99 is listed twice/);
  });
});

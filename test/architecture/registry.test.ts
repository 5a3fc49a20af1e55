/**
 * The registry (suites/index.ts) lists family modules in no particular order; these tests hold it to
 * the files: every suite file that declares a check is reached from it, every check names a catalogue
 * requirement, every requirement has a check, and the run order comes from the declarations alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { requirements } from '../../src/core/requirements.js';
import { orderChecks } from '../../src/engine/select.js';
import { allChecks } from '../../suites/index.js';

const root = join(import.meta.dirname, '../..');

function suiteFiles(): string[] {
  return readdirSync(join(root, 'suites'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** The suite files suites/index.ts reaches through relative imports. */
function reached(): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !file.startsWith('suites/')) return;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(normalize(join(dirname(file), fileName)).replace(/\.js$/, '.ts'));
    }
  };
  visit('suites/index.ts');
  return seen;
}

describe('the suite registry', () => {
  it('reaches every suite file that declares a check', () => {
    const declaring = suiteFiles().filter((f) =>
      readFileSync(join(root, f), 'utf8').includes('defineCheck('),
    );
    expect(declaring.length).toBeGreaterThan(10);
    const seen = reached();
    expect(declaring.filter((f) => !seen.has(f))).toEqual([]);
  });

  it('has a check for every requirement of the catalogue, and no check outside it', () => {
    const checked = new Set(allChecks.map((c) => c.requirement));
    expect([...requirements.keys()].filter((id) => !checked.has(id))).toEqual([]);
    expect([...checked].filter((id) => !requirements.has(id))).toEqual([]);
  });

  it('runs in the same order whatever order the registry lists the families in', () => {
    const ids = (list: typeof allChecks) => orderChecks(list).map((c) => c.id);
    const forward = ids(allChecks);
    // Each family's checks keep their file's order; the families themselves go in reverse.
    const familyOf = (c: (typeof allChecks)[number]) => c.requirement.split('-')[0]!;
    const families = [...new Set(allChecks.map(familyOf))].reverse();
    const shuffled = families.flatMap((f) => allChecks.filter((c) => familyOf(c) === f));
    expect(shuffled.map((c) => c.id)).not.toEqual(allChecks.map((c) => c.id));
    expect(ids(shuffled)).toEqual(forward);
    // The capability statement first, latency last: what the families' facts and the catalogue say.
    expect(forward[0]).toBe('meta-01-metadata');
    expect(forward.at(-1)).toBe('lat-06-concurrency');
  });
});

/**
 * A package whose own files cannot be read (here: a catalogue row without its short title, as an edit
 * of docs/requirements.md could leave it) is a defect of the harness: exit 3 with the line to fix, not
 * the exit 1 of an uncaught error that a pipeline would read as "not certified".
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const copy = mkdtempSync(join(tmpdir(), 'fhir-certify-broken-package-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** The built package in a folder of its own, with its catalogue edited by `edit`. */
function packageWith(edit: (catalogue: string) => string): string {
  for (const folder of ['dist/src', 'dist/suites']) {
    cpSync(join(root, folder), join(copy, folder), { recursive: true });
  }
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  mkdirSync(join(copy, 'docs'));
  const catalogue = readFileSync(join(root, 'docs/requirements.md'), 'utf8');
  writeFileSync(join(copy, 'docs/requirements.md'), edit(catalogue));
  return join(copy, 'dist/src/cli/main.js');
}

describe('a package that cannot load its own files', () => {
  it('exits 3 and names the catalogue line to fix', async () => {
    const cli = packageWith((text) => text.replace(/ title="[^"]*"(><\/a>AUTH-03 )/, '$1'));
    const failed = await promisify(execFile)(process.execPath, [cli, '--help']).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(3);
    expect(failed?.stderr).toMatch(
      /^fhir-certify: the harness itself failed to start: docs\/requirements\.md:\d+: AUTH-03 has no short title/,
    );
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
  });
});

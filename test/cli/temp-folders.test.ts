/**
 * `npm test` must not leave a folder behind for every CLI run (it left about 270): a test file that
 * writes reports through runCli runs in a vitest of its own, with a temp dir of its own, and that
 * temp dir holds no report folder afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fhir-certify-temp-folders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('runCli removes its report folders when the test file ends', async () => {
  const temp = join(work, 'tmp');
  mkdirSync(temp);
  const config = join(work, 'vitest.config.mjs');
  writeFileSync(
    config,
    `export default { test: { include: ['test/fixtures/cli-temp/*.check.ts'], pool: 'forks', maxWorkers: 1 } };\n`,
  );
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, '--config', config],
    { cwd: root, env: { ...process.env, TMPDIR: temp, NO_COLOR: '1' }, timeout: 120_000 },
  );
  expect(stdout).toMatch(/2 passed/);
  expect(readdirSync(temp).filter((name) => name.startsWith('fhir-certify-test-'))).toEqual([]);
}, 150_000);

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixtures = join(import.meta.dirname, '../fixtures/reports');
const pass = join(fixtures, 'pass-dstu2.json');
const failing = join(fixtures, 'fail-dstu2.json');

describe('the program wires every command with the contract exit codes', () => {
  it('diff: a baseline against a run with new failures is exit 1', async () => {
    const run = await runCli(['diff', pass, failing], {}, false);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/regress|new failure/i);
  });

  it('diff: a report against itself is exit 0', async () => {
    expect((await runCli(['diff', pass, pass], {}, false)).code).toBe(0);
  });

  it('diff: a missing argument is exit 2', async () => {
    const run = await runCli(['diff', pass], {}, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing required argument/);
  });

  it('verify: an untouched report is exit 0', async () => {
    expect((await runCli(['verify', pass], {}, false)).code).toBe(0);
  });

  it('an unknown command is exit 2, --version is exit 0', async () => {
    expect((await runCli(['certify-everything'], {}, false)).code).toBe(2);
    const version = await runCli(['--version'], {}, false);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

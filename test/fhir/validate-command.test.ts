import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, runValidate, validateCommand } from '../../src/cli/commands/validate.js';
import { ExitRequest } from '../../src/cli/io.js';
import { sharedPath, sharedTitle } from '../helpers/shared.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'fhir');
const tmp = mkdtempSync(join(tmpdir(), 'fhir-certify-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fhir-certify validate', () => {
  it('exits 0 when every file of a folder is valid, detecting each version', async () => {
    const out = await runValidate([fixtures]);
    expect(out.exitCode).toBe(0);
    expect(out.files).toHaveLength(6);
    expect(out.files.filter((f) => f.file.includes('/dstu2/')).every((f) => f.version === 'dstu2')).toBe(
      true,
    );
    expect(out.files.filter((f) => f.file.includes('/stu3/')).every((f) => f.version === 'stu3')).toBe(true);
    expect(out.output).toContain('6 of 6 file(s) valid');
    expect(out.output).toMatch(/patient\.json\s+│ Patient\s+│ stu3 \(detected\)\s+│ valid/);
  });

  it('exits 1 and shows the first issues when a file is invalid', async () => {
    const p = JSON.parse(readFileSync(join(fixtures, 'stu3', 'patient.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const bad = join(tmp, 'bad-patient.json');
    writeFileSync(bad, JSON.stringify({ ...p, gender: 'M' }));
    const out = await runValidate([bad], { fhirVersion: 'stu3' });
    expect(out.exitCode).toBe(1);
    expect(out.output).toContain('Patient.gender: expected one of male, female, other, unknown but got "M"');
    const json = await runValidate([bad], { fhirVersion: 'stu3', json: true });
    const parsed = JSON.parse(json.output) as {
      exitCode: number;
      files: { valid: boolean; issues: { path: string }[] }[];
    };
    expect(parsed.exitCode).toBe(1);
    expect(parsed.files[0]?.issues[0]?.path).toBe('Patient.gender');
    // The same resource against the other version fails on its STU3-only element.
    const asDstu2 = await runValidate([join(fixtures, 'stu3', 'patient.json')], { fhirVersion: 'dstu2' });
    expect(asDstu2.exitCode).toBe(1);
    expect(asDstu2.output).toContain('Patient.generalPractitioner: unknown element "generalPractitioner"');
  });

  it('exits 2 for a missing path, a file that is not JSON, JSON that is not a resource, an empty folder', async () => {
    const notJson = join(tmp, 'broken.json');
    writeFileSync(notJson, '{ "resourceType": ');
    const notResource = join(tmp, 'plain.json');
    writeFileSync(notResource, '{"hello": "world"}');
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const cases: [string, RegExp][] = [
      [join(tmp, 'nope.json'), /no such file or folder/],
      [notJson, /not JSON .*give a FHIR resource in JSON/],
      [notResource, /not a FHIR resource/],
      [empty, /holds no \.json file/],
    ];
    for (const [path, message] of cases) {
      const out = await runValidate([path]);
      expect(out.exitCode, path).toBe(2);
      expect(out.output, path).toMatch(message);
    }
  });

  it('runs as a commander command and ends with the exit code', async () => {
    let printed = '';
    const io = { stdout: (t: string) => void (printed += t), stderr: () => undefined, env: {}, isTTY: false };
    await validateCommand(io).parseAsync([join(fixtures, 'dstu2'), '--fhir-version', 'dstu2'], {
      from: 'user',
    });
    expect(printed).toContain('3 of 3 file(s) valid');
    const failing = validateCommand(io).parseAsync([join(fixtures, 'dstu2'), '--fhir-version', 'stu3'], {
      from: 'user',
    });
    await expect(failing).rejects.toBeInstanceOf(ExitRequest);
    await expect(failing).rejects.toMatchObject({ code: 1 });
  });

  it('refuses a file over --max-file-bytes unread (exit 2, the cap named), and checks the option', async () => {
    const patient = join(fixtures, 'stu3', 'patient.json');
    const size = readFileSync(patient).length;
    const over = await runValidate([patient], { maxFileBytes: size - 1 });
    expect(over.exitCode).toBe(2);
    expect(over.files[0]!.error).toBe(
      `the file is ${size} bytes, over the --max-file-bytes cap of ${size - 1}: split it, or raise the cap`,
    );
    expect((await runValidate([patient], { maxFileBytes: size })).exitCode).toBe(0);

    let printed = '';
    const io = { stdout: (t: string) => void (printed += t), stderr: () => undefined, env: {}, isTTY: false };
    const refused = validateCommand(io).parseAsync([patient, '--max-file-bytes', '100'], { from: 'user' });
    await expect(refused).rejects.toMatchObject({ code: 2 });
    expect(printed).toContain('over the --max-file-bytes cap of 100');
    const command = validateCommand(io).exitOverride();
    command.configureOutput({ writeErr: () => undefined });
    await expect(
      command.parseAsync([patient, '--max-file-bytes', 'lots'], { from: 'user' }),
    ).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('the default cap is 64 MiB', async () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBe(64 * 1024 * 1024);
  });

  it('a file nested past the JSON depth bound is refused before parsing (exit 2), one a validator cannot recurse into is invalid', async () => {
    const deep = join(tmp, 'deep.json');
    writeFileSync(
      deep,
      `{"resourceType":"Patient","extension":${'['.repeat(300_000)}${']'.repeat(300_000)}}`,
    );
    const out = await runValidate([deep]);
    expect(out.exitCode).toBe(2);
    expect(out.files[0]!.error).toMatch(/^nested deeper than 200000 levels of arrays and objects/);
    // Extensions within extensions 50 000 deep: parsed, but too deep for the validator's recursion.
    const nested = join(tmp, 'nested-extensions.json');
    let ext = '{"url":"http://x"}';
    for (let i = 0; i < 50_000; i++) ext = `{"url":"http://x","extension":[${ext}]}`;
    writeFileSync(nested, `{"resourceType":"Patient","extension":[${ext}]}`);
    const judged = await runValidate([nested], { fhirVersion: 'stu3' });
    expect(judged.exitCode).toBe(1);
    expect(judged.files[0]!.issues).toEqual([
      { path: 'Patient', message: 'nests too deeply to be validated' },
    ]);
  });
});

describe('fhir-certify validate: which version a file is', () => {
  const either = join(import.meta.dirname, '..', 'fixtures', 'fhir-either', 'observation-glucose.json');

  it('says "valid in both" for a resource that reads the same in DSTU2 and STU3, not "dstu2 (detected)"', async () => {
    const out = await runValidate([either]);
    expect(out.exitCode).toBe(0);
    expect(out.files[0]).toMatchObject({ version: null, validIn: ['dstu2', 'stu3'], valid: true });
    expect(out.output).toMatch(
      /observation-glucose\.json\s+│ Observation\s+│ dstu2 or stu3 \(valid in both\)\s+│ valid/,
    );
    expect(out.output).not.toContain('(detected)');
    // Asked for one version, it is validated as that version.
    expect((await runValidate([either], { fhirVersion: 'stu3' })).files[0]).toMatchObject({
      version: 'stu3',
      valid: true,
    });
  });

  for (const version of ['stu3', 'dstu2'] as const) {
    const dir = sharedPath('fhir-examples', version);
    it.skipIf(!existsSync(dir))(
      sharedTitle(`labels none of the official ${version.toUpperCase()} examples as the other version`, dir),
      async () => {
        const out = await runValidate([dir]);
        const other = version === 'stu3' ? 'dstu2' : 'stu3';
        expect(out.files.length).toBeGreaterThan(100);
        expect(out.files.filter((f) => f.version === other).map((f) => f.file)).toEqual([]);
        expect(out.files.filter((f) => !f.valid).map((f) => f.file)).toEqual([]);
        // Most of them are recognised as their own version; the rest are valid in both.
        const own = out.files.filter((f) => f.version === version).length;
        expect(own).toBeGreaterThan(out.files.length * 0.75);
        expect(out.files.every((f) => f.version === version || f.validIn?.length === 2)).toBe(true);
      },
    );
  }
});

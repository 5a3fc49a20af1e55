import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../src/config/resolve.js';
import { runCli } from '../helpers/cli.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const base = ['run', '--base-url', 'https://ehr.example.com/fhir', '--client-id', 'app', '--tenant', TENANT];
const env = { FHIR_CERTIFY_CLIENT_SECRET: 's3cr3t-value' };

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fhir-certify-cfg-')), name);
  writeFileSync(path, text);
  return path;
}

describe('a bad flag or config is exit 2 with one sentence saying what to fix', () => {
  const cases: Array<[string, string[], RegExp, NodeJS.ProcessEnv?]> = [
    ['an unknown flag', [...base, '--bogus'], /unknown option '--bogus'/],
    ['no --base-url', ['run', '--client-id', 'x'], /--base-url is required/],
    ['a malformed URL', ['run', '--base-url', 'not a url'], /not an absolute URL/],
    [
      'plain http without permission',
      ['run', '--base-url', 'http://ehr.example.com/fhir', '--only', 'META'],
      /--allow-insecure-http/,
    ],
    ['no client id', ['run', '--base-url', 'https://ehr.example.com/fhir'], /--client-id is required/],
    ['no secret in the environment', base, /FHIR_CERTIFY_CLIENT_SECRET/, {}],
    [
      'a tenant that is not a GUID',
      ['run', '--base-url', 'https://e.example/fhir', '--client-id', 'a', '--tenant', 'contoso'],
      /not a GUID/,
    ],
    ['the same tenant twice', [...base, '--tenant', TENANT.toUpperCase()], /same tenant twice/],
    ['a bad --fhir-version', [...base, '--fhir-version', 'r4'], /Allowed choices are auto, dstu2, stu3/],
    ['a non-numeric --samples', [...base, '--samples', 'many'], /--samples must be a whole number/],
    ['an --only that matches nothing', [...base, '--only', 'XYZ'], /--only XYZ matches no requirement/],
    ['a bad --format', [...base, '--format', 'pdf'], /--format "pdf"/],
    ['a bad --budget', [...base, '--budget', 'search=fast'], /--budget/],
    [
      'a --probe-patient for an unknown tenant',
      [...base, '--probe-patient', 'abc=123'],
      /not one of the --tenant values/,
    ],
    ['an unknown built-in profile', [...base, '--profile', 'nope'], /no built-in profile named "nope"/],
    ['an unreadable --ca', [...base, '--ca', '/nonexistent/ca.pem'], /cannot read the CA file/],
    ['an unreadable config file', ['run', '--config', '/nonexistent/c.json'], /cannot read the config file/],
    ['a missing rotated secret', [...base, '--rotated-secret-env', 'NEW_SECRET'], /NEW_SECRET/],
  ];
  it.each(cases)('%s', async (_name, args, message, runEnv = env) => {
    const run = await runCli(args, runEnv, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^fhir-certify: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a config file that is not valid JSON', async () => {
    const run = await runCli(['run', '--config', file('c.json', '{ "baseUrl": ')], env, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not valid JSON/);
  });

  it('a config file with a misspelt option names it', async () => {
    const run = await runCli(
      ['run', '--config', file('c.yaml', 'baseUrl: https://e.example/fhir\ntenans: [a]\n')],
      env,
      false,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown option "tenans"/);
  });

  it('a config file holding a secret is refused', async () => {
    const run = await runCli(['run', '--config', file('c.json', '{"clientSecret": "hunter2"}')], env, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/holds a secret/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('a profile file that breaks the schema names the file and the path', async () => {
    const path = file(
      'p.json',
      JSON.stringify({ name: 'x', fhirVersion: 'stu3', resources: [], budgets: {} }),
    );
    const run = await runCli([...base, '--profile', path], env, false);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(/\/resources|\/budgets/);
  });
});

describe('options from flags, file and environment', () => {
  it('reads YAML, lets flags win, and takes the secret only from the environment', () => {
    const path = file(
      'c.yaml',
      `baseUrl: https://from-file.example/fhir\nclientId: file-client\ntenant:\n  - ${TENANT}\nsamples: 7\nformat: [json, md]\n`,
    );
    const options = resolveRunOptions({ config: path, clientId: 'flag-client' }, env);
    expect(options.baseUrl).toBe('https://from-file.example/fhir');
    expect(options.clientId).toBe('flag-client');
    expect(options.samples).toBe(7);
    expect(options.formats).toEqual(['json', 'md']);
    expect(options.clientSecret).toBe('s3cr3t-value');
    expect(options.timeoutMs).toBe(10_000);
  });

  it('treats repeated and comma-separated lists alike', () => {
    const options = resolveRunOptions(
      { baseUrl: 'https://e.example/fhir/', only: ['meta,sec', 'SEC-01'] },
      {},
    );
    expect(options.only).toEqual(['META', 'SEC', 'SEC-01']);
    expect(options.baseUrl).toBe('https://e.example/fhir');
  });

  it('--help shows examples and exits 0', async () => {
    const run = await runCli(['run', '--help'], {}, false);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/--client-secret-env/);
  });
});

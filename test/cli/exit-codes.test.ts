/**
 * Exit codes as the README documents them: every user or environment error is exit 2 with one
 * sentence that says what to fix; exit 3 is only for a defect of the harness itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { canonicalFaultNames } from '../../src/reference-partner/faults/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-exit-codes-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const missing = join(dir, 'does-not-exist');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRET = 'a-secret-that-must-never-be-printed-0123';
const run = ['run', '--base-url', 'https://127.0.0.1:9/fhir', '--client-id', 'app', '--tenant', TENANT];
const withSecret = { FHIR_CERTIFY_CLIENT_SECRET: SECRET };

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  argv: () => string[];
  env?: Record<string, string>;
  says: RegExp;
}

const cases: Case[] = [
  { name: 'an unknown option', argv: () => ['run', '--nope'], says: /unknown option '--nope'/ },
  { name: 'an unknown command', argv: () => ['certify'], says: /unknown command 'certify'/ },
  {
    name: 'a value not among the choices',
    argv: () => [...run, '--fhir-version', 'r4'],
    says: /r4.*Allowed choices are auto, dstu2, stu3/,
  },
  {
    name: 'a secret on the command line',
    argv: () => [...run, '--client-secret', SECRET],
    says: /--client-secret is not an option.*--client-secret-env/,
  },
  {
    name: 'a secret on the command line (=)',
    argv: () => [...run, `--rotated-secret=${SECRET}`],
    says: /--rotated-secret is not an option.*--rotated-secret-env/,
  },
  {
    name: 'a config file that is not JSON',
    argv: () => ['run', '--config', file('bad.json', '{ nope')],
    says: /config file .*bad\.json is not valid JSON/,
  },
  {
    name: 'a config file with an unknown key',
    argv: () => ['run', '--config', file('unknown.yaml', 'nope: 1\n')],
    says: /unknown option "nope"/,
  },
  {
    name: 'a config file holding a secret',
    argv: () => ['run', '--config', file('secret.yaml', `clientSecret: ${SECRET}\n`)],
    says: /holds a secret \("clientSecret"\)/,
  },
  {
    name: 'a config file that is missing',
    argv: () => ['run', '--config', missing],
    says: /cannot read the config file/,
  },
  {
    name: 'the secret variable unset',
    argv: () => run,
    says: /set the environment variable FHIR_CERTIFY_CLIENT_SECRET/,
  },
  {
    name: 'an unreadable --ca',
    argv: () => [...run, '--ca', missing],
    env: withSecret,
    says: /cannot read the CA file .* given to --ca/,
  },
  {
    name: 'a --ca that is no certificate',
    argv: () => [...run, '--ca', file('ca.pem', 'hello')],
    env: withSecret,
    says: /holds no PEM certificate/,
  },
  {
    name: 'an unreadable --sign-key',
    argv: () => [...run, '--sign-key', missing],
    env: withSecret,
    says: /cannot read the signing key/,
  },
  {
    name: 'a --profile that is missing',
    argv: () => [...run, '--profile', `${missing}.json`],
    env: withSecret,
    says: /cannot read the profile file/,
  },
  {
    name: 'an --out inside a file',
    argv: () => [...run, '--out', join(file('plain.txt', 'x'), 'reports')],
    env: withSecret,
    says: /--out .*plain\.txt.*: .*plain\.txt is a file, not a directory; choose a writable directory/,
  },
  {
    name: 'demo with an unknown fault',
    argv: () => ['demo', '--fault', 'NOPE'],
    says: /unknown fault "NOPE"; run "fhir-certify serve-reference --list-faults"/,
  },
  {
    name: 'serve-reference with an unknown fault',
    argv: () => ['serve-reference', '--fault', 'NOPE'],
    says: /unknown fault "NOPE"/,
  },
  {
    name: 'serve-reference on a port in use',
    argv: () => ['serve-reference', '--port', String(busyPort)],
    says: /port \d+ is already in use on 127\.0\.0\.1; choose another --port/,
  },
  {
    name: 'serve-reference with a bad --port',
    argv: () => ['serve-reference', '--port', '70000'],
    says: /expected an integer from 0 to 65535/,
  },
  {
    name: 'serve-reference with an unreadable --tls-key',
    argv: () => ['serve-reference', '--tls-key', missing, '--tls-cert', missing],
    says: /cannot read the --tls-key file .*\(ENOENT\)/,
  },
  {
    name: 'serve-reference with a --tls-key that is no key',
    argv: () => ['serve-reference', '--tls-key', file('k.pem', 'x'), '--tls-cert', file('c.pem', 'x')],
    says: /not a matching PEM key and certificate/,
  },
  {
    name: 'serve-reference with --tls-key alone',
    argv: () => ['serve-reference', '--tls-key', missing],
    says: /--tls-key and --tls-cert go together/,
  },
  {
    name: 'diff of a missing report',
    argv: () => ['diff', missing, missing],
    says: /cannot read .*does-not-exist \(no such file\)/,
  },
  {
    name: 'verify of a missing report',
    argv: () => ['verify', missing],
    says: /cannot read .*does-not-exist \(no such file\)/,
  },
  {
    name: 'validate of a missing file',
    argv: () => ['validate', missing],
    says: /does-not-exist: no such file or folder/,
  },
];

describe('exit code 2, and one sentence, for each user or environment error', () => {
  it.each(cases)('$name', async ({ argv, env, says }) => {
    let stderr = '';
    const code = await main(argv(), {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      env: env ?? {},
      isTTY: false,
    });
    const lines = stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '' && !/^\(.*\)$/.test(l)); // commander's hints: "(Did you mean …?)", "(run with --help …)"
    expect({ code, stderr }).toMatchObject({ code: 2 });
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^fhir-certify( \w+)?: /);
    expect(lines[0]).toMatch(says);
    expect(stderr).not.toMatch(/harness itself failed|\n\s+at /);
    expect(stderr).not.toContain(SECRET);
  });
});

describe('fault names', () => {
  it('match in any case and come back as the catalogue spells them', () => {
    expect(canonicalFaultNames(['lat-06', 'LAT-06', ' Meta-01 ', 'nope'])).toEqual({
      known: ['LAT-06', 'META-01'],
      unknown: ['nope'],
    });
  });
});

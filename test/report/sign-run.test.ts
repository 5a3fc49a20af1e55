/**
 * `run --sign-key` end to end: a real run against the reference partner writes a signed report that
 * `verify --verify-key` accepts, that the stranger's key and an edit both break, and a bad key is
 * exit 2 before any request is sent.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify } from '../../src/cli/commands/verify.js';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { runCli } from '../helpers/cli.js';
import { expectContract } from '../helpers/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-sign-'));
let partner: ReferencePartner;
beforeAll(async () => {
  partner = await startReferencePartner({ faults: [] });
});
afterAll(async () => {
  await partner.close();
  rmSync(dir, { recursive: true, force: true });
});

function keyPair(name: string, type: 'ed25519' | 'rsa' = 'ed25519'): { priv: string; pub: string } {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const priv = join(dir, `${name}.key.pem`);
  const pub = join(dir, `${name}.pub.pem`);
  writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  return { priv, pub };
}

const metaRun = (extra: string[]) =>
  runCli(['run', '--base-url', partner.baseUrl('stu3'), '--allow-insecure-http', '--only', 'META', ...extra]);

describe('run --sign-key', () => {
  it('writes a signed report that verify accepts with the signer key only', async () => {
    const signer = keyPair('signer');
    const stranger = keyPair('stranger');
    const run = await metaRun(['--sign-key', signer.priv]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Signed with Ed25519 key sha256:[0-9a-f]{64}/);
    expectContract(run.report!);
    const reportPath = join(run.reportDir!, 'report.json');

    expect((await runVerify([reportPath, '--verify-key', signer.pub])).exitCode).toBe(0);
    const wrongKey = await runVerify([reportPath, '--verify-key', stranger.pub]);
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.stderr).toContain('signed by another key');

    const edited = readFileSync(reportPath, 'utf8').replace('"verdict": "pass"', '"verdict": "fail"');
    const editedPath = join(dir, 'edited.json');
    writeFileSync(editedPath, edited);
    expect((await runVerify([editedPath, '--verify-key', signer.pub])).exitCode).toBe(1);
    // The private key never reaches an output.
    const body = readFileSync(signer.priv, 'utf8').split('\n')[1]!;
    expect(run.everything()).not.toContain(body);
  });

  it('is exit 2 with a sentence for a missing, non-PEM or non-Ed25519 key, before any request', async () => {
    const rsa = keyPair('rsa', 'rsa');
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'absent.pem'), /cannot read the signing key .*absent\.pem given to --sign-key/],
      [garbage, /it is not a PEM private key: create one with `openssl genpkey -algorithm ed25519/],
      [rsa.priv, /the signing key is rsa, not Ed25519/],
    ];
    for (const [key, message] of cases) {
      const run = await metaRun(['--sign-key', key]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.report).toBeUndefined();
    }
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerify } from '../../src/cli/commands/verify.js';
import { computeDigest } from '../../src/report/digest.js';
import { signReport, verifyReport } from '../../src/report/verify.js';
import { failingReport, fixtureText, passingReport } from '../fixtures/reports/build.js';
import { expectContract } from '../helpers/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function ed25519(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const signer = ed25519();
const stranger = ed25519();
const signerKey = file('signer.pub.pem', signer.publicKey);
const strangerKey = file('stranger.pub.pem', stranger.publicKey);

describe('fhir-certify verify', () => {
  it('accepts an untouched report', async () => {
    const r = await runVerify([file('ok.json', fixtureText(failingReport()))]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`digest OK (${failingReport().digest})`);
  });

  it('accepts the same report pretty-printed differently', async () => {
    expect((await runVerify([file('compact.json', JSON.stringify(failingReport()))])).exitCode).toBe(0);
  });

  it('detects a one-character edit', async () => {
    const text = fixtureText(failingReport());
    const edited = text.replace('"p95": 1480', '"p95": 1080');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    const r = await runVerify([file('edited.json', edited)]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /digest mismatch: the file says sha256:[0-9a-f]{64} but its content hashes to sha256:[0-9a-f]{64}, so it was changed after the run/,
    );
  });

  it('exits 2 for something that is not a report', async () => {
    expect((await runVerify([file('x.json', '[1,2]')])).exitCode).toBe(2);
    expect((await runVerify([join(dir, 'missing.json')])).exitCode).toBe(2);
    expect((await runVerify([file('x.txt', 'hello')])).exitCode).toBe(2);
  });

  it('round-trips an Ed25519 signature and leaves the digest unchanged', async () => {
    const report = passingReport();
    const signed = signReport(report, signer.privateKey);
    expect(signed.digest).toBe(report.digest);
    expect(computeDigest(signed)).toBe(report.digest);
    expectContract(signed);
    expect(signed.signature.alg).toBe('Ed25519');
    expect(signed.signature.publicKeyFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const path = file('signed.json', fixtureText(signed));
    const r = await runVerify([path, '--verify-key', signerKey]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Ed25519 signature OK');
    // Without a key only the digest is checked.
    expect((await runVerify([path])).exitCode).toBe(0);
  });

  it('refuses a signature checked with the wrong key', async () => {
    const path = file('signed2.json', fixtureText(signReport(passingReport(), signer.privateKey)));
    const r = await runVerify([path, '--verify-key', strangerKey]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('signed by another key');
  });

  it('refuses a forged signature that names the right key', () => {
    const signed = signReport(passingReport(), signer.privateKey);
    const forged = signReport(failingReport(), signer.privateKey).signature;
    expect(verifyReport({ ...signed, signature: forged }, { publicKeyPem: signer.publicKey })).toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('signature does not match the digest') as string,
    });
  });

  it('refuses a report re-digested after an edit when a key is required', async () => {
    const signed = signReport(passingReport(), signer.privateKey);
    signed.checks[0]!.message = 'edited';
    signed.digest = computeDigest(signed);
    const r = await runVerify([file('redigested.json', fixtureText(signed)), '--verify-key', signerKey]);
    expect(r.exitCode).toBe(1);
  });

  it('exits 1 when a key is given but the report is unsigned, 2 when the key cannot be read', async () => {
    const path = file('unsigned.json', fixtureText(passingReport()));
    const unsigned = await runVerify([path, '--verify-key', signerKey]);
    expect(unsigned.exitCode).toBe(1);
    expect(unsigned.stderr).toContain('the report is not signed');
    expect((await runVerify([path, '--verify-key', join(dir, 'no-key.pem')])).exitCode).toBe(2);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const wrongType = await runVerify([path, '--verify-key', file('rsa.pem', rsa)]);
    expect(wrongType.exitCode).toBe(2);
    expect(wrongType.stderr).toContain('not Ed25519');
  });

  it('refuses to sign a report whose digest is stale', () => {
    const report = passingReport();
    report.checks[0]!.message = 'changed';
    expect(() => signReport(report, signer.privateKey)).toThrow(/digest is missing or stale/);
    expect(readFileSync(signerKey, 'utf8')).toContain('BEGIN PUBLIC KEY');
  });
});

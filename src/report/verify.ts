/**
 * Report integrity: the digest shows a report.json was not edited after the run; an optional
 * Ed25519 signature over that digest shows who ran it. Both use node:crypto only.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { computeDigest } from './digest.js';
import type { Report } from '../core/model.js';

export interface ReportSignature {
  alg: 'Ed25519';
  /** base64 Ed25519 signature over the UTF-8 bytes of `report.digest`. */
  value: string;
  /** sha256 of the public key's DER SubjectPublicKeyInfo, hex, prefixed `sha256:`. */
  publicKeyFingerprint: string;
}

export type SignedReport = Report & { signature?: ReportSignature };

export interface VerifyOutcome {
  /** 0 valid, 1 digest or signature wrong or missing, 2 the input or key could not be used. */
  exitCode: 0 | 1 | 2;
  message: string;
}

export function publicKeyFingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Parses an Ed25519 private key; throws with a sentence saying how to make one otherwise. */
export function ed25519Private(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `the signing key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519: create one with \`openssl genpkey -algorithm ed25519\``,
    );
  }
  return key;
}

function ed25519Public(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `the verify key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519: pass the public key of the Ed25519 signing key`,
    );
  }
  return key;
}

/**
 * Returns a copy of the report with `signature` over its digest. The digest must already be set
 * (computeDigest leaves `signature` out, so signing does not change it).
 */
export function signReport<T extends Report>(
  report: T,
  privateKeyPem: string,
): T & { signature: ReportSignature } {
  if (!report.digest || report.digest !== computeDigest(report)) {
    throw new Error('the report digest is missing or stale: compute it with computeDigest before signing');
  }
  const key = ed25519Private(privateKeyPem);
  const value = sign(null, Buffer.from(report.digest, 'utf8'), key).toString('base64');
  return {
    ...report,
    signature: { alg: 'Ed25519', value, publicKeyFingerprint: publicKeyFingerprint(createPublicKey(key)) },
  };
}

/** Checks the digest and, when a public key is given, the signature. */
export function verifyReport(report: SignedReport, opts: { publicKeyPem?: string } = {}): VerifyOutcome {
  const expected = computeDigest(report);
  if (report.digest !== expected) {
    return {
      exitCode: 1,
      message: `digest mismatch: the file says ${report.digest} but its content hashes to ${expected}, so it was changed after the run; use the report as written by fhir-certify run.`,
    };
  }
  if (opts.publicKeyPem === undefined) return { exitCode: 0, message: `digest OK (${expected})` };

  let key: KeyObject;
  try {
    key = ed25519Public(opts.publicKeyPem);
  } catch (err) {
    return { exitCode: 2, message: `cannot use the verify key: ${(err as Error).message}` };
  }
  const sig = report.signature;
  if (!sig || typeof sig !== 'object') {
    return {
      exitCode: 1,
      message: 'the report is not signed: sign it with fhir-certify run --sign-key <private key pem>.',
    };
  }
  if (sig.alg !== 'Ed25519' || typeof sig.value !== 'string') {
    return {
      exitCode: 1,
      message: `unsupported signature (alg ${String(sig.alg)}): fhir-certify signs with Ed25519.`,
    };
  }
  const fingerprint = publicKeyFingerprint(key);
  if (sig.publicKeyFingerprint !== fingerprint) {
    return {
      exitCode: 1,
      message: `signed by another key (${String(sig.publicKeyFingerprint)}), not by the given key (${fingerprint}): check you passed the signer's public key.`,
    };
  }
  let valid: boolean;
  try {
    valid = verify(null, Buffer.from(report.digest, 'utf8'), key, Buffer.from(sig.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    return {
      exitCode: 1,
      message:
        'the signature does not match the digest: the signature was altered or made for another report.',
    };
  }
  return { exitCode: 0, message: `digest OK (${expected}); Ed25519 signature OK (key ${fingerprint})` };
}

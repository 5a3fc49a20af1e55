/**
 * A throw-away PKI for serving the reference partner over HTTPS: a CA and a server certificate for
 * 127.0.0.1, ::1 and localhost, made in-process with @peculiar/x509 over Node's WebCrypto, so the
 * demo and `serve-reference --tls` need nothing but Node (no openssl binary). The CA's PEM is written
 * to a file so that a run can be given `--ca <file>`; the CA's private key is never kept, so nobody
 * can issue another certificate from it, and the server key stays in memory and in a directory only
 * the user can read.
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as X509Module from '@peculiar/x509';

/** Loaded on first use: only the demo and `serve-reference --tls` need it, and it needs a Reflect polyfill. */
async function loadX509(): Promise<typeof X509Module> {
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

export interface TestPki {
  /** PEM of the CA certificate: what `--ca` trusts. */
  caCert: string;
  /** Where caCert is written. */
  caPath: string;
  /** PEM key and certificate of the server, for `startReferencePartner({ tls })`. */
  key: string;
  cert: string;
  dir: string;
  /** Removes the directory. */
  dispose(): void;
}

export interface TestPkiOptions {
  /** Extra DNS names for the server certificate (127.0.0.1, ::1 and localhost are always in). */
  hosts?: string[];
  days?: number;
  /** Default: a new directory under the system temp dir. */
  dir?: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

function serial(): string {
  // A positive 64-bit serial: the top bit clear so DER never needs a sign byte.
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const x509 = await loadX509();
  const crypto = webcrypto;
  // x509's types name the DOM's Crypto, which a Node-only build does not load; Node's webcrypto is that API.
  x509.cryptoProvider.set(crypto as never);
  const notBefore = new Date(Date.now() - 60_000); // a minute of clock skew between client and server
  const notAfter = new Date(Date.now() + (options.days ?? 30) * DAY_MS);

  const caKeys = await crypto.subtle.generateKey(EC, false, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=fhir-certify test CA',
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const serverKeys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const names = [
    { type: 'dns' as const, value: 'localhost' },
    { type: 'ip' as const, value: '127.0.0.1' },
    { type: 'ip' as const, value: '::1' },
    ...(options.hosts ?? []).map((h) => ({ type: 'dns' as const, value: h })),
  ];
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names),
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const key = x509.PemConverter.encode(
    await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey),
    'PRIVATE KEY',
  );

  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fhir-certify-tls-'));
  const caCert = ca.toString('pem');
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, `${caCert}\n`);
  writeFileSync(join(dir, 'server.key'), `${key}\n`, { mode: 0o600 });
  const cert = server.toString('pem');
  writeFileSync(join(dir, 'server.pem'), `${cert}\n`);
  return {
    caCert: `${caCert}\n`,
    caPath,
    key: `${key}\n`,
    cert: `${cert}\n`,
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

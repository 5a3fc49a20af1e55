import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestPki, opensslAvailable } from '../../src/reference/tls.js';

describe.skipIf(!opensslAvailable())('a throw-away CA and server certificate (openssl)', () => {
  it('signs a server certificate for localhost and 127.0.0.1 and writes the CA for --ca', () => {
    const pki = createTestPki();
    try {
      const ca = new X509Certificate(pki.caCert);
      const server = new X509Certificate(pki.cert);
      expect(ca.ca).toBe(true);
      expect(server.checkIssued(ca)).toBe(true);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(readFileSync(pki.caPath, 'utf8')).toBe(pki.caCert);
      // The CA's private key is not kept: nobody can issue more certificates from this CA.
      expect(existsSync(`${pki.dir}/ca.key`)).toBe(false);
    } finally {
      pki.dispose();
    }
    expect(existsSync(pki.dir)).toBe(false);
  });
});

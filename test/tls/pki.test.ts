import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../src/reference-partner/tls.js';

describe('a throw-away CA and server certificate, made in-process', () => {
  it('signs a server certificate for localhost, 127.0.0.1 and ::1 and writes the CA for --ca', async () => {
    const pki = await createTestPki({ hosts: ['partner.test'] });
    try {
      const ca = new X509Certificate(pki.caCert);
      const server = new X509Certificate(pki.cert);
      expect(ca.ca).toBe(true);
      expect(server.ca).toBe(false);
      expect(server.checkIssued(ca)).toBe(true);
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(server.checkHost('localhost')).toBe('localhost');
      expect(server.checkHost('partner.test')).toBe('partner.test');
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(server.checkIP('::1')).toBe('::1');
      expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
      expect(readFileSync(pki.caPath, 'utf8')).toBe(pki.caCert);
      // The CA's private key is not kept: nobody can issue more certificates from this CA.
      expect(existsSync(`${pki.dir}/ca.key`)).toBe(false);
    } finally {
      pki.dispose();
    }
    expect(existsSync(pki.dir)).toBe(false);
  });

  it('needs no openssl program: made with PATH lacking it, its certificate passes a real HTTPS handshake', () => {
    // A child with no PATH at all: an openssl spawned there would not be found.
    const script = `
      import { createTestPki } from ${JSON.stringify(new URL('../../src/reference-partner/tls.ts', import.meta.url).href)};
      import { execFileSync } from 'node:child_process';
      let openssl = 'found';
      try { execFileSync('openssl', ['version'], { stdio: 'ignore' }); } catch { openssl = 'missing'; }
      const pki = await createTestPki();
      process.stdout.write(JSON.stringify({ openssl, ...pki }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { PATH: '/nonexistent-bin', HOME: process.env.HOME ?? '/' },
      encoding: 'utf8',
    });
    const pki = JSON.parse(out) as {
      openssl: string;
      key: string;
      cert: string;
      caCert: string;
      dir: string;
    };
    expect(pki.openssl).toBe('missing');
    return handshake(pki).finally(() => rmSync(pki.dir, { recursive: true, force: true }));
  });
});

async function handshake(pki: { key: string; cert: string; caCert: string }): Promise<void> {
  const server: Server = createServer({ key: pki.key, cert: pki.cert }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const get = (ca?: string): Promise<string> =>
      new Promise((resolve) => {
        request({ host: '127.0.0.1', port, ...(ca ? { ca } : {}) }, (res) => {
          res.resume();
          resolve(`${res.statusCode} ${(res.socket as TLSSocket).getProtocol() ?? ''}`);
        })
          .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
          .end();
      });
    expect(await get(pki.caCert)).toMatch(/^200 TLSv1\.[23]$/);
    // Not trusted without the CA: the certificate really is checked.
    expect(await get()).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

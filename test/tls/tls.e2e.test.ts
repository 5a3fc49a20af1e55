/**
 * SEC-01 and SEC-02 over real TLS on loopback: the reference partner served over HTTPS with a CA made
 * for this run. Trusted through --ca it passes; without --ca its certificate does not validate; and a
 * server that speaks only TLS 1.1 fails SEC-02 (when this platform's OpenSSL can still offer TLS 1.1).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { createTestPki, type TestPki } from '../../src/reference-partner/tls.js';
import { probeTls } from '../../src/transport/tls-probe.js';
import { rowsOf, runCli, statusOf } from '../helpers/cli.js';
import { certifyReference, expectNoCredentials, VERSIONS } from '../suites/security-run.js';

const LEGACY_ONLY = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Whether Node and its OpenSSL here can still complete a TLS 1.1 handshake, and why not. */
async function tls11Support(): Promise<{ ok: boolean; reason: string }> {
  const pki = await createTestPki();
  let server: Server | undefined;
  try {
    server = createServer({ key: pki.key, cert: pki.cert, ...LEGACY_ONLY }, (_req, res) => res.end());
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    const probe = await probeTls(
      { host: '127.0.0.1', port },
      { timeoutMs: 5000, offer: 'legacy', ca: pki.caCert },
    );
    return probe.protocol === 'TLSv1.1'
      ? { ok: true, reason: '' }
      : { ok: false, reason: `${probe.error?.code ?? 'no handshake'} ${probe.error?.message ?? ''}`.trim() };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    if (server) await close(server);
    pki.dispose();
  }
}

const tls11 = await tls11Support();

describe('SEC-01/SEC-02 over real HTTPS (a CA made for the run)', () => {
  let pki: TestPki;
  let partner: ReferencePartner;
  beforeAll(async () => {
    pki = await createTestPki();
    partner = await startReferencePartner({ tls: { key: pki.key, cert: pki.cert } });
  });
  afterAll(async () => {
    await partner?.close();
    pki?.dispose();
  });

  it.each(VERSIONS)(
    'with --ca the partner passes SEC-01 and SEC-02, and the run reaches it (%s)',
    async (version) => {
      const run = await certifyReference({
        partner,
        version,
        only: 'SEC,AUTH-01',
        extra: ['--ca', pki.caPath],
      });
      expect(partner.origin).toMatch(/^https:/);
      const sec01 = rowsOf(run.report, 'SEC-01');
      expect(sec01.map((r) => [r.subject, r.status])).toEqual([
        ['FHIR base URL', 'pass'],
        ['token URL', 'pass'],
      ]);
      const [tls, legacy] = rowsOf(run.report, 'SEC-02');
      expect(tls!.status, tls!.message).toBe('pass');
      expect(tls!.message).toMatch(
        /negotiated TLSv1\.[23] and its certificate \(CN=localhost\) validates against the system store and --ca/,
      );
      expect(tls!.subject).toMatch(/^127\.0\.0\.1:\d+ \(FHIR base URL, token URL\)$/);
      expect(tls!.evidence[0]!.note).toMatch(/issued by CN=fhir-certify test CA/);
      expect(legacy!.level).toBe('recommended');
      expect(legacy!.status, legacy!.message).toBe('pass');
      expect(statusOf(run.report, 'SEC-03')).toBe('pass');
      expect(statusOf(run.report, 'AUTH-01')).toBe('pass');
      expect(run.report!.notCertifiableReasons.join(' ')).not.toMatch(/insecure-http/);
      expectNoCredentials(run, [partner.clientSecret]);
    },
  );

  it('without --ca the certificate does not validate: SEC-02 fails and says how to fix it', async () => {
    const run = await certifyReference({ partner, version: 'stu3', only: 'SEC-02' });
    const [tls] = rowsOf(run.report, 'SEC-02');
    expect(tls!.status).toBe('fail');
    expect(tls!.message).toMatch(
      /certificate does not validate against the system store \(pass --ca <pem> for a private CA\): UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
    expect(run.report!.verdict).toBe('fail');
  });

  describe('a server limited to TLS 1.1', () => {
    let server: Server;
    let baseUrl: string;
    beforeAll(async () => {
      server = createServer({ key: pki.key, cert: pki.cert, ...LEGACY_ONLY }, (_req, res) => res.end());
      server.on('tlsClientError', () => undefined);
      baseUrl = `https://127.0.0.1:${await listen(server)}/fhir`;
    });
    afterAll(async () => {
      if (server) await close(server);
    });

    if (tls11.ok) {
      it('fails SEC-02 naming TLSv1.1, and the legacy-protocol row warns', async () => {
        const run = await runCli(['run', '--base-url', baseUrl, '--only', 'SEC-02', '--ca', pki.caPath]);
        const [tls, legacy] = rowsOf(run.report, 'SEC-02');
        expect(tls!.status).toBe('fail');
        expect(tls!.message).toMatch(/speaks only TLSv1\.1; TLS 1\.2 or newer is required/);
        expect(legacy!.status).toBe('warn');
        expect(legacy!.message).toMatch(/still accepts TLSv1\.1/);
        expect(run.code).toBe(1);
      });
    } else {
      it.skip(`TLS 1.1 cannot be offered on this platform: ${tls11.reason}`, () => undefined);
    }
  });
});

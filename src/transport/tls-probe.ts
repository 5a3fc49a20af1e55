/**
 * A real TLS handshake with a partner host, outside the HTTP client, so the run can say which protocol
 * was negotiated and whether the certificate validates (against the system store plus the run's extra
 * CA, exactly as src/http/client.ts trusts them) instead of only "the request failed".
 */
import { isIP } from 'node:net';
import { connect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';

export interface TlsTarget {
  host: string;
  port: number;
}

export interface TlsProbeOptions {
  /** PEM of an extra trusted CA, added to the system store. */
  ca?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * `current` is what a client of today sends (Node's defaults: TLS 1.2 or 1.3, default ciphers and
   * security level), so its verdict on the certificate is the one the app would reach; `legacy` offers
   * only TLS 1.0 and 1.1, to learn whether the server still speaks them.
   */
  offer?: 'current' | 'legacy';
}

export interface TlsProbeResult {
  target: TlsTarget;
  /** `TLSv1.3`… when the handshake completed. */
  protocol?: string;
  cipher?: string;
  /** The certificate chains to a trusted CA and names the host. */
  authorized?: boolean;
  /** OpenSSL's or Node's code, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  authorizationError?: string;
  certificate?: { subject?: string; issuer?: string; validTo?: string };
  /** Set when no handshake completed. */
  error?: { code: string; message: string };
  startedAt: string;
  totalMs: number;
}

export function tlsTargetOf(url: string): TlsTarget | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ? Number(parsed.port) : 443 };
}

export function probeTls(target: TlsTarget, options: TlsProbeOptions): Promise<TlsProbeResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const legacy = options.offer === 'legacy';
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({
      host: target.host,
      port: target.port,
      // SNI carries host names only (RFC 6066 §3).
      ...(isIP(target.host) ? {} : { servername: target.host }),
      ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
      // Validation is judged from `authorized`, so the handshake is allowed to complete either way.
      rejectUnauthorized: false,
      // Security level 0 lets OpenSSL 3 speak TLS 1.0/1.1 at all; the probe sends no data.
      ...(legacy ? { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
    });
    let settled = false;
    const finish = (result: Omit<TlsProbeResult, 'target' | 'startedAt' | 'totalMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ target, startedAt, totalMs: Math.round(performance.now() - t0), ...result });
    };
    const onAbort = (): void => finish({ error: { code: 'aborted', message: 'the run was aborted' } });
    const timer = setTimeout(
      () =>
        finish({ error: { code: 'timeout', message: `no TLS handshake within ${options.timeoutMs} ms` } }),
      options.timeoutMs,
    );
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const s = socket;
      const cert = s.getPeerCertificate();
      finish({
        protocol: s.getProtocol() ?? undefined,
        cipher: s.getCipher()?.name,
        authorized: s.authorized,
        ...(s.authorizationError ? { authorizationError: String(s.authorizationError) } : {}),
        ...(cert && Object.keys(cert).length ? { certificate: describeCertificate(cert) } : {}),
      });
    });
    socket.once('error', (err: Error & { code?: string }) =>
      finish({ error: { code: err.code ?? 'tls', message: err.message.split('\n')[0]!.slice(0, 300) } }),
    );
  });
}

function describeCertificate(cert: PeerCertificate): { subject?: string; issuer?: string; validTo?: string } {
  const name = (n: PeerCertificate['subject'] | undefined): string | undefined => {
    const cn = n?.CN;
    return Array.isArray(cn) ? cn.join(', ') : cn;
  };
  return {
    ...(name(cert.subject) ? { subject: name(cert.subject) } : {}),
    ...(name(cert.issuer) ? { issuer: name(cert.issuer) } : {}),
    ...(cert.valid_to ? { validTo: cert.valid_to } : {}),
  };
}

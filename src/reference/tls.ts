/**
 * A throw-away PKI for serving the reference partner over HTTPS: a CA and a server certificate for
 * 127.0.0.1, ::1 and localhost, made with the `openssl` command line (present on every CI image we use;
 * Node can verify certificates but not issue them). The CA's PEM is written to a file so that a run can
 * be given `--ca <file>`; the private keys stay in memory and in a directory only the user can read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function createTestPki(options: TestPkiOptions = {}): TestPki {
  if (!opensslAvailable()) {
    throw new Error(
      'the openssl command is needed to make a test certificate (Debian: apt-get install openssl)',
    );
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fhir-certify-tls-'));
  const days = String(options.days ?? 30);
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req', '-x509', ...ec, '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', days,
    '-subj', '/CN=fhir-certify test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ); // prettier-ignore
  openssl('req', ...ec, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=localhost');
  const names = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', ...(options.hosts ?? []).map((h) => `DNS:${h}`)];
  writeFileSync(
    path('server.ext'),
    [
      `subjectAltName=${names.join(',')}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n'),
  );
  openssl(
    'x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'),
    '-CAcreateserial', '-out', path('server.pem'), '-days', days, '-extfile', path('server.ext'),
  ); // prettier-ignore
  // Only the CA certificate and the server's key and certificate are needed from here on.
  rmSync(path('ca.key'));
  rmSync(path('server.csr'));
  return {
    caCert: readFileSync(path('ca.pem'), 'utf8'),
    caPath: path('ca.pem'),
    key: readFileSync(path('server.key'), 'utf8'),
    cert: readFileSync(path('server.pem'), 'utf8'),
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

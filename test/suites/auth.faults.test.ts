/**
 * AUTH against the reference partner: conformant, it passes every automatable row in both versions;
 * with the fault named after a requirement switched on, that requirement's row fails (warns when it is
 * recommended). Expiry (AUTH-09) and rotation (AUTH-10) are automated here the way a user would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference/index.js';
import { rotateSecret } from '../../src/reference/rotate.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import { certifyReference, expectNoCredentials, VERSIONS } from './security-run.js';

const partners: ReferencePartner[] = [];
async function partner(options: Parameters<typeof startReferencePartner>[0] = {}): Promise<ReferencePartner> {
  const p = await startReferencePartner(options);
  partners.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(partners.splice(0).map((p) => p.close()));
});

/** For concurrent tests, which must not close each other's partner in a shared afterEach. */
async function withPartner<T>(
  options: Parameters<typeof startReferencePartner>[0],
  use: (p: ReferencePartner) => Promise<T>,
): Promise<T> {
  const p = await startReferencePartner(options);
  try {
    return await use(p);
  } finally {
    await p.close();
  }
}

const AUTOMATED = [
  'AUTH-01',
  'AUTH-02',
  'AUTH-03',
  'AUTH-04',
  'AUTH-05',
  'AUTH-06',
  'AUTH-07',
  'AUTH-08',
  'AUTH-11',
];

describe.each(VERSIONS)('AUTH on the conformant reference partner (%s)', (version) => {
  it('passes every automatable row; expiry and rotation are left to a reviewer', async () => {
    const p = await partner();
    const run = await certifyReference({ partner: p, version, only: 'AUTH' });
    for (const id of AUTOMATED) expect(statusOf(run.report, id), id).toBe('pass');
    expect(statusOf(run.report, 'AUTH-09')).toBe('manual');
    expect(rowsOf(run.report, 'AUTH-09')[0]!.message).toMatch(/--max-expiry-wait/);
    expect(statusOf(run.report, 'AUTH-10')).toBe('manual');
    expect(rowsOf(run.report, 'AUTH-07')[0]!.message).toMatch(/WWW-Authenticate: Bearer/);
    expect(rowsOf(run.report, 'AUTH-05').map((r) => r.subject)).toEqual([
      'grant_type missing',
      'grant_type=password',
    ]);
    expectNoCredentials(run, [p.clientSecret]);
  });
});

const faults: Array<{ fault: string; expect: 'fail' | 'warn'; message: RegExp }> = [
  { fault: 'AUTH-01', expect: 'fail', message: /token_type is "MAC"/ },
  { fault: 'AUTH-02', expect: 'warn', message: /Cache-Control: no-store/ },
  { fault: 'AUTH-03', expect: 'fail', message: /wrong client_secret got HTTP 200 with an access_token/ },
  { fault: 'AUTH-04', expect: 'fail', message: /unknown client_id got HTTP 200/ },
  { fault: 'AUTH-05', expect: 'fail', message: /grant_type/ },
  { fault: 'AUTH-06', expect: 'warn', message: /exp is \d+ s away/ },
  { fault: 'AUTH-07', expect: 'fail', message: /without an Authorization header answered HTTP 200/ },
  { fault: 'AUTH-08', expect: 'fail', message: /answered HTTP 200/ },
  { fault: 'AUTH-11', expect: 'fail', message: /echo the client secret/ },
];

describe.each(faults.flatMap((f) => VERSIONS.map((version) => ({ ...f, version }))))(
  'reference partner with fault $fault ($version)',
  ({ fault, expect: expected, message, version }) => {
    it(`${fault} is ${expected}`, async () => {
      const p = await partner({ faults: [fault] });
      const run = await certifyReference({ partner: p, version, only: 'AUTH' });
      expect(statusOf(run.report, fault)).toBe(expected);
      const bad = rowsOf(run.report, fault).filter((r) => r.status === expected);
      expect(bad.map((r) => r.message).join(' | ')).toMatch(message);
      expect(bad.every((r) => r.evidence.length > 0)).toBe(true);
      // The fault breaks its own requirement and no other AUTH row.
      for (const id of AUTOMATED.filter((a) => a !== fault)) {
        expect(['pass', 'skip'], `${id} under ${fault}`).toContain(statusOf(run.report, id));
      }
      expect(run.code).toBe(1 - (expected === 'warn' ? 1 : 0));
      expectNoCredentials(run, [p.clientSecret]);
    });
  },
);

describe.each(VERSIONS)('AUTH-09 automated with --max-expiry-wait (%s)', (version: FhirVersion) => {
  it.concurrent('an expired token gets 401 on the conformant partner; the row is required', async () => {
    const { run, secret } = await withPartner({ tokenTtlSeconds: 2 }, async (p) => ({
      run: await certifyReference({
        partner: p,
        version,
        only: 'AUTH-09',
        extra: ['--max-expiry-wait', '10'],
      }),
      secret: p.clientSecret,
    }));
    const [row] = rowsOf(run.report, 'AUTH-09');
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.level).toBe('required');
    expect(row!.message).toMatch(/after its expires_in \(2 s\) ran out got HTTP 401/);
    expectNoCredentials(run, [secret]);
  });
  it.concurrent('fault AUTH-09: an expired token still reaching data fails a required row', async () => {
    const run = await withPartner({ tokenTtlSeconds: 2, faults: ['AUTH-09'] }, (p) =>
      certifyReference({ partner: p, version, only: 'AUTH-09', extra: ['--max-expiry-wait', '10'] }),
    );
    const [row] = rowsOf(run.report, 'AUTH-09');
    expect(row!.status).toBe('fail');
    expect(row!.level).toBe('required');
    expect(row!.message).toMatch(/answered HTTP 200.*expected 401/);
    expect(run.report!.verdict).toBe('fail');
  });
});

describe.each(VERSIONS)('AUTH-10 automated with --rotated-secret-env (%s)', (version) => {
  const NEW = 'rotated-Secret-0123456789abcdef';

  it('after a rotation the old secret is refused and the run works with the new one', async () => {
    const p = await partner();
    const old = p.clientSecret;
    await rotateSecret(p, NEW);
    const run = await certifyReference({
      partner: p,
      version,
      only: 'AUTH,ROUTE-01',
      extra: ['--rotated-secret-env', 'NEW_SECRET'],
      env: { FHIR_CERTIFY_CLIENT_SECRET: old, NEW_SECRET: NEW },
    });
    const [row] = rowsOf(run.report, 'AUTH-10');
    expect(row!.status, row!.message).toBe('pass');
    expect(row!.level).toBe('required');
    expect(row!.message).toMatch(
      /old secret \(FHIR_CERTIFY_CLIENT_SECRET\) was refused with HTTP 401 error=invalid_client/,
    );
    expect(statusOf(run.report, 'AUTH-01')).toBe('pass');
    expect(rowsOf(run.report, 'AUTH-01')[0]!.message).toMatch(/with the rotated secret/);
    expect(statusOf(run.report, 'ROUTE-01')).toBe('pass');
    expectNoCredentials(run, [old, NEW]);
  });

  it('fault AUTH-10: the old secret still working after the rotation fails', async () => {
    const p = await partner({ faults: ['AUTH-10'] });
    const old = p.clientSecret;
    await rotateSecret(p, NEW);
    const run = await certifyReference({
      partner: p,
      version,
      only: 'AUTH-10',
      extra: ['--rotated-secret-env', 'NEW_SECRET'],
      env: { FHIR_CERTIFY_CLIENT_SECRET: old, NEW_SECRET: NEW },
    });
    const [row] = rowsOf(run.report, 'AUTH-10');
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/old secret .* got HTTP 200 with an access_token/);
    expectNoCredentials(run, [old, NEW]);
  });

  it('a rotation announced but not performed fails AUTH-10 and the run carries on with the old secret', async () => {
    const p = await partner();
    const run = await certifyReference({
      partner: p,
      version,
      only: 'AUTH-01,AUTH-10,ROUTE-01',
      extra: ['--rotated-secret-env', 'NEW_SECRET'],
      env: { NEW_SECRET: NEW },
    });
    const [row] = rowsOf(run.report, 'AUTH-10');
    expect(row!.status).toBe('fail');
    expect(row!.message).toMatch(/the rotation has not happened at the partner/);
    expect(statusOf(run.report, 'AUTH-01')).toBe('pass');
    expect(rowsOf(run.report, 'AUTH-01')[0]!.message).toMatch(/original secret/);
    expect(statusOf(run.report, 'ROUTE-01')).toBe('pass');
    expectNoCredentials(run, [p.clientSecret, NEW]);
  });
});

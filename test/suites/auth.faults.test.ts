/**
 * AUTH against the reference partner: conformant, it passes every automatable row in both versions;
 * with the fault named after a requirement switched on, that requirement's row fails (warns when it is
 * recommended). Expiry (AUTH-09) and rotation (AUTH-10) are automated here the way a user would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { rotateSecret } from '../../src/reference-partner/rotate.js';
import type { FhirVersion } from '../../src/core/fhir-version.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import {
  expectedStatus,
  expectEveryFaultSaysItsRow,
  expectEveryRequirementFaulted,
  faultsOf,
  familyRequirements,
} from './family-faults.js';
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

/** Requirements a run automates only when told how (expiry wait, rotated secret): tested below. */
const OWN_TESTS: Record<string, string> = {
  'AUTH-09': 'AUTH-09 automated with --max-expiry-wait',
  'AUTH-10': 'AUTH-10 automated with --rotated-secret-env',
};
const AUTOMATED = familyRequirements('AUTH').filter((id) => !(id in OWN_TESTS));

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

describe('the AUTH fault tests', () => {
  it('cover every AUTH requirement of the catalogue, each with a fault', () => {
    expectEveryRequirementFaulted('AUTH');
    expectEveryFaultSaysItsRow('AUTH', Object.keys(OWN_TESTS));
  });
});

const automatedFaults = faultsOf('AUTH').filter((f) => !(f.requirement in OWN_TESTS));

describe.each(
  automatedFaults.flatMap((f) => VERSIONS.map((version) => ({ fault: f.name, message: f.rowSays, version }))),
)('reference partner with fault $fault ($version)', ({ fault, message, version }) => {
  const expected = expectedStatus(fault);
  it(`${fault} is ${expected}`, async () => {
    expect(message, `no rowSays for ${fault}`).toBeDefined();
    const p = await partner({ faults: [fault] });
    const run = await certifyReference({ partner: p, version, only: 'AUTH' });
    expect(statusOf(run.report, fault)).toBe(expected);
    const bad = rowsOf(run.report, fault).filter((r) => r.status === expected);
    expect(bad.map((r) => r.message).join(' | ')).toMatch(message!);
    expect(bad.every((r) => r.evidence.length > 0)).toBe(true);
    // The fault breaks its own requirement and no other AUTH row.
    for (const id of AUTOMATED.filter((a) => a !== fault)) {
      expect(['pass', 'skip'], `${id} under ${fault}`).toContain(statusOf(run.report, id));
    }
    expect(run.code).toBe(1 - (expected === 'warn' ? 1 : 0));
    expectNoCredentials(run, [p.clientSecret]);
  });
});

describe.each(VERSIONS)(`${OWN_TESTS['AUTH-09']} (%s)`, (version: FhirVersion) => {
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

describe.each(VERSIONS)(`${OWN_TESTS['AUTH-10']} (%s)`, (version) => {
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

/**
 * SEC over plain http against the reference partner: SEC-01 fails whatever else passes, SEC-02 has no
 * TLS to judge, SEC-03 passes on the conformant partner and warns on the SEC-03 fault (stack traces in
 * error OperationOutcomes). The TLS side of SEC-01/SEC-02 is tested over real HTTPS in test/tls/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferencePartner, type ReferencePartner } from '../../src/reference-partner/index.js';
import { rowsOf, statusOf } from '../helpers/cli.js';
import {
  expectedStatus,
  expectEveryFaultSaysItsRow,
  expectEveryRequirementFaulted,
  faultsOf,
} from './family-faults.js';
import { certifyReference, expectNoCredentials, VERSIONS } from './security-run.js';

let p: ReferencePartner | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

describe('the SEC fault tests', () => {
  it('cover every SEC requirement: a fault, or the reason it has none', () => {
    expectEveryRequirementFaulted('SEC');
    expectEveryFaultSaysItsRow('SEC');
  });
});

describe.each(VERSIONS)('SEC on the reference partner over http (%s)', (version) => {
  it('SEC-01 fails for both URLs and says the run is not certifiable; SEC-02 is n/a; SEC-03 passes', async () => {
    p = await startReferencePartner();
    const run = await certifyReference({ partner: p, version, only: 'SEC' });
    const sec01 = rowsOf(run.report, 'SEC-01');
    expect(sec01.map((r) => [r.subject, r.status])).toEqual([
      ['FHIR base URL', 'fail'],
      ['token URL', 'fail'],
    ]);
    expect(sec01[0]!.message).toMatch(
      /is http, not https \(--allow-insecure-http was given, so this run is not certifiable/,
    );
    expect(rowsOf(run.report, 'SEC-02').every((r) => r.status === 'na')).toBe(true);
    const sec03 = rowsOf(run.report, 'SEC-03');
    expect(sec03.map((r) => r.subject)).toEqual([
      'unknown id',
      'bad search',
      'unknown type',
      'no token',
      'token error',
    ]);
    expect(statusOf(run.report, 'SEC-03')).toBe('pass');
    // The errors were provoked with a token, as the app meets them.
    expect(sec03[0]!.message).toMatch(/404 with an OperationOutcome/);
    expect(run.report!.certifiable).toBe(false);
    expect(run.report!.verdict).toBe('fail');
    expectNoCredentials(run, [p.clientSecret]);
  });

  it.each(faultsOf('SEC'))('fault $name fails (or warns on) its own row and says why', async (fault) => {
    p = await startReferencePartner({ faults: [fault.name] });
    const run = await certifyReference({ partner: p, version, only: fault.requirement });
    const rows = rowsOf(run.report, fault.requirement);
    const expected = expectedStatus(fault.requirement);
    expect(statusOf(run.report, fault.requirement)).toBe(expected);
    const broken = rows.filter((r) => r.status === expected);
    expect(broken[0]!.message).toMatch(fault.rowSays!);
    expect(broken.every((r) => r.evidence.length === 1)).toBe(true);
    expectNoCredentials(run, [p.clientSecret]);
  });

  it('fault SEC-03: every provoked error that leaks a stack frame warns', async () => {
    p = await startReferencePartner({ faults: ['SEC-03'] });
    const run = await certifyReference({ partner: p, version, only: 'SEC-03' });
    expect(rowsOf(run.report, 'SEC-03').filter((r) => r.status === 'warn').length).toBeGreaterThanOrEqual(3);
  });
});

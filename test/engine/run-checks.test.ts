import { describe, expect, it } from 'vitest';
import { fail, pass, type Check } from '../../src/engine/check.js';
import { selectChecks } from '../../src/engine/select.js';
import { readOnlyBy } from '../../src/engine/state.js';
import { runTestChecks } from '../helpers/engine.js';

const ok = (id: string, requirement: string, requires?: string[]): Check => ({
  id,
  requirement,
  title: id,
  ...(requires ? { requires } : {}),
  run: async () => pass('fine'),
});

describe('the check engine', () => {
  it('skips the dependants of a failed prerequisite and names it', async () => {
    const { rows } = await runTestChecks([
      { id: 'a', requirement: 'META-01', title: 'first', run: async () => fail('broken') },
      ok('b', 'META-02', ['a']),
      ok('c', 'META-03', ['b']),
      ok('d', 'META-04'),
    ]);
    expect(rows.map((r) => r.status)).toEqual(['fail', 'skip', 'skip', 'pass']);
    expect(rows[1]!.message).toMatch(/prerequisite META-01 \(first\) failed/);
    expect(rows[2]!.message).toMatch(/prerequisite META-02 .* was skipped/);
  });

  it('after a diagnosis, skips what it takes away naming the cause, and still runs what it leaves', async () => {
    const { rows } = await runTestChecks([
      {
        id: 'token',
        requirement: 'AUTH-01',
        title: 'finds refused credentials',
        run: async (ctx) => {
          ctx.state.diagnosis = {
            kind: 'credentials-refused',
            message: 'the partner refused these credentials',
            requirement: 'AUTH-01',
          };
          return fail('invalid_client');
        },
      },
      { ...ok('grant', 'AUTH-05'), needs: ['token-endpoint', 'credentials'] },
      ok('data', 'ROUTE-01', ['token']),
      ok('isolation', 'ROUTE-02', ['data']),
      ok('refusal', 'AUTH-03'),
      ok('metadata', 'META-01'),
    ]);
    expect(rows.map((r) => `${r.id}=${r.status}`)).toEqual([
      'token=fail',
      'grant=skip',
      'data=skip',
      'isolation=skip',
      'refusal=pass',
      'metadata=pass',
    ]);
    // Named by the cause, also two prerequisites away from the check that found it.
    for (const row of rows.slice(1, 4)) {
      expect(row.message).toBe('skipped (AUTH-01): the partner refused these credentials');
    }
  });

  it('an unreachable partner takes everything but what needs no answer, and keeps the handshake for TLS', async () => {
    const unreachable = (cause: string): Check => ({
      id: 'meta',
      requirement: 'META-01',
      title: 'metadata',
      run: async (ctx) => {
        ctx.state.diagnosis = {
          kind: 'unreachable',
          message: 'could not reach h:443',
          requirement: 'META-01',
          cause,
        };
        return fail('no answer');
      },
    });
    const after = [
      { ...ok('scheme', 'SEC-01'), needs: [] },
      { ...ok('handshake', 'SEC-02'), needs: ['connection' as const] },
      ok('no-token', 'AUTH-07'),
    ];
    const dns = await runTestChecks([unreachable('dns'), ...after]);
    expect(dns.rows.map((r) => r.status)).toEqual(['fail', 'pass', 'skip', 'skip']);
    const tls = await runTestChecks([unreachable('tls'), ...after]);
    expect(tls.rows.map((r) => r.status)).toEqual(['fail', 'pass', 'pass', 'skip']);
  });

  it('drops state only some checks read once none of them is left to run, and not before', async () => {
    const seen: string[] = [];
    const look = (id: string, requirement: string): Check => ({
      id,
      requirement,
      title: id,
      run: async (ctx) => {
        seen.push(`${id}:${ctx.state.capability === undefined ? 'gone' : 'held'}`);
        return pass('looked');
      },
    });
    await runTestChecks([
      {
        id: 'store',
        requirement: 'META-01',
        title: 'stores',
        run: async (ctx) => {
          ctx.state.capability = { resourceType: 'CapabilityStatement' };
          readOnlyBy(ctx.state, 'capability', new Set(['store', 'meta']));
          return pass('stored');
        },
      },
      look('auth', 'AUTH-01'),
      // A reader runs after a check that does not read it: the field is still there for the reader.
      look('meta', 'META-02'),
      look('after', 'ROUTE-01'),
    ]);
    expect(seen).toEqual(['auth:held', 'meta:held', 'after:gone']);
  });

  it('turns a thrown error into an error row for that check only, with the secret masked', async () => {
    const { rows } = await runTestChecks([
      {
        id: 'boom',
        requirement: 'AUTH-01',
        title: 'throws',
        run: async () => {
          throw new Error('cannot parse body {"client_secret":"abc123xyz"}');
        },
      },
      ok('after', 'AUTH-02'),
    ]);
    expect(rows[0]!.status).toBe('error');
    expect(rows[0]!.message).toMatch(/could not complete/);
    expect(rows[0]!.message).not.toContain('abc123xyz');
    expect(rows[1]!.status).toBe('pass');
  });

  it('reports a failed recommended requirement as a warning', async () => {
    const { rows } = await runTestChecks([
      { id: 'w', requirement: 'META-05', title: 't', run: async () => fail('no') },
    ]);
    expect(rows[0]!.status).toBe('warn');
    expect(rows[0]!.level).toBe('recommended');
  });

  it('makes one row per subject with unique ids', async () => {
    const { rows } = await runTestChecks([
      {
        id: 'multi',
        requirement: 'META-07',
        title: 't',
        run: async () => [pass('a', { subject: 'Observation' }), fail('b', { subject: 'Coverage' })],
      },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['multi#Observation', 'multi#Coverage']);
    expect(rows.map((r) => r.status)).toEqual(['pass', 'warn']);
  });

  it('finishes when the whole-run timeout strikes, with the rest as errors', async () => {
    const hang: Check = {
      id: 'hang',
      requirement: 'LAT-01',
      title: 'hangs',
      run: () => new Promise(() => undefined),
    };
    const { rows, timedOut } = await runTestChecks([hang, ok('later', 'LAT-02')], { runTimeoutMs: 200 });
    expect(timedOut).toBe(true);
    expect(rows.map((r) => r.status)).toEqual(['error', 'error']);
    expect(rows[0]!.message).toMatch(/whole-run timeout/);
  });
});

describe('selecting checks with --only', () => {
  const all = [
    ok('m1', 'META-01'),
    ok('m4', 'META-04', ['m1']),
    ok('a1', 'AUTH-01', ['m4']),
    ok('r1', 'ROUTE-01', ['a1']),
  ];
  it('keeps the matching checks and their prerequisites, in order', () => {
    expect(selectChecks(all, ['AUTH']).map((c) => c.id)).toEqual(['m1', 'm4', 'a1']);
    expect(selectChecks(all, undefined)).toHaveLength(4);
  });
  it('refuses a prerequisite that does not exist', () => {
    expect(() => selectChecks([ok('x', 'META-01', ['nope'])], undefined)).toThrow(/unknown check nope/);
  });
  it('adds a check that records the target once what it reads is fetched', () => {
    const withTarget = [
      ...all.slice(0, 1),
      { ...ok('m2', 'META-02', ['m1']), recordsTarget: true },
      ...all.slice(1),
    ];
    expect(selectChecks(withTarget, ['AUTH']).map((c) => c.id)).toEqual(['m1', 'm2', 'm4', 'a1']);
    // Nothing fetches the capability statement for ROUTE alone here: no metadata, nothing to record.
    const noMeta = [{ ...ok('m2', 'META-02', ['m1']), recordsTarget: true }, ok('x', 'ROUTE-05')];
    expect(selectChecks([ok('m1', 'META-01'), ...noMeta], ['ROUTE']).map((c) => c.id)).toEqual(['x']);
  });
});

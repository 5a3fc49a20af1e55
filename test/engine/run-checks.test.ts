import { describe, expect, it } from 'vitest';
import { defineCheck, fail, pass, type Check } from '../../src/engine/check.js';
import { collection, fact, optional, runCache, type Fact } from '../../src/engine/facts.js';
import { orderChecks, selectChecks } from '../../src/engine/select.js';
import { runTestChecks } from '../helpers/engine.js';

/** One made-up fact per check id: "what check <id> found out". */
const known = new Map<string, Fact<true>>();
const factOf = (id: string): Fact<true> => {
  if (!known.has(id)) known.set(id, fact<true>(`what ${id} found`));
  return known.get(id)!;
};

/** A check that passes, provides its own fact, and uses the facts of `after`. */
const ok = (id: string, requirement: string, after: string[] = []): Check =>
  defineCheck({
    id,
    requirement,
    uses: Object.fromEntries(after.map((dep) => [dep, factOf(dep)])),
    provides: [factOf(id)],
    async run(ctx) {
      ctx.provide(factOf(id), true);
      return pass('fine');
    },
  });

/** The same, failing. */
const broken = (id: string, requirement: string): Check =>
  defineCheck({ id, requirement, provides: [factOf(id)], run: async () => fail('broken') });

describe('the check engine', () => {
  it('skips the dependants of a failed prerequisite and names it', async () => {
    const { rows } = await runTestChecks([
      broken('a', 'META-01'),
      ok('b', 'META-02', ['a']),
      ok('c', 'META-03', ['b']),
      ok('d', 'META-04'),
    ]);
    expect(rows.map((r) => r.status)).toEqual(['fail', 'skip', 'skip', 'pass']);
    expect(rows[1]!.message).toMatch(/prerequisite META-01 \(GET metadata without Authorization .*\) failed/);
    expect(rows[2]!.message).toMatch(/prerequisite META-02 .* was skipped/);
  });

  it('after a diagnosis, skips what it takes away naming the cause, and still runs what it leaves', async () => {
    const { rows } = await runTestChecks([
      defineCheck({
        id: 'token',
        requirement: 'AUTH-01',
        provides: [factOf('token')],
        run: async (ctx) => {
          ctx.diagnose({
            kind: 'credentials-refused',
            message: 'the partner refused these credentials',
            requirement: 'AUTH-01',
          });
          return fail('invalid_client');
        },
      }),
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
    const unreachable = (cause: string): Check =>
      defineCheck({
        id: 'meta',
        requirement: 'META-01',
        run: async (ctx) => {
          ctx.diagnose({
            kind: 'unreachable',
            message: 'could not reach h:443',
            requirement: 'META-01',
            cause,
          });
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

  it('forgets a fact once no check left uses it, and not before; keeps a fact marked for the report', async () => {
    const big = fact<{ size: number }>('a large answer');
    const target = fact<string>('what the report names', { keep: true });
    const metaCache = runCache<{ hits: number }>('a cache the META checks name', () => ({ hits: 0 }));
    const runLong = runCache<{ hits: number }>('a cache no check names', () => ({ hits: 0 }));
    const seen: unknown[] = [];
    const quiet = (id: string, requirement: string): Check =>
      defineCheck({ id, requirement, run: async () => pass('did not look') });
    const { facts } = await runTestChecks([
      defineCheck({
        id: 'store',
        requirement: 'META-01',
        provides: [big, target],
        async run(ctx) {
          ctx.provide(big, { size: 20 << 20 });
          ctx.provide(target, 'kept');
          ctx.cached(metaCache).hits += 1;
          ctx.cached(runLong).hits += 1;
          return pass('stored');
        },
      }),
      quiet('auth', 'AUTH-01'),
      // A reader after a check that does not read it: the fact is still there for the reader.
      defineCheck({
        id: 'meta',
        requirement: 'META-02',
        uses: { big, metaCache },
        async run(_ctx, given) {
          seen.push(given.big, given.metaCache.hits);
          return pass('looked');
        },
      }),
      quiet('after', 'ROUTE-01'),
    ]);
    expect(seen).toEqual([{ size: 20 << 20 }, 1]);
    expect(facts.peek(big)).toBeUndefined();
    expect(facts.peek(target)).toBe('kept');
    // Forgotten after the last check that names it (asking again makes a new one); the other lives on.
    expect(facts.shared(metaCache).hits).toBe(0);
    expect(facts.shared(runLong).hits).toBe(1);
  });

  it('turns a thrown error into an error row for that check only, with the secret masked', async () => {
    const { rows } = await runTestChecks([
      defineCheck({
        id: 'boom',
        requirement: 'AUTH-01',
        run: async () => {
          throw new Error('cannot parse body {"client_secret":"abc123xyz"}');
        },
      }),
      ok('after', 'AUTH-02'),
    ]);
    expect(rows[0]!.status).toBe('error');
    expect(rows[0]!.message).toMatch(/could not complete/);
    expect(rows[0]!.message).not.toContain('abc123xyz');
    expect(rows[1]!.status).toBe('pass');
  });

  it('reports a failed recommended requirement as a warning', async () => {
    const { rows } = await runTestChecks([
      defineCheck({ id: 'w', requirement: 'META-05', run: async () => fail('no') }),
    ]);
    expect(rows[0]!.status).toBe('warn');
    expect(rows[0]!.level).toBe('recommended');
  });

  it('makes one row per subject with unique ids', async () => {
    const { rows } = await runTestChecks([
      defineCheck({
        id: 'multi',
        requirement: 'META-07',
        run: async () => [pass('a', { subject: 'Observation' }), fail('b', { subject: 'Coverage' })],
      }),
    ]);
    expect(rows.map((r) => r.id)).toEqual(['multi#Observation', 'multi#Coverage']);
    expect(rows.map((r) => r.status)).toEqual(['pass', 'warn']);
  });

  it('finishes when the whole-run timeout strikes, with the rest as errors', async () => {
    const hang = defineCheck({ id: 'hang', requirement: 'LAT-01', run: () => new Promise(() => undefined) });
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
  it('refuses a fact that no check provides', () => {
    expect(() => selectChecks([ok('x', 'META-01', ['nope'])], undefined)).toThrow(
      /x uses what nope found, which no check provides/,
    );
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

describe('facts between checks', () => {
  it('runs a check after the provider of each fact it uses, whatever the list order', () => {
    const order = orderChecks([
      ok('route', 'ROUTE-01', ['token']),
      ok('token', 'AUTH-01', ['meta']),
      ok('meta', 'META-01'),
    ]);
    expect(order.map((c) => c.id)).toEqual(['meta', 'token', 'route']);
  });

  it('keeps catalogue family order among checks free to run, and file order inside a family', () => {
    const order = orderChecks([
      ok('lat', 'LAT-01'),
      ok('m5', 'META-05'),
      ok('sec', 'SEC-01'),
      ok('m1', 'META-01'),
    ]);
    expect(order.map((c) => c.id)).toEqual(['m5', 'm1', 'sec', 'lat']);
  });

  it('reads a collection only once every check that adds to it has run, and gives it whole', async () => {
    const seen = collection<string[]>('the things seen', () => []);
    const adder = (id: string, requirement: string): Check =>
      defineCheck({
        id,
        requirement,
        adds: [seen],
        async run(ctx) {
          ctx.collect(seen).push(id);
          return pass('added');
        },
      });
    const reader = defineCheck({
      id: 'reader',
      requirement: 'AUTH-11',
      uses: { seen },
      run: async (_ctx, given) => pass(given.seen.join(',')),
    });
    const order = orderChecks([reader, adder('a', 'AUTH-03'), adder('r', 'ROUTE-03')]);
    expect(order.map((c) => c.id)).toEqual(['a', 'r', 'reader']);
    const { rows } = await runTestChecks(order);
    expect(rows.at(-1)!.message).toBe('a,r');
  });

  it('names the provider that passed without establishing the fact', async () => {
    const silent = defineCheck({
      id: 'm4',
      requirement: 'META-04',
      provides: [factOf('m4')],
      run: async () => pass('ok'),
    });
    const { rows } = await runTestChecks([silent, ok('a1', 'AUTH-01', ['m4'])]);
    expect(rows[1]!.status).toBe('skip');
    expect(rows[1]!.message).toMatch(/prerequisite META-04 \(.*\) did not establish what m4 found/);
  });

  it('refuses a fact the check did not declare: an error row, nothing provided', async () => {
    const sneaky = defineCheck({
      id: 'sneaky',
      requirement: 'META-01',
      async run(ctx) {
        ctx.provide(factOf('elsewhere'), true);
        return pass('should not get here');
      },
    });
    const { rows } = await runTestChecks([sneaky]);
    expect(rows[0]!.status).toBe('error');
    expect(rows[0]!.message).toMatch(/provides what elsewhere found without declaring it/);
  });

  it('gives an optional fact when known and undefined otherwise, and never skips for it', async () => {
    const values: unknown[] = [];
    const reader = defineCheck({
      id: 'opt',
      requirement: 'SEC-01',
      uses: { found: optional(factOf('m1')) },
      async run(_ctx, { found }) {
        values.push(found);
        return pass('read');
      },
    });
    await runTestChecks([ok('m1', 'META-01'), reader]);
    const { rows } = await runTestChecks([broken('m1', 'META-01'), reader]);
    expect(rows[1]!.status).toBe('pass');
    expect(values).toEqual([true, undefined]);
  });

  it('refuses checks that wait on each other, and a fact with two providers', () => {
    expect(() => orderChecks([ok('a', 'META-01', ['b']), ok('b', 'META-02', ['a'])])).toThrow(
      /wait on each other/,
    );
    const twice = defineCheck({
      id: 'again',
      requirement: 'META-02',
      provides: [factOf('m1')],
      run: async () => pass(''),
    });
    expect(() => orderChecks([ok('m1', 'META-01'), twice])).toThrow(/provided by both m1 and again/);
  });
});

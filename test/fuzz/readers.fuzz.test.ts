/**
 * Property-based tests of everything that reads a partner's JSON: the token-response parser, the
 * capability accessors, the Bundle reader, and the META suite run through the real engine and client
 * over a socket. The property is always the same: whatever JSON arrives, nothing throws past the check
 * boundary, and what comes out is bounded and well-formed. The same holds for the commands that read
 * files (diff, verify, validate) given reports and resources with null or wrong-typed nested fields.
 *
 * Fixed seed (SEED in arbitraries.ts); runs = FHIR_CERTIFY_FUZZ_RUNS or 300 (a tenth through sockets).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTokenResponse, oauthError } from '../../src/auth/token-response.js';
import { executeDiff } from '../../src/cli/commands/diff.js';
import { runValidate } from '../../src/cli/commands/validate.js';
import { executeVerify } from '../../src/cli/commands/verify.js';
import { packageRoot } from '../../src/core/paths.js';
import {
  bundleEntries,
  bundleLink,
  bundleTotal,
  bundleType,
  isBundle,
  nextLink,
} from '../../src/fhir/bundle.js';
import { brief, isObject } from '../../src/core/json.js';
import {
  absoluteHttpUrl,
  interactionCodes,
  oauthUris,
  resourceEntry,
  searchParamNames,
  serverRest,
} from '../../src/fhir/capability.js';
import type { Exchange } from '../../src/http/exchange.js';
import { metadataChecks } from '../../suites/metadata.js';
import { failingReport, fixtureText } from '../fixtures/reports/build.js';
import { runTestChecks } from '../helpers/engine.js';
import {
  RUNS,
  SOCKET_RUNS,
  TEST_TIMEOUT_MS,
  bodyText,
  hostileValue,
  mutatedCapability,
  safeStringify,
  settings,
} from './arbitraries.js';
import { brokenReport, pathsOf, replaced, wrongValue } from './report-readers.js';

/** An Exchange as the client builds one, from a status and raw body text, without a socket. */
function exchangeOf(status: number, text: string, error?: Exchange['error']): Exchange {
  let parsed: ReturnType<Exchange['json']> | undefined;
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(text),
    text,
    json() {
      if (!parsed) {
        try {
          parsed = text
            ? { ok: true, value: JSON.parse(text) as unknown }
            : { ok: false, reason: 'the body is empty' };
        } catch (err) {
          parsed = { ok: false, reason: `the body is not valid JSON: ${(err as Error).message}` };
        }
      }
      return parsed;
    },
    ...(error ? { error } : {}),
    timing: { startedAtMs: 0, totalMs: 1 },
    evidence: {
      request: { method: 'POST', url: 'https://x/token', headers: {} },
      timing: { startedAt: '', totalMs: 1 },
    },
  };
}

/** Token answers: arbitrary JSON, or a token-shaped object whose fields are hostile. */
const tokenBody = fc.oneof(
  bodyText,
  fc
    .record(
      {
        access_token: hostileValue,
        token_type: fc.oneof(fc.constant('Bearer'), fc.constant('bearer'), hostileValue),
        expires_in: fc.oneof(fc.integer(), hostileValue),
        scope: hostileValue,
      },
      { requiredKeys: [] },
    )
    .map(safeStringify),
);

describe('parseTokenResponse on arbitrary answers', () => {
  it(
    'never throws; a token is a non-empty string with a positive integer lifetime; reasons are short and quote no token',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(200, 200, 200, 400, 401, 500), tokenBody, (status, text) => {
          const result = parseTokenResponse(exchangeOf(status, text), 1_000_000);
          oauthError(exchangeOf(status, text));
          if (result.ok) {
            expect(status).toBe(200);
            expect(typeof result.token.accessToken).toBe('string');
            expect(result.token.accessToken.length).toBeGreaterThan(0);
            expect(result.token.tokenType.toLowerCase()).toBe('bearer');
            expect(Number.isInteger(result.token.expiresIn) && result.token.expiresIn > 0).toBe(true);
            expect(result.token.expiresAt).toBe(1_000_000 + result.token.expiresIn * 1000);
          } else {
            expect(typeof result.reason).toBe('string');
            expect(result.reason.length).toBeLessThan(400);
            const value: unknown = (() => {
              try {
                return (JSON.parse(text) as { access_token?: unknown })?.access_token;
              } catch {
                return undefined;
              }
            })();
            if (typeof value === 'string' && value.length > 40) expect(result.reason).not.toContain(value);
          }
        }),
        settings(),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it('a transport error is the reason, whatever the partial body holds', () => {
    fc.assert(
      fc.property(tokenBody, (text) => {
        const result = parseTokenResponse(exchangeOf(200, text, { code: 'reset', message: 'cut' }));
        expect(result).toEqual({ ok: false, reason: 'reset: cut' });
      }),
      settings(Math.min(RUNS, 200)),
    );
  });
});

describe('capability accessors on arbitrary JSON', () => {
  it(
    'never throw, and answer well-typed values',
    () => {
      fc.assert(
        fc.property(fc.oneof(mutatedCapability, hostileValue), (doc) => {
          expect(brief(doc).length).toBeLessThan(400);
          if (!isObject(doc)) return;
          const rest = serverRest(doc);
          if (!rest) return;
          const uris = oauthUris(rest);
          if (uris.token !== undefined) expect(typeof uris.token).toBe('string');
          absoluteHttpUrl(uris.token);
          for (const type of ['Patient', 'Observation', 'MedicationRequest']) {
            const entry = resourceEntry(rest, type);
            for (const code of interactionCodes(entry)) expect(typeof code).toBe('string');
            for (const name of searchParamNames(entry)) expect(typeof name).toBe('string');
          }
          for (const code of interactionCodes(rest)) expect(typeof code).toBe('string');
        }),
        settings(),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

/** Bundles with hostile entries, links and totals. */
const hostileBundle = fc.oneof(
  hostileValue,
  fc.record(
    {
      resourceType: fc.oneof(fc.constant('Bundle'), hostileValue),
      type: fc.oneof(fc.constantFrom('searchset', 'batch-response'), hostileValue),
      total: fc.oneof(fc.nat(), hostileValue),
      link: fc.oneof(
        fc.array(
          fc.record(
            { relation: fc.oneof(fc.constantFrom('next', 'self'), hostileValue), url: hostileValue },
            { requiredKeys: [] },
          ),
        ),
        hostileValue,
      ),
      entry: fc.oneof(
        fc.array(
          fc.record(
            {
              resource: fc.oneof(
                fc.record({ resourceType: fc.constantFrom('Patient', 'Observation'), id: fc.string() }),
                hostileValue,
              ),
              search: fc.oneof(
                fc.record({ mode: fc.oneof(fc.constantFrom('match', 'include'), hostileValue) }),
                hostileValue,
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 8 },
        ),
        hostileValue,
      ),
    },
    { requiredKeys: [] },
  ),
);

describe('Bundle reader on arbitrary JSON', () => {
  it(
    'never throws; entries are resources, totals are non-negative integers, links are non-empty strings',
    () => {
      fc.assert(
        fc.property(hostileBundle, (doc) => {
          isBundle(doc);
          const type = bundleType(doc);
          if (type !== undefined) expect(typeof type).toBe('string');
          for (const filter of [{}, { mode: 'match' as const }, { resourceType: 'Patient' }]) {
            for (const r of bundleEntries(doc, filter)) {
              expect(typeof r.resourceType).toBe('string');
              expect(r.resourceType.length).toBeGreaterThan(0);
            }
          }
          const total = bundleTotal(doc);
          if (total !== undefined) expect(Number.isInteger(total) && total >= 0).toBe(true);
          for (const link of [nextLink(doc), bundleLink(doc, 'self')]) {
            if (link !== undefined) expect(typeof link === 'string' && link.length > 0).toBe(true);
          }
        }),
        settings(),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the META suite through the engine and a real socket, on arbitrary metadata', () => {
  let server: Server;
  let baseUrl = '';
  let body = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it(
    'every META row is settled as pass, fail, warn or skip: never error, never a thrown run',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: mutatedCapability.map(safeStringify) },
            { weight: 1, arbitrary: bodyText },
          ),
          async (text) => {
            body = text;
            const { rows, timedOut } = await runTestChecks(metadataChecks, { baseUrl, timeoutMs: 5000 });
            expect(timedOut).toBe(false);
            const errors = rows.filter((r) => r.status === 'error');
            expect(errors, errors.map((r) => `${r.id}: ${r.message}`).join('\n')).toEqual([]);
            expect(rows.find((r) => r.requirement === 'META-01')!.status).toMatch(/pass|fail/);
            for (const row of rows) expect(row.message.length).toBeLessThanOrEqual(2100);
          },
        ),
        settings(SOCKET_RUNS),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('diff, verify and validate on files with null or wrong-typed nested fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-fuzz-readers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, 'good.json');
  writeFileSync(good, fixtureText(failingReport()));
  const ajv = new Ajv({ strict: false });
  addFormats.default(ajv);
  const schemaValid = ajv.compile(
    JSON.parse(readFileSync(join(packageRoot, 'schemas/report.schema.json'), 'utf8')) as object,
  );
  const oneSentence = (text: string): void => {
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text.length).toBeLessThan(1000);
  };

  it(
    'diff answers 2 with the bad field whenever the report breaks its schema, and never throws; verify never throws',
    async () => {
      await fc.assert(
        fc.asyncProperty(brokenReport, async (doc) => {
          const broken = join(dir, 'broken.json');
          writeFileSync(broken, safeStringify(doc));
          const shaped = schemaValid(doc);
          for (const [base, current] of [
            [good, broken],
            [broken, good],
          ] as const) {
            const r = await executeDiff(base, current, {
              maxLatencyRegression: '20%',
              minLatencyRegression: '50',
              ignoreUnderBudget: '50%',
            });
            expect([0, 1, 2]).toContain(r.exitCode);
            if (!shaped) {
              expect(r.exitCode, r.stdout).toBe(2);
              oneSentence(r.stderr);
            }
          }
          const v = await executeVerify(broken, {});
          expect([0, 1, 2]).toContain(v.exitCode);
          if (v.exitCode !== 0) oneSentence(v.stderr);
        }),
        settings(Math.max(50, Math.floor(RUNS / 3))),
      );
    },
    TEST_TIMEOUT_MS,
  );

  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'fhir');
  const resources = ['dstu2', 'stu3'].flatMap((v) =>
    readdirSync(join(fixtures, v)).map(
      (f) => JSON.parse(readFileSync(join(fixtures, v, f), 'utf8')) as unknown,
    ),
  );
  const brokenResource = fc.tuple(fc.nat(resources.length - 1), fc.nat(), wrongValue).map(([i, n, value]) => {
    const resource = resources[i]!;
    const paths = pathsOf(resource);
    return replaced(resource, paths[n % paths.length]!, value);
  });

  it(
    'validate answers 0, 1 or 2 for a FHIR resource with any field made wrong, and never throws',
    async () => {
      await fc.assert(
        fc.asyncProperty(brokenResource, async (doc) => {
          const file = join(dir, 'resource.json');
          writeFileSync(file, safeStringify(doc));
          const out = await runValidate([file], { json: true });
          expect([0, 1, 2]).toContain(out.exitCode);
          const verdict = out.files[0]!;
          if (out.exitCode === 2) expect(verdict.error).toBeTruthy();
          for (const issue of verdict.issues) expect(typeof issue.path).toBe('string');
        }),
        settings(Math.max(50, Math.floor(RUNS / 3))),
      );
    },
    TEST_TIMEOUT_MS,
  );
});

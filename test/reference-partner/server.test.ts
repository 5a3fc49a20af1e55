/** The conformant reference partner at the HTTP level: metadata, tokens, rotation, 401s, tenants, reads. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferencePartner } from '../../src/reference-partner/index.js';
import { startReferencePartner } from '../../src/reference-partner/index.js';
import type { Json } from './helpers.js';
import {
  entries,
  fhirGet,
  get,
  medicationType,
  postForm,
  postJson,
  serverTimingMs,
  token,
  tokenRequest,
} from './helpers.js';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const TYPES = [
  'Patient',
  'Observation',
  'Condition',
  'Encounter',
  'AllergyIntolerance',
  'Coverage',
  'Location',
];

let p: ReferencePartner;
beforeAll(async () => {
  p = await startReferencePartner({ seed: 42 });
});
afterAll(async () => {
  await p.close();
});

describe('capability statement', () => {
  it.each([
    ['dstu2', 'Conformance', '1.0.2', 'application/json+fhir'],
    ['stu3', 'CapabilityStatement', '3.0.1', 'application/fhir+json'],
  ] as const)(
    '%s: served without a token, with the SMART token URL of this server',
    async (version, type, fhirVersion, media) => {
      const r = await fhirGet(p, version, 'metadata');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe(`${media}; charset=utf-8`);
      expect(r.json).toMatchObject({ resourceType: type, fhirVersion, format: ['json'], kind: 'instance' });
      const rest = (r.json.rest as Json[])[0]!;
      expect(rest.mode).toBe('server');
      const oauth = (rest.security.extension as Json[]).find((e) => e.url === OAUTH_URIS)!;
      expect(oauth.extension).toEqual([
        { url: 'token', valueUri: p.tokenUrl },
        { url: 'authorize', valueUri: `${p.origin}/oauth/authorize` },
      ]);
      expect(rest.security.service[0].coding[0]).toMatchObject({
        system: 'http://hl7.org/fhir/restful-security-service',
        code: 'OAuth',
      });
      const declared = (rest.resource as Json[]).map((x) => x.type);
      expect(declared).toEqual([...TYPES, medicationType(version)]);
      for (const res of rest.resource as Json[]) {
        expect((res.interaction as Json[]).map((i) => i.code)).toEqual(['read', 'search-type']);
      }
      if (version === 'stu3') expect(rest.interaction).toEqual([{ code: 'batch' }]);
      else expect(rest.transactionMode).toBe('batch');
    },
  );

  it('follows the Host header when listening on a wildcard address', async () => {
    const wild = await startReferencePartner({ host: '0.0.0.0' });
    try {
      const port = new URL(wild.origin).port;
      const r = await get(`http://localhost:${port}/stu3/metadata`);
      expect(JSON.stringify(r.json)).toContain(`"valueUri":"http://localhost:${port}/oauth/token"`);
    } finally {
      await wild.close();
    }
  });
});

describe('token endpoint (RFC 6749 §4.4, §5)', () => {
  it('issues a Bearer JWT naming the tenant, with no-store', async () => {
    const r = await tokenRequest(p, { scope: p.tenants[1] });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('pragma')).toBe('no-cache');
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: p.tenants[1] });
    const claims = decodeJwt(r.json.access_token as string);
    expect(claims).toMatchObject({ tid: p.tenants[1], scope: p.tenants[1], sub: p.clientId });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(r.text).not.toContain(p.clientSecret);
  });

  it('accepts client_secret_basic', async () => {
    const basic = Buffer.from(
      `${encodeURIComponent(p.clientId)}:${encodeURIComponent(p.clientSecret)}`,
    ).toString('base64');
    const r = await postForm(
      p.tokenUrl,
      { grant_type: 'client_credentials', scope: p.tenants[0] },
      { authorization: `Basic ${basic}` },
    );
    expect(r.status).toBe(200);
  });

  it('answers invalid_client with a Basic challenge when Basic was used', async () => {
    const basic = Buffer.from(`${p.clientId}:wrong`).toString('base64');
    const r = await postForm(
      p.tokenUrl,
      { grant_type: 'client_credentials', scope: p.tenants[0] },
      { authorization: `Basic ${basic}` },
    );
    expect(r.status).toBe(401);
    expect(r.json.error).toBe('invalid_client');
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it.each([
    ['wrong secret', { client_secret: 'nope-nope' }, 401, 'invalid_client'],
    ['unknown client', { client_id: 'stranger' }, 401, 'invalid_client'],
    ['no credentials', { client_id: undefined, client_secret: undefined }, 401, 'invalid_client'],
    ['missing grant_type', { grant_type: undefined }, 400, 'invalid_request'],
    ['password grant', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['missing scope', { scope: undefined }, 400, 'invalid_scope'],
    ['unknown tenant', { scope: '11111111-2222-4333-8444-555555555555' }, 400, 'invalid_scope'],
    ['SQL injection scope', { scope: "x' OR '1'='1" }, 400, 'invalid_scope'],
    ['path scope', { scope: '../../../etc/passwd' }, 400, 'invalid_scope'],
    ['4 KB scope', { scope: 'a'.repeat(4096) }, 400, 'invalid_scope'],
    ['Unicode scope', { scope: '租户-ünïcødé-\u202e' }, 400, 'invalid_scope'],
    ['two scopes', { scope: `${'a'.repeat(8)} ${'b'.repeat(8)}` }, 400, 'invalid_scope'],
  ] as const)('%s → %i %s, no token, no secret', async (_label, fields, status, error) => {
    const r = await tokenRequest(p, fields);
    expect(r.status).toBe(status);
    expect(r.json.error).toBe(error);
    expect(r.json.access_token).toBeUndefined();
    expect(r.text).not.toContain(p.clientSecret);
  });

  it('refuses a JSON body and repeated parameters with invalid_request', async () => {
    const json = await postJson(p.tokenUrl, { grant_type: 'client_credentials' });
    expect(json.status).toBe(400);
    expect(json.json.error).toBe('invalid_request');
    const body = `grant_type=client_credentials&grant_type=client_credentials&client_id=${p.clientId}&client_secret=${p.clientSecret}&scope=${p.tenants[0]}`;
    const res = await fetch(p.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(400);
  });
});

describe('secret rotation (AUTH-10)', () => {
  it('makes the old secret invalid and the new one valid, without echoing a chosen secret', async () => {
    const own = await startReferencePartner({ clientSecret: 'first-secret-value' });
    try {
      const wrong = await postForm(own.rotationUrl, {
        client_id: own.clientId,
        client_secret: 'not-it',
        new_secret: 'second-secret-value',
      });
      expect(wrong.status).toBe(401);
      const r = await postForm(own.rotationUrl, {
        client_id: own.clientId,
        client_secret: 'first-secret-value',
        new_secret: 'second-secret-value',
      });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ rotated: true });
      expect((await tokenRequest(own, { client_secret: 'first-secret-value' })).json.error).toBe(
        'invalid_client',
      );
      expect((await tokenRequest(own, { client_secret: 'second-secret-value' })).status).toBe(200);
      expect(own.clientSecret).toBe('second-secret-value');

      const generated = await postForm(own.rotationUrl, {
        client_id: own.clientId,
        client_secret: 'second-secret-value',
      });
      expect(generated.status).toBe(200);
      const fresh = generated.json.client_secret as string;
      expect(fresh.length).toBeGreaterThanOrEqual(24);
      expect((await tokenRequest(own, { client_secret: fresh })).status).toBe(200);
      expect((await tokenRequest(own, { client_secret: 'second-secret-value' })).status).toBe(401);

      const short = await postForm(own.rotationUrl, {
        client_id: own.clientId,
        client_secret: fresh,
        new_secret: 'short',
      });
      expect(short.status).toBe(400);
    } finally {
      await own.close();
    }
  });
});

describe('bearer tokens on data requests', () => {
  it('answers 401 with a Bearer challenge and an OperationOutcome without a token', async () => {
    const r = await fhirGet(p, 'stu3', 'Patient?_count=1');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(r.json.resourceType).toBe('OperationOutcome');
  });

  it.each(['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.'])(
    'answers invalid_token for %s',
    async (bad) => {
      const r = await fhirGet(p, 'dstu2', 'Patient?_count=1', bad);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    },
  );

  it('refuses a token signed with alg none and another key', async () => {
    const t = await token(p);
    const [, payload] = t.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await fhirGet(p, 'stu3', 'Patient?_count=1', none)).status).toBe(401);
    const other = await startReferencePartner({ seed: 42 });
    try {
      const foreign = await token(other);
      expect((await fhirGet(p, 'stu3', 'Patient?_count=1', foreign)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses an expired token', async () => {
    const short = await startReferencePartner({ tokenTtlSeconds: 1 });
    try {
      const t = await token(short);
      expect((await fhirGet(short, 'stu3', 'Patient?_count=1', t)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      const r = await fhirGet(short, 'stu3', 'Patient?_count=1', t);
      expect(r.status).toBe(401);
      expect(r.json.issue[0].diagnostics).toMatch(/expired/);
    } finally {
      await short.close();
    }
  });
});

describe('tenants', () => {
  it('serve different, non-overlapping data: no id or MRN of one tenant exists in the other', async () => {
    for (const version of ['dstu2', 'stu3'] as const) {
      const ids: Array<Set<string>> = [];
      const [ta, tb] = [await token(p, p.tenants[0]), await token(p, p.tenants[1])];
      for (const t of [ta, tb]) {
        const set = new Set<string>();
        for (const type of [...TYPES, medicationType(version)]) {
          for (const r of entries((await fhirGet(p, version, `${type}?_count=1000`, t)).json))
            set.add(`${type}/${String(r.id)}`);
        }
        ids.push(set);
      }
      expect(ids[0]!.size).toBeGreaterThan(100);
      expect([...ids[0]!].filter((id) => ids[1]!.has(id))).toEqual([]);
      for (const id of [...ids[0]!].slice(0, 40)) {
        expect((await fhirGet(p, version, id, tb)).status, id).toBe(404);
        expect((await fhirGet(p, version, id, ta)).status, id).toBe(200);
      }
      const mrnA = entries((await fhirGet(p, version, 'Patient?_count=1', ta)).json)[0]!.identifier[0]
        .value as string;
      expect((await fhirGet(p, version, `Patient?identifier=${mrnA}`, tb)).json.total).toBe(0);
    }
  });

  it('are deterministic for a seed', async () => {
    const same = await startReferencePartner({ seed: 42 });
    const other = await startReferencePartner({ seed: 43 });
    try {
      expect(same.tenants).toEqual(p.tenants);
      expect(other.tenants).not.toEqual(p.tenants);
      const a = entries((await fhirGet(p, 'stu3', 'Patient?_count=3', await token(p))).json);
      const b = entries((await fhirGet(same, 'stu3', 'Patient?_count=3', await token(same))).json);
      expect(b).toEqual(a);
    } finally {
      await Promise.all([same.close(), other.close()]);
    }
  });
});

describe('reads and errors', () => {
  it('reads every resource a search returns, and 404s an unknown id with an OperationOutcome', async () => {
    const t = await token(p);
    for (const type of ['Patient', 'Observation', 'Location']) {
      const first = entries((await fhirGet(p, 'stu3', `${type}?_count=1`, t)).json)[0]!;
      const r = await fhirGet(p, 'stu3', `${type}/${String(first.id)}`, t);
      expect(r.status).toBe(200);
      expect(r.json).toEqual(first);
    }
    const missing = await fhirGet(p, 'stu3', 'Patient/nobody', t);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found' }],
    });
  });

  it.each([
    ['GET', '/stu3/Basic/1', 404],
    ['GET', '/stu3/Patient/a/b/c', 404],
    ['GET', '/r4/Patient', 404],
    ['GET', '/', 404],
    ['DELETE', '/stu3/Patient/x', 405],
    ['PUT', '/dstu2/metadata', 405],
    ['GET', '/stu3/Patient/%E0%A4%A', 400],
    ['GET', '/stu3/Patient?birthdate=yesterday', 400],
    ['GET', '/stu3/Patient?_count=-1', 400],
    ['GET', '/stu3', 405],
  ] as const)('%s %s → %i OperationOutcome, Server-Timing, no stack', async (method, path, status) => {
    const t = await token(p);
    const res = await fetch(`${p.origin}${path}`, { method, headers: { authorization: `Bearer ${t}` } });
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(JSON.parse(text).resourceType).toBe('OperationOutcome');
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
    expect(serverTimingMs(res.headers)).toBeGreaterThanOrEqual(0);
    expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{3}$/);
  });

  it('survives hostile input: bad JSON, wrong types, a huge body, raw garbage', async () => {
    const t = await token(p);
    const base = p.baseUrl('stu3');
    for (const body of [
      '{',
      '[]',
      'null',
      '"x"',
      '{"resourceType":"Bundle","type":"batch","entry":"x"}',
      '{"resourceType":"Bundle","type":"batch","entry":[null,1,{"request":{}}]}',
    ]) {
      const r = await postJson(base, body, t);
      expect(r.status, body).toBeLessThan(500);
      expect(r.json.resourceType, body).toMatch(/OperationOutcome|Bundle/);
    }
    const huge = await fetch(base, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/fhir+json' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    const agent = new Agent();
    try {
      const raw = await request(`${p.origin}/stu3/Patient?_count=1`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${t}`, 'x-long': 'y'.repeat(20_000) },
      });
      expect(raw.statusCode).toBeGreaterThanOrEqual(400);
      expect(raw.statusCode).toBeLessThan(500);
      await raw.body.text();
    } finally {
      await agent.close();
    }
    expect((await fhirGet(p, 'stu3', 'Patient?_count=1', t)).status).toBe(200);
  });

  it('adds delayMs to every answer', async () => {
    const slow = await startReferencePartner({ delayMs: 150 });
    try {
      const r = await fhirGet(slow, 'stu3', 'metadata');
      expect(serverTimingMs(r.headers)).toBeGreaterThanOrEqual(150);
    } finally {
      await slow.close();
    }
  });
});

describe.skipIf(!hasOpenssl())('HTTPS', () => {
  it('serves the same API over TLS with the https token URL in metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ref-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const tls = await startReferencePartner({
        tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert },
      });
      const agent = new Agent({ connect: { ca: cert } });
      try {
        expect(tls.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const r = await request(`${tls.baseUrl('stu3')}/metadata`, { dispatcher: agent });
        expect(r.statusCode).toBe(200);
        expect(await r.body.text()).toContain(`"valueUri":"${tls.tokenUrl}"`);
        expect(tls.tokenUrl.startsWith('https://')).toBe(true);
      } finally {
        await agent.close();
        await tls.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** AUTH faults: the token endpoint and the bearer tokens data requests carry. */
import { decodeJwt } from 'jose';
import { fhirGet, postForm, sleep, token, tokenRequest } from '../plain-client.js';
import { problems } from './detector-tools.js';
import type { FaultPlugin } from './hooks.js';

export const authFaults: FaultPlugin[] = [
  {
    name: 'AUTH-01',
    requirement: 'AUTH-01',
    description: 'the token response says token_type "MAC" (the token itself still works as a bearer)',
    rowSays: /token_type is "MAC"/,
    token: {
      answer(a) {
        a.body.token_type = 'MAC';
      },
    },
    detect: {
      async run(p) {
        const r = await tokenRequest(p);
        return problems(
          [r.status === 200, `status ${r.status}`],
          [typeof r.json.access_token === 'string' && r.json.access_token !== '', 'no access_token'],
          [String(r.json.token_type).toLowerCase() === 'bearer', `token_type ${String(r.json.token_type)}`],
          [Number.isInteger(r.json.expires_in) && (r.json.expires_in as number) > 0, 'expires_in'],
        );
      },
    },
  },
  {
    name: 'AUTH-02',
    requirement: 'AUTH-02',
    description: 'the token response has no Cache-Control: no-store and no Pragma: no-cache',
    rowSays: /Cache-Control: no-store/,
    token: {
      answer(a) {
        delete a.headers['Cache-Control'];
        delete a.headers.Pragma;
      },
    },
    detect: {
      async run(p) {
        const r = await tokenRequest(p);
        return problems(
          [/no-store/.test(r.headers.get('cache-control') ?? ''), 'no Cache-Control: no-store'],
          [/no-cache/.test(r.headers.get('pragma') ?? ''), 'no Pragma: no-cache'],
        );
      },
    },
  },
  {
    name: 'AUTH-03',
    requirement: 'AUTH-03',
    description: 'a known client_id with a wrong client_secret gets a token',
    rowSays: /wrong client_secret got HTTP 200 with an access_token/,
    // A secret a rotation retired is a wrong secret too.
    token: {
      requestFlaw: (flaw) => (flaw === 'wrong-secret' || flaw === 'retired-secret' ? 'accept' : undefined),
    },
    detect: {
      async run(p) {
        const r = await tokenRequest(p, { client_secret: `${p.clientSecret}x` });
        return problems([
          [400, 401].includes(r.status) && r.json.error === 'invalid_client' && !r.json.access_token,
          `status ${r.status} ${String(r.json.error)}`,
        ]);
      },
    },
  },
  {
    name: 'AUTH-04',
    requirement: 'AUTH-04',
    description: 'an unknown client_id gets a token',
    rowSays: /unknown client_id got HTTP 200/,
    token: { requestFlaw: (flaw) => (flaw === 'unknown-client' ? 'accept' : undefined) },
    detect: {
      async run(p) {
        const r = await tokenRequest(p, { client_id: 'someone-else' });
        return problems([
          [400, 401].includes(r.status) && r.json.error === 'invalid_client' && !r.json.access_token,
          `status ${r.status} ${String(r.json.error)}`,
        ]);
      },
    },
  },
  {
    name: 'AUTH-05',
    requirement: 'AUTH-05',
    description: 'a missing or unsupported grant_type gets a token',
    rowSays: /grant_type/,
    token: {
      requestFlaw: (flaw) =>
        flaw === 'missing-grant-type' || flaw === 'unsupported-grant-type' ? 'accept' : undefined,
    },
    detect: {
      async run(p) {
        const out: string[] = [];
        for (const grant of ['password', undefined]) {
          const r = await tokenRequest(p, { grant_type: grant });
          const ok =
            r.status === 400 &&
            ['unsupported_grant_type', 'invalid_request'].includes(r.json.error as string) &&
            !r.json.access_token;
          if (!ok) out.push(`grant_type ${String(grant)}: status ${r.status} ${String(r.json.error)}`);
        }
        return out;
      },
    },
  },
  {
    name: 'AUTH-06',
    requirement: 'AUTH-06',
    description:
      "the JWT's exp is two hours later than expires_in says (the server still expires it on time)",
    rowSays: /exp is \d+ s away/,
    token: {
      claims(c) {
        c.exp += 7200;
      },
    },
    detect: {
      async run(p) {
        const r = await tokenRequest(p);
        const claims = decodeJwt(r.json.access_token as string);
        const expected = Date.now() / 1000 + (r.json.expires_in as number);
        return problems(
          [Math.abs((claims.exp ?? 0) - expected) <= 120, `exp ${claims.exp} vs ${expected.toFixed(0)}`],
          [claims.tid === p.tenants[0] || claims.scope === p.tenants[0], 'tenant claim'],
        );
      },
    },
  },
  {
    name: 'AUTH-07',
    requirement: 'AUTH-07',
    description: "data requests without a token are served (tenant A's data)",
    rowSays: /without an Authorization header answered HTTP 200/,
    token: { bearerFlaw: (flaw) => flaw === 'missing' },
    detect: {
      async run(p, v) {
        const r = await fhirGet(p, v, 'Patient?_count=1');
        return problems(
          [r.status === 401, `status ${r.status}`],
          [/^Bearer/i.test(r.headers.get('www-authenticate') ?? ''), 'no Bearer challenge'],
        );
      },
    },
  },
  {
    name: 'AUTH-08',
    requirement: 'AUTH-08',
    description: 'the token signature is not verified: tampered or random bearer tokens reach data',
    rowSays: /answered HTTP 200/,
    token: { bearerFlaw: (flaw) => flaw === 'bad-signature' },
    detect: {
      async run(p, v) {
        const good = await token(p);
        const [h, b, s = ''] = good.split('.');
        const flipped = `${h}.${b}.${s.slice(0, 5)}${s[5] === 'A' ? 'B' : 'A'}${s.slice(6)}`;
        const out: string[] = [];
        for (const bad of [flipped, 'not-a-token-at-all']) {
          const r = await fhirGet(p, v, 'Patient?_count=1', bad);
          if (r.status !== 401) out.push(`status ${r.status} for a tampered token`);
        }
        return out;
      },
    },
  },
  {
    name: 'AUTH-09',
    requirement: 'AUTH-09',
    description: 'expired tokens are still accepted',
    token: { bearerFlaw: (flaw) => flaw === 'expired' },
    detect: {
      options: { tokenTtlSeconds: 1 },
      slow: true,
      async run(p, v) {
        const t = await token(p);
        await sleep(2100);
        const r = await fhirGet(p, v, 'Patient?_count=1', t);
        return problems([r.status === 401, `status ${r.status} for an expired token`]);
      },
    },
  },
  {
    name: 'AUTH-10',
    requirement: 'AUTH-10',
    description: 'after a rotation the old client secret keeps working',
    token: { requestFlaw: (flaw) => (flaw === 'retired-secret' ? 'accept' : undefined) },
    detect: {
      mutates: true,
      async run(p) {
        const old = p.clientSecret;
        const fresh = `rotated-${Math.random().toString(36).slice(2)}-secret`;
        const rot = await postForm(p.rotationUrl, {
          client_id: p.clientId,
          client_secret: old,
          new_secret: fresh,
        });
        if (rot.status !== 200) return [`rotation failed ${rot.status}`];
        const withOld = await tokenRequest(p, { client_secret: old });
        const withNew = await tokenRequest(p, { client_secret: fresh });
        return problems(
          [withOld.json.error === 'invalid_client', `old secret: ${withOld.status}`],
          [withNew.status === 200, `new secret: ${withNew.status}`],
        );
      },
    },
  },
  {
    name: 'AUTH-11',
    requirement: 'AUTH-11',
    description: 'the token response echoes client_secret',
    rowSays: /echo the client secret/,
    token: {
      answer(a) {
        a.body.client_secret = a.clientSecret;
      },
    },
    detect: {
      async run(p) {
        const r = await tokenRequest(p);
        return problems([!r.text.includes(p.clientSecret), 'the secret is echoed']);
      },
    },
  },
];

/**
 * Partner behaviours the reference partner has no fault for, described with msw: opaque tokens,
 * refusals with the wrong RFC 6749 code, a 403 instead of 401, a secret echoed in a header, a missing
 * Pragma, and tenants whose ids collide (which is not a leak) or whose data is shared (which is).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { rowsOf, runCli, statusOf } from '../helpers/cli.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';
import { expectNoCredentials } from './security-run.js';

const SECRET = 'msw-partner-secret-0123456789';
const CLIENT = 'msw-client';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

interface Behaviour {
  /** Status for a data request without a token. */
  noTokenStatus?: number;
  wwwAuthenticate?: boolean;
  /** The `error` code a wrong secret gets. */
  wrongSecretError?: string;
  /** The `error` code grant_type=password gets (a missing grant_type always gets invalid_request). */
  passwordError?: string;
  echoSecretInHeader?: boolean;
  /** The token answer carries the secret as base64(client_id:secret), the HTTP Basic form. */
  echoBasicCredentials?: boolean;
  pragma?: boolean;
  /** Tenant B's Patient/1 is tenant A's, byte for byte. */
  sharedPatient?: boolean;
}

let partner: MswPartner | undefined;
afterEach(async () => {
  await partner?.close();
  partner = undefined;
});

function patient(tenant: string, shared: boolean) {
  const family = shared || tenant === A ? 'Alpha' : 'Beta';
  return {
    resourceType: 'Patient',
    id: '1',
    name: [{ use: 'official', family, given: ['Pat'] }],
    identifier: [{ system: `urn:mrn:${shared ? A : tenant}`, value: '1001' }],
    gender: 'female',
    birthDate: '1970-01-01',
  };
}

async function start(b: Behaviour = {}): Promise<MswPartner> {
  const tokens = new Map<string, string>();
  let n = 0;
  const json = (body: JsonBodyType, status = 200, headers: Record<string, string> = {}) =>
    HttpResponse.json(body, { status, headers: { 'content-type': fhirMediaType.stu3, ...headers } });
  const tenantOf = (request: Request): string | undefined =>
    tokens.get((request.headers.get('authorization') ?? '').replace(/^Bearer /i, ''));
  const unauthorized = () =>
    json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }, 401, {
      'www-authenticate': 'Bearer',
    });
  partner = await startMswPartner([
    http.get('*/fhir/metadata', ({ request }) =>
      json(conformantCapability('stu3', `${new URL(request.url).origin}/token`)),
    ),
    http.post('*/token', async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const headers = { 'cache-control': 'no-store', ...(b.pragma === false ? {} : { pragma: 'no-cache' }) };
      const refuse = (error: string, status = 400) => HttpResponse.json({ error }, { status, headers });
      if (form.get('client_id') !== CLIENT) return refuse('invalid_client', 401);
      if (form.get('client_secret') !== SECRET) return refuse(b.wrongSecretError ?? 'invalid_client', 400);
      if (form.get('grant_type') === null) return refuse('invalid_request');
      if (form.get('grant_type') === 'password' && b.passwordError) return refuse(b.passwordError);
      if (form.get('grant_type') !== 'client_credentials') return refuse('unsupported_grant_type');
      const scope = form.get('scope');
      if (scope !== A && scope !== B) return refuse('invalid_scope');
      const token = `opaque${++n}${scope.slice(0, 4)}xxxxxxxx`;
      tokens.set(token, scope);
      const basic = Buffer.from(`${form.get('client_id')}:${SECRET}`).toString('base64');
      return HttpResponse.json(
        {
          access_token: token,
          token_type: 'bearer',
          expires_in: 600,
          ...(b.echoBasicCredentials ? { debug: { authorization: `Basic ${basic}` } } : {}),
        },
        { headers: { ...headers, ...(b.echoSecretInHeader ? { 'x-debug-client': SECRET } : {}) } },
      );
    }),
    http.get('*/fhir/Patient', ({ request }) => {
      const auth = request.headers.get('authorization');
      if (!auth) {
        return new HttpResponse(null, {
          status: b.noTokenStatus ?? 401,
          headers: b.wwwAuthenticate === false ? {} : { 'www-authenticate': 'Bearer realm="msw"' },
        });
      }
      const tenant = tenantOf(request);
      if (!tenant) return unauthorized();
      const own = patient(tenant, tenant === B && !!b.sharedPatient);
      const params = new URL(request.url).searchParams;
      const matches =
        (params.get('_id') ?? '1') === '1' &&
        (!params.get('identifier') || params.get('identifier') === `${own.identifier[0]!.system}|1001`);
      return json({
        resourceType: 'Bundle',
        type: 'searchset',
        total: matches ? 1 : 0,
        entry: matches ? [{ resource: own }] : [],
      });
    }),
    http.get('*/fhir/Patient/:id', ({ request, params }) => {
      const tenant = tenantOf(request);
      if (!tenant) return unauthorized();
      return params.id === '1'
        ? json(patient(tenant, tenant === B && !!b.sharedPatient))
        : json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, 404);
    }),
    // Every other type: an empty searchset, so isolation has nothing to cross-check there.
    http.get('*/fhir/:type', ({ request }) =>
      tenantOf(request)
        ? json({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] })
        : unauthorized(),
    ),
  ]);
  return partner;
}

async function certify(p: MswPartner, only: string) {
  return runCli(
    [
      'run',
      '--base-url',
      p.baseUrl,
      '--allow-insecure-http',
      '--client-id',
      CLIENT,
      '--tenant',
      A,
      '--tenant',
      B,
      '--only',
      only,
    ],
    { FHIR_CERTIFY_CLIENT_SECRET: SECRET },
  );
}

describe('AUTH and ROUTE on msw partners', () => {
  it('an opaque token makes AUTH-06 not applicable, while the rest of AUTH passes', async () => {
    const run = await certify(await start(), 'AUTH');
    expect(statusOf(run.report, 'AUTH-06')).toBe('na');
    expect(rowsOf(run.report, 'AUTH-06')[0]!.message).toMatch(/opaque/);
    for (const id of [
      'AUTH-01',
      'AUTH-02',
      'AUTH-03',
      'AUTH-04',
      'AUTH-05',
      'AUTH-07',
      'AUTH-08',
      'AUTH-11',
    ]) {
      expect(statusOf(run.report, id), id).toBe('pass');
    }
    expectNoCredentials(run, [SECRET]);
  });

  it('AUTH-03 fails when a wrong secret is refused with the wrong error code', async () => {
    const run = await certify(await start({ wrongSecretError: 'invalid_request' }), 'AUTH-03');
    expect(statusOf(run.report, 'AUTH-03')).toBe('fail');
    expect(rowsOf(run.report, 'AUTH-03')[0]!.message).toMatch(
      /but error=invalid_request; expected error=invalid_client/,
    );
  });

  it('AUTH-05 takes unauthorized_client for grant_type=password (RFC 6749 §5.2), and fails invalid_grant', async () => {
    let run = await certify(await start({ passwordError: 'unauthorized_client' }), 'AUTH-05');
    expect(rowsOf(run.report, 'AUTH-05').map((r) => [r.subject, r.status])).toEqual([
      ['grant_type missing', 'pass'],
      ['grant_type=password', 'pass'],
    ]);
    await partner!.close();
    run = await certify(await start({ passwordError: 'invalid_grant' }), 'AUTH-05');
    const row = rowsOf(run.report, 'AUTH-05').find((r) => r.subject === 'grant_type=password')!;
    expect(row.status).toBe('fail');
    expect(row.message).toMatch(
      /but error=invalid_grant; expected error=unsupported_grant_type or invalid_request or unauthorized_client/,
    );
  });

  it('AUTH-07 fails on 403; a 401 without WWW-Authenticate passes and says Bearer is recommended', async () => {
    let run = await certify(await start({ noTokenStatus: 403 }), 'AUTH-07');
    expect(statusOf(run.report, 'AUTH-07')).toBe('fail');
    expect(rowsOf(run.report, 'AUTH-07')[0]!.message).toMatch(/answered HTTP 403; expected 401/);
    await partner!.close();
    run = await certify(await start({ wwwAuthenticate: false }), 'AUTH-07');
    expect(statusOf(run.report, 'AUTH-07')).toBe('pass');
    expect(rowsOf(run.report, 'AUTH-07')[0]!.message).toMatch(
      /WWW-Authenticate: Bearer is recommended but missing/,
    );
  });

  it('AUTH-11 fails when the secret comes back in a response header; AUTH-02 warns on a missing Pragma', async () => {
    const run = await certify(await start({ echoSecretInHeader: true, pragma: false }), 'AUTH-02,AUTH-11');
    expect(statusOf(run.report, 'AUTH-11')).toBe('fail');
    expect(rowsOf(run.report, 'AUTH-11')[0]!.message).toMatch(/in the x-debug-client header/);
    expect(statusOf(run.report, 'AUTH-02')).toBe('warn');
    expect(rowsOf(run.report, 'AUTH-02')[0]!.message).toMatch(/lacks Pragma: no-cache/);
    expectNoCredentials(run, [SECRET]);
  });

  it('AUTH-11 fails when the secret comes back encoded (base64 of client_id:secret), and the report masks it', async () => {
    const run = await certify(await start({ echoBasicCredentials: true }), 'AUTH-01,AUTH-11');
    expect(statusOf(run.report, 'AUTH-11')).toBe('fail');
    expect(rowsOf(run.report, 'AUTH-11')[0]!.message).toMatch(/echo the client secret \(first in the body/);
    expectNoCredentials(run, [SECRET]);
  });

  it('ROUTE-02: colliding ids with different content are not a leak; the same resource is', async () => {
    let run = await certify(await start(), 'ROUTE-02');
    const patientRows = () => rowsOf(run.report, 'ROUTE-02').filter((r) => r.subject?.startsWith('Patient'));
    expect(patientRows().map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(
      rowsOf(run.report, 'ROUTE-02')
        .filter((r) => !r.subject?.startsWith('Patient'))
        .every((r) => r.status === 'na'),
    ).toBe(true);
    await partner!.close();
    run = await certify(await start({ sharedPatient: true }), 'ROUTE-02');
    expect(patientRows().map((r) => r.status)).toContain('fail');
    expect(patientRows().find((r) => r.status === 'fail')!.message).toMatch(
      /GET Patient\/1 returned tenant 11111111…'s resource/,
    );
  });
});

/**
 * A small msw partner with a token endpoint that issues known tokens, so tests know exactly which
 * strings must never appear whole in any output. Each piece can be replaced by a hostile handler.
 * The data endpoints echo what they received (Authorization header included) back in bodies and
 * headers: a partner reflecting credentials is the worst case for redaction.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { conformantCapability, fhirMediaType } from '../helpers/capability.js';
import { startMswPartner, type MswPartner } from '../helpers/msw-partner.js';

export const CLIENT_ID = 'teams-app';
export const SECRET = 'hostile-Secret-4f0c9e27b1d84a6c';
export const ROTATED = 'hostile-Rotated-9a1b7c3d5e2f4068';
export const TENANT_A = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const TENANT_B = '0b6f5a7e-5c1e-4c2b-9f57-1d2a3b4c5d6e';
/** Issued per tenant; opaque, long enough to be masked to a prefix. */
export const TOKENS: Record<string, string> = {
  [TENANT_A]: 'tokA-1f2e3d4c5b6a79808f7e6d5c4b3a2910',
  [TENANT_B]: 'tokB-0a9b8c7d6e5f40312a3b4c5d6e7f8091',
};

export interface MiniPartnerOptions {
  /** Replaces the token endpoint's answer to valid credentials. */
  issue?: (tenant: string) => Response;
  /** Tokens (besides TOKENS) the data endpoints accept. */
  accepts?: (token: string) => boolean;
  /** Handlers tried before the defaults. */
  extra?: RequestHandler[];
  /** The client secrets the token endpoint accepts (default SECRET and ROTATED). */
  secrets?: string[];
}

export async function startMiniPartner(options: MiniPartnerOptions = {}): Promise<MswPartner> {
  let origin = '';
  const partner = await startMswPartner([
    ...(options.extra ?? []),
    http.get('*/fhir/metadata', () =>
      HttpResponse.json(conformantCapability('stu3', `${origin}/oauth/token`), {
        headers: { 'content-type': fhirMediaType.stu3 },
      }),
    ),
    http.post('*/oauth/token', async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const basic = request.headers.get('authorization');
      const [id, secret] = basic?.startsWith('Basic ')
        ? Buffer.from(basic.slice(6), 'base64').toString().split(':').map(decodeURIComponent)
        : [form.get('client_id'), form.get('client_secret')];
      const tenant = form.get('scope') ?? '';
      // A careless partner echoing what it was sent, secret included, in its error answers.
      const echo = { 'x-echo-request': form.toString() };
      if (id !== CLIENT_ID || !(options.secrets ?? [SECRET, ROTATED]).includes(secret ?? '')) {
        return HttpResponse.json(
          { error: 'invalid_client', error_description: `bad client ${id}/${secret}` },
          { status: 401, headers: echo },
        );
      }
      if (form.get('grant_type') !== 'client_credentials') {
        return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400, headers: echo });
      }
      const token = TOKENS[tenant];
      if (!token) return HttpResponse.json({ error: 'invalid_scope' }, { status: 400, headers: echo });
      if (options.issue) return options.issue(tenant);
      return HttpResponse.json(
        { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: tenant },
        { headers: { 'cache-control': 'no-store', pragma: 'no-cache' } },
      );
    }),
    http.all('*/fhir/*', ({ request }) => {
      const auth = request.headers.get('authorization') ?? '';
      const token = auth.replace(/^Bearer /, '');
      const known = Object.values(TOKENS).includes(token) || (options.accepts?.(token) ?? false);
      if (known && request.method === 'GET' && new URL(request.url).pathname.endsWith('/fhir/Patient')) {
        return HttpResponse.json(
          {
            resourceType: 'Bundle',
            type: 'searchset',
            total: 0,
            link: [{ relation: 'self', url: request.url }],
          },
          { headers: { 'content-type': fhirMediaType.stu3, 'x-echo-authorization': auth } },
        );
      }
      const body = {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'processing', diagnostics: `you sent ${auth} to ${request.url}` }],
      };
      return HttpResponse.json(body, {
        status: known ? 404 : 401,
        headers: {
          'content-type': fhirMediaType.stu3,
          'x-echo-authorization': auth,
          'www-authenticate': 'Bearer',
        },
      });
    }),
  ]);
  origin = partner.origin;
  return partner;
}

/** `run` against a partner over plain http, as the mini partner's client for `tenants`. */
export function runArgs(baseUrl: string, tenants: string[] = [TENANT_A, TENANT_B]): string[] {
  return [
    'run',
    '--base-url',
    baseUrl,
    '--allow-insecure-http',
    '--client-id',
    CLIENT_ID,
    ...tenants.flatMap((t) => ['--tenant', t]),
  ];
}

/**
 * The token endpoint (RFC 6749 §4.4 client credentials, errors as §5.2) and secret rotation.
 *
 * Rotation protocol (AUTH-10). `POST /oauth/rotate`, form-encoded (or HTTP Basic for the credentials):
 *   client_id, client_secret   the CURRENT credentials
 *   new_secret                 optional: the secret to switch to (8 to 512 visible ASCII characters)
 * → 200 `{"rotated": true}`; from that moment the old secret gets `invalid_client` and the new one works.
 * Without `new_secret` the server generates one and returns it as `{"rotated": true, "client_secret": …}`;
 * that one response is the only place the generated secret ever appears.
 * A certification run automates AUTH-10 like this: rotate to a secret you chose, then run with the OLD
 * secret in `--client-secret-env` and the NEW one in `--rotated-secret-env`; the run uses the new secret
 * as its working credential and asserts that the old one is refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Exchange } from './http-io.js';
import { readBody, send } from './http-io.js';
import type { ActiveFaults } from './faults/index.js';
import type { TokenRequestFlaw } from './faults/hooks.js';
import type { TokenService } from './tokens.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECRET_SHAPE = /^[\x21-\x7e]{8,512}$/;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

export class ClientRegistry {
  private secret: string;
  private readonly retired: string[] = [];

  constructor(
    readonly clientId: string,
    secret: string,
  ) {
    this.secret = secret;
  }

  get currentSecret(): string {
    return this.secret;
  }

  /** 'ok', or why the credentials are refused. */
  check(clientId: string, secret: string): 'ok' | 'unknown-client' | 'wrong-secret' | 'retired-secret' {
    if (clientId !== this.clientId) return 'unknown-client';
    if (sameSecret(secret, this.secret)) return 'ok';
    if (this.retired.some((old) => sameSecret(secret, old))) return 'retired-secret';
    return 'wrong-secret';
  }

  rotate(newSecret: string): void {
    this.retired.push(this.secret);
    this.secret = newSecret;
  }
}

interface OAuthDeps {
  clients: ClientRegistry;
  tokens: TokenService;
  tenants: readonly string[];
  faults: ActiveFaults;
  /** The unusual variant (see variations.ts). */
  unusual?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const JSON_TYPE_UNUSUAL = 'application/json;charset=UTF-8';
const ERROR_URI = 'https://fhir-certify.invalid/docs/oauth-errors';
const BASIC_CHALLENGE = 'Basic realm="fhir-certify-reference", charset="UTF-8"';
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
/** As some identity providers send it: no-store among other directives. */
const NO_STORE_UNUSUAL = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
};

function oauthError(
  ex: Exchange,
  status: number,
  error: string,
  description: string,
  extraDelay: number,
  headers: Record<string, string> = {},
  unusual = false,
): void {
  const body: Record<string, string> = { error, error_description: description };
  if (unusual) body.error_uri = ERROR_URI;
  send(
    ex,
    status,
    { 'Content-Type': unusual ? JSON_TYPE_UNUSUAL : JSON_TYPE, ...NO_STORE, ...headers },
    JSON.stringify(body),
    extraDelay,
  );
}

interface ParsedRequest {
  form: URLSearchParams;
  clientId: string | undefined;
  secret: string | undefined;
  usedBasic: boolean;
}

/** Reads a form POST and its client credentials; answers the error itself and returns undefined. */
async function parseClientRequest(ex: Exchange, delay: number): Promise<ParsedRequest | undefined> {
  const { req } = ex;
  if (req.method !== 'POST') {
    oauthError(ex, 405, 'invalid_request', 'use POST', delay, { Allow: 'POST' });
    return undefined;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const body = await readBody(req, 64 * 1024);
  if (type !== 'application/x-www-form-urlencoded') {
    oauthError(ex, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded', delay);
    return undefined;
  }
  const form = new URLSearchParams(body);
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) {
      oauthError(ex, 400, 'invalid_request', `parameter ${key} is repeated`, delay);
      return undefined;
    }
  }
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const auth = req.headers.authorization;
  let usedBasic = false;
  if (auth !== undefined && /^basic /i.test(auth)) {
    usedBasic = true;
    if (secret !== undefined) {
      oauthError(ex, 400, 'invalid_request', 'use one client authentication method, not two', delay);
      return undefined;
    }
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    try {
      const basicId = decodeURIComponent(decoded.slice(0, Math.max(colon, 0)).replace(/\+/g, ' '));
      if (clientId !== undefined && clientId !== basicId) {
        oauthError(ex, 400, 'invalid_request', 'client_id differs from the Authorization header', delay);
        return undefined;
      }
      clientId = colon < 0 ? undefined : basicId;
      secret = colon < 0 ? undefined : decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      clientId = undefined;
    }
  }
  return { form, clientId, secret, usedBasic };
}

function refuseClient(ex: Exchange, usedBasic: boolean, delay: number): void {
  oauthError(
    ex,
    401,
    'invalid_client',
    'client authentication failed',
    delay,
    usedBasic ? { 'WWW-Authenticate': BASIC_CHALLENGE } : {},
  );
}

/**
 * The unusual variant's refusals (RFC 6749 §5.2): an unknown client is 400, a wrong secret 401 with a
 * Basic challenge whatever the client used.
 */
function refuseClientUnusual(ex: Exchange, why: string, delay: number): void {
  if (why === 'unknown-client') {
    return oauthError(ex, 400, 'invalid_client', 'unknown client', delay, {}, true);
  }
  oauthError(
    ex,
    401,
    'invalid_client',
    'client authentication failed',
    delay,
    { 'WWW-Authenticate': BASIC_CHALLENGE },
    true,
  );
}

export async function handleToken(ex: Exchange, deps: OAuthDeps): Promise<void> {
  const { faults } = deps;
  const unusual = deps.unusual === true;
  const delay = faults.delayMs('token');
  const parsed = await parseClientRequest(ex, delay);
  if (!parsed) return;
  const { form, clientId, secret, usedBasic } = parsed;
  const error = (status: number, code: string, description: string): void =>
    oauthError(ex, status, code, description, delay, {}, unusual);
  /** True when a fault lets the flaw through; otherwise the request is answered (refused) here. */
  const letThrough = (flaw: TokenRequestFlaw, refuse: () => void): boolean => {
    const answer = faults.tokenRequestFlaw(flaw);
    if (answer === 'accept') return true;
    if (answer === 'server-error') {
      send(ex, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Internal Server Error', delay);
    } else {
      refuse();
    }
    return false;
  };

  if (clientId === undefined || secret === undefined) {
    return unusual ? refuseClientUnusual(ex, 'unknown-client', delay) : refuseClient(ex, usedBasic, delay);
  }
  const checked = deps.clients.check(clientId, secret);
  const refuse = (): void =>
    unusual ? refuseClientUnusual(ex, checked, delay) : refuseClient(ex, usedBasic, delay);
  if (checked !== 'ok' && !letThrough(checked, refuse)) return;

  const grant = form.get('grant_type');
  if (grant === null || grant === '') {
    if (!letThrough('missing-grant-type', () => error(400, 'invalid_request', 'grant_type is missing')))
      return;
  } else if (grant !== 'client_credentials') {
    const unsupported = (): void =>
      error(400, 'unsupported_grant_type', 'only client_credentials is supported');
    if (!letThrough('unsupported-grant-type', unsupported)) return;
  }

  const scope = form.get('scope');
  const notAGuid = (): void => error(400, 'invalid_scope', 'scope must be the tenant id (a GUID)');
  let tenant: string | undefined;
  if (scope === null || scope.trim() === '') {
    // The unusual variant issues a token without scope; it names no tenant and reaches no data.
    if (!unusual && !letThrough('missing-scope', notAGuid)) return;
  } else {
    const value = scope.trim();
    if (!GUID.test(value) && !letThrough('malformed-scope', notAGuid)) return;
    tenant = value.toLowerCase();
    // The unusual variant issues a token for an unknown tenant too; the data endpoints refuse it (403).
    const unknownTenant = (): void => error(400, 'invalid_scope', 'unknown tenant');
    if (!deps.tenants.includes(tenant) && !unusual && !letThrough('unknown-tenant', unknownTenant)) return;
  }

  const { token, expiresIn } = await deps.tokens.issue(clientId, tenant);
  const body: Record<string, unknown> = {
    access_token: token,
    token_type: unusual ? 'bearer' : 'Bearer',
    expires_in: expiresIn,
  };
  if (unusual) {
    body.ext_expires_in = expiresIn;
    body.not_before = Math.floor(Date.now() / 1000);
  }
  if (tenant !== undefined) body.scope = tenant;
  const headers = {
    'Content-Type': unusual ? JSON_TYPE_UNUSUAL : JSON_TYPE,
    ...(unusual ? NO_STORE_UNUSUAL : NO_STORE),
  };
  faults.tokenAnswer({ body, headers, clientSecret: secret });
  send(ex, 200, headers, JSON.stringify(body), delay);
}

export async function handleRotate(ex: Exchange, deps: OAuthDeps): Promise<void> {
  const parsed = await parseClientRequest(ex, 0);
  if (!parsed) return;
  const { form, clientId, secret, usedBasic } = parsed;
  if (clientId === undefined || secret === undefined || clientId !== deps.clients.clientId) {
    return refuseClient(ex, usedBasic, 0);
  }
  // Rotation always needs the current secret, whatever faults are on.
  if (!sameSecret(secret, deps.clients.currentSecret)) return refuseClient(ex, usedBasic, 0);
  const requested = form.get('new_secret');
  if (requested !== null && !SECRET_SHAPE.test(requested)) {
    return oauthError(ex, 400, 'invalid_request', 'new_secret must be 8 to 512 visible ASCII characters', 0);
  }
  if (requested !== null && sameSecret(requested, secret)) {
    return oauthError(ex, 400, 'invalid_request', 'new_secret must differ from the current secret', 0);
  }
  const next = requested ?? generateSecret();
  deps.clients.rotate(next);
  const body: Record<string, unknown> = { rotated: true };
  if (requested === null) body.client_secret = next;
  send(ex, 200, { 'Content-Type': JSON_TYPE, ...NO_STORE }, JSON.stringify(body));
}

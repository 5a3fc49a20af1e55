/**
 * The HTTP layer: routing, bearer-token authentication, tenant selection, fault delays and the
 * last-resort error handler. Nothing a client sends can crash the process or produce a stack trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Answer, ApiContext } from './fhir-api.js';
import { batch, isServedType, outcome, read, searchType } from './fhir-api.js';
import type { ActiveFaults } from './faults/index.js';
import type { Exchange } from './http-io.js';
import { BodyTooLarge, operationOutcome, readBody, send, splitUrl } from './http-io.js';
import type { ClientRegistry } from './oauth.js';
import { handleRotate, handleToken } from './oauth.js';
import type { TenantStore } from './store.js';
import type { TokenService } from './tokens.js';
import type { FhirVersion } from './versions.js';
import { decodePageKey } from './bundle.js';
import { FHIR_JSON, FHIR_JSON_UNUSUAL, isVersion } from './versions.js';

export interface ServerState {
  faults: ActiveFaults;
  /** Origin the server listens on, e.g. http://127.0.0.1:PORT. */
  origin: string;
  scheme: 'http' | 'https';
  /** Listening on a wildcard address: URLs in answers follow the request's Host header. */
  wildcard: boolean;
  delayMs: number;
  tenants: readonly [string, string];
  stores: Record<FhirVersion, Map<string, TenantStore>>;
  tokens: TokenService;
  clients: ClientRegistry;
  capability: (version: FhirVersion, origin: string) => string;
  inFlight: number;
  /** The unusual variant (see variations.ts): conformant, every legal, less common way. */
  unusual: boolean;
}

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const REALM = 'realm="fhir-certify-reference"';
const SCOPE_HINT = 'tenant-guid';

function publicOrigin(state: ServerState, req: IncomingMessage): string {
  if (!state.wildcard) return state.origin;
  const host = req.headers.host;
  return host !== undefined && HOST_HEADER.test(host) ? `${state.scheme}://${host}` : state.origin;
}

function contentType(state: ServerState, version: FhirVersion | undefined): string {
  return state.faults.contentType((state.unusual ? FHIR_JSON_UNUSUAL : FHIR_JSON)[version ?? 'stu3']);
}

function sendAnswer(
  state: ServerState,
  ex: Exchange,
  version: FhirVersion | undefined,
  answer: Answer,
  extraDelay = 0,
  headers: Record<string, string> = {},
): void {
  send(
    ex,
    answer.status,
    { 'Content-Type': contentType(state, version), ...headers },
    answer.json,
    extraDelay,
  );
}

export function createHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const ex: Exchange = { req, res, startedAt: performance.now(), delayMs: state.delayMs, answered: false };
    route(state, ex).catch((err: unknown) => {
      if (ex.answered) return;
      const tooLarge = err instanceof BodyTooLarge;
      const status = tooLarge ? 413 : 500;
      const text = tooLarge ? 'request body too large' : 'internal error';
      send(
        ex,
        status,
        { 'Content-Type': contentType(state, undefined), ...(tooLarge ? { Connection: 'close' } : {}) },
        operationOutcome(tooLarge ? 'too-long' : 'exception', text, state.faults.switchedOn('stackTraces')),
      );
    });
  };
}

async function route(state: ServerState, ex: Exchange): Promise<void> {
  const { req } = ex;
  const parts = splitUrl(req.url ?? '/');
  if (!parts) return sendAnswer(state, ex, undefined, outcome(state, 400, 'invalid', 'malformed URL'));
  const { segments, query } = parts;
  const [first, ...rest] = segments;

  if (first === 'oauth') {
    const deps = {
      clients: state.clients,
      tokens: state.tokens,
      tenants: state.tenants,
      faults: state.faults,
      unusual: state.unusual,
    };
    if (rest.length === 1 && rest[0] === 'token') return handleToken(ex, deps);
    if (rest.length === 1 && rest[0] === 'rotate') return handleRotate(ex, deps);
    if (rest.length === 1 && rest[0] === 'authorize') {
      return send(
        ex,
        400,
        { 'Content-Type': 'application/json; charset=utf-8' },
        JSON.stringify({
          error: 'unsupported_response_type',
          error_description: 'only client_credentials is supported',
        }),
      );
    }
  }
  if (first === undefined || !isVersion(first)) {
    return sendAnswer(
      state,
      ex,
      undefined,
      outcome(state, 404, 'not-found', 'unknown path; FHIR bases are /dstu2 and /stu3'),
    );
  }
  const version = first;
  const method = req.method ?? 'GET';

  if (rest.length === 1 && rest[0] === 'metadata') {
    if (method !== 'GET') return methodNotAllowed(state, ex, version, 'GET');
    if (state.faults.switchedOn('metadataNeedsToken') && !(await authenticate(state, ex, version))) return;
    const json = state.capability(version, publicOrigin(state, req));
    return sendAnswer(state, ex, version, { status: 200, json }, state.faults.delayMs('metadata'));
  }

  const [type, second, third, fourth] = rest;
  const pageKey = state.unusual && type === undefined && method === 'GET' ? getPagesKey(query) : undefined;
  const isBatch = type === undefined && pageKey === undefined;
  const isSearchPost = second === '_search' && third === undefined;
  const isRead = second !== undefined && !isSearchPost && third === undefined;
  const isVread = state.unusual && third === '_history' && fourth !== undefined && rest.length === 4;
  if (rest.length > 2 && !isVread)
    return sendAnswer(state, ex, version, outcome(state, 404, 'not-found', 'unknown path'));
  if (isBatch && method !== 'POST') return methodNotAllowed(state, ex, version, 'POST');
  if (isSearchPost && method !== 'POST') return methodNotAllowed(state, ex, version, 'POST');
  if (!isBatch && !isSearchPost && method !== 'GET') return methodNotAllowed(state, ex, version, 'GET');
  if (pageKey !== undefined) {
    const page = decodePageKey(pageKey);
    if (!page || !isServedType(version, page.type)) {
      return sendAnswer(state, ex, version, outcome(state, 400, 'invalid', 'the page key is not valid'));
    }
  }
  if (type !== undefined && !isServedType(version, type)) {
    return sendAnswer(
      state,
      ex,
      version,
      outcome(state, 404, 'not-supported', `resource type ${type} is not supported`),
    );
  }

  const store = await authenticate(state, ex, version);
  if (!store) return;
  const overlapping = state.faults.overlapping();
  if (overlapping && !holdForConcurrency(state, ex, version, overlapping.holdMs)) return;
  const ctx: ApiContext = {
    version,
    base: `${publicOrigin(state, req)}/${version}`,
    store,
    otherStore: [...state.stores[version].values()].find((s) => s !== store),
    hideTenant: state.faults.switchedOn('hidesFirstTenantPatients') && store.tenantId === state.tenants[0],
    faults: state.faults,
    unusual: state.unusual,
  };
  // The unusual variant frames searches and batches as chunked bodies, and dates its reads.
  if (state.unusual) ex.chunked = !isRead && !isVread;
  const delay = (interaction: 'read' | 'search' | 'batch'): number => state.faults.delayMs(interaction);

  if (isBatch) {
    const body = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return sendAnswer(
        state,
        ex,
        version,
        outcome(state, 400, 'structure', 'the body is not valid JSON'),
        delay('batch'),
      );
    }
    return sendAnswer(state, ex, version, batch(ctx, parsed), delay('batch'));
  }
  if (pageKey !== undefined) {
    const page = decodePageKey(pageKey)!;
    const params = new URLSearchParams(query);
    const offset = params.get('_getpagesoffset') ?? '0';
    const count = params.get('_count');
    const continued: Array<[string, string]> = [...page.params, ['_offset', offset]];
    if (count !== null) continued.push(['_count', count]);
    return sendAnswer(state, ex, version, searchType(ctx, page.type, continued), delay('search'));
  }
  if (type === undefined)
    return sendAnswer(state, ex, version, outcome(ctx, 404, 'not-found', 'unknown path'));
  if (isRead || isVread) {
    const answer =
      isVread && fourth !== '1'
        ? outcome(ctx, 404, 'not-found', `${type}/${second} has no version ${fourth}`)
        : read(ctx, type, second!);
    const dated = state.unusual && answer.status === 200 ? READ_VERSION_HEADERS : {};
    return sendAnswer(state, ex, version, answer, delay('read'), dated);
  }

  const params: Array<[string, string]> = [...new URLSearchParams(query)];
  if (isSearchPost) {
    const mediaType = (req.headers['content-type'] ?? 'application/x-www-form-urlencoded')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    const body = await readBody(req);
    if (mediaType !== 'application/x-www-form-urlencoded') {
      return sendAnswer(
        state,
        ex,
        version,
        outcome(state, 415, 'not-supported', 'POST _search needs a form body'),
        delay('search'),
      );
    }
    params.push(...new URLSearchParams(body));
  }
  return sendAnswer(state, ex, version, searchType(ctx, type, params), delay('search'));
}

/** Every resource of the unusual variant is version 1 of the same day. */
const READ_VERSION_HEADERS = { ETag: 'W/"1"', 'Last-Modified': 'Wed, 15 Jan 2025 12:00:00 GMT' };

function getPagesKey(query: string): string | undefined {
  return new URLSearchParams(query).get('_getpages') ?? undefined;
}

function methodNotAllowed(state: ServerState, ex: Exchange, version: FhirVersion, allow: string): void {
  sendAnswer(state, ex, version, outcome(state, 405, 'not-supported', `use ${allow} here`), 0, {
    Allow: allow,
  });
}

/** Every data request is held `holdMs`; one that overlaps another answers 503 (a fault). */
function holdForConcurrency(state: ServerState, ex: Exchange, version: FhirVersion, holdMs: number): boolean {
  state.inFlight++;
  let released = false;
  const release = (): void => {
    if (!released) {
      released = true;
      state.inFlight--;
    }
  };
  ex.res.once('finish', release);
  ex.res.once('close', release);
  if (state.inFlight > 1) {
    sendAnswer(state, ex, version, outcome(state, 503, 'transient', 'server busy, try again'), 0, {
      'Retry-After': '1',
    });
    return false;
  }
  ex.delayMs += holdMs;
  return true;
}

/** Resolves the bearer token to the tenant's store, or answers 401 and returns undefined. */
async function authenticate(
  state: ServerState,
  ex: Exchange,
  version: FhirVersion,
): Promise<TenantStore | undefined> {
  const stores = state.stores[version];
  const tenantA = stores.get(state.tenants[0]);
  const header = ex.req.headers.authorization;
  const refuse = (challenge: string, text: string): undefined => {
    sendAnswer(state, ex, version, outcome(state, 401, 'login', text), 0, { 'WWW-Authenticate': challenge });
    return undefined;
  };
  // RFC 6750 §3: auth-params in any order; the unusual variant puts the error first and adds scope.
  const challenge = (params: string): string =>
    state.unusual
      ? `Bearer ${params ? `${params}, ` : ''}${REALM}, scope="${SCOPE_HINT}"`
      : `Bearer ${REALM}${params ? `, ${params}` : ''}`;
  if (header === undefined || header.trim() === '') {
    if (state.faults.bearerAccepted('missing')) return tenantA;
    return refuse(challenge(''), 'a bearer token is required');
  }
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    return refuse(challenge('error="invalid_request"'), 'the Authorization header must be "Bearer <token>"');
  }
  const verified = await state.tokens.verify(match[1]);
  if (!verified.ok) {
    const text =
      verified.reason === 'expired' ? 'the access token has expired' : 'the access token is not valid';
    return refuse(challenge(`error="invalid_token", error_description="${text}"`), text);
  }
  const { tid, forged } = verified.claims;
  if (tid !== undefined) {
    const own = stores.get(tid);
    if (own) return own;
    if (state.faults.bearerAccepted('unknown-tenant')) return tenantA;
    if (state.unusual) {
      // A token the unusual variant issued for a tenant it does not serve: valid, but no data.
      sendAnswer(
        state,
        ex,
        version,
        outcome(state, 403, 'forbidden', 'the token grants no tenant served here'),
      );
      return undefined;
    }
  } else if (forged || state.faults.bearerAccepted('no-tenant')) {
    return tenantA;
  }
  return refuse(challenge('error="invalid_token"'), 'the access token names no known tenant');
}

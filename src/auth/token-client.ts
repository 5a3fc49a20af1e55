/**
 * The client-credentials token flow as the Teams app performs it: a form POST of grant_type,
 * client_id, client_secret and scope=<tenant> to the token URL. `requestToken` sends exactly what it is
 * told (the negative AUTH checks send one thing wrong); `TokenProvider` is the well-behaved client the
 * other suites use, with a cache per tenant that renews before expiry so a long run never fails on a
 * token the harness forgot to renew.
 */
import type { Http } from '../http/client.js';
import type { Exchange } from '../http/exchange.js';
import type { Redactor } from '../http/redact.js';
import { parseTokenResponse, type IssuedToken, type TokenParse } from './token-response.js';

export interface TokenRequest {
  clientId?: string;
  clientSecret?: string;
  /** undefined sends no scope parameter at all. */
  scope?: string;
  /** Default client_credentials; undefined with `omitGrantType` sends none. */
  grantType?: string;
  omitGrantType?: boolean;
  method: 'client_secret_post' | 'client_secret_basic';
  quiet?: boolean;
  /** The load mode's simulated user (see HttpRequest.lane). */
  lane?: number;
  /** See HttpRequest.resendable: only for the harness's own tokens, never for a request a check judges. */
  resendable?: boolean;
}

export async function requestToken(
  http: Http,
  tokenUrl: string,
  req: TokenRequest,
  redactor: Redactor,
): Promise<{ exchange: Exchange; parsed: TokenParse }> {
  const form: Record<string, string | undefined> = {
    grant_type: req.omitGrantType ? undefined : (req.grantType ?? 'client_credentials'),
    scope: req.scope,
  };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.method === 'client_secret_basic') {
    // RFC 6749 §2.3.1: both parts form-encoded before base64.
    const user = encodeURIComponent(req.clientId ?? '');
    const pass = encodeURIComponent(req.clientSecret ?? '');
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  } else {
    form.client_id = req.clientId;
    form.client_secret = req.clientSecret;
  }
  const exchange = await http.request({
    method: 'POST',
    url: tokenUrl,
    form,
    headers,
    quiet: req.quiet,
    lane: req.lane,
    resendable: req.resendable,
  });
  const parsed = parseTokenResponse(exchange);
  if (parsed.ok) redactor.addToken(parsed.token.accessToken);
  return { exchange, parsed };
}

/** Renew when less than this share of the lifetime, or this many seconds, is left. */
const RENEW_SHARE = 0.2;
const RENEW_MIN_S = 5;

export class TokenProvider {
  private readonly cache = new Map<string, IssuedToken>();
  private readonly pending = new Map<string, Promise<IssuedToken>>();
  /** How many tokens were obtained, for the report and for tests of the renewal logic. */
  issued = 0;

  constructor(
    private readonly http: Http,
    private readonly tokenUrl: string,
    private readonly credentials: { clientId: string; clientSecret: string; method: TokenRequest['method'] },
    private readonly redactor: Redactor,
  ) {}

  /** A token for the tenant that will still be valid for a while; throws with a reason when none can be had. */
  async get(tenant: string, now = Date.now()): Promise<string> {
    const fresh = this.fresh(tenant, now);
    if (fresh !== undefined) return fresh;
    let inflight = this.pending.get(tenant);
    if (!inflight) {
      inflight = this.fetch(tenant).finally(() => this.pending.delete(tenant));
      this.pending.set(tenant, inflight);
    }
    return (await inflight).accessToken;
  }

  /** The cached token when it is not yet due for renewal: `get` without a promise, for the load mode. */
  fresh(tenant: string, now = Date.now()): string | undefined {
    const cached = this.cache.get(tenant);
    return cached && !this.dueForRenewal(cached, now) ? cached.accessToken : undefined;
  }

  /** The last token issued for the tenant, if any (for JWT inspection). */
  current(tenant: string): IssuedToken | undefined {
    return this.cache.get(tenant);
  }

  /** Forget a token the partner refused, so the next `get` asks for a new one. */
  invalidate(tenant: string): void {
    this.cache.delete(tenant);
  }

  private dueForRenewal(token: IssuedToken, now: number): boolean {
    const lifetime = token.expiresIn * 1000;
    // Never more than half the lifetime, or a short-lived token would be renewed on every request.
    const margin = Math.min(Math.max(RENEW_MIN_S * 1000, lifetime * RENEW_SHARE), lifetime / 2);
    return now >= token.expiresAt - margin;
  }

  private async fetch(tenant: string): Promise<IssuedToken> {
    // A renewal is the harness's own token, not a verdict: after AUTH-09 waits a token out, the token
    // endpoint may close the idle socket just as the renewal goes out on it, and asking once more is
    // what the app's token client does.
    const { parsed } = await requestToken(
      this.http,
      this.tokenUrl,
      { ...this.credentials, scope: tenant, quiet: true, resendable: true },
      this.redactor,
    );
    if (!parsed.ok) throw new Error(`no token for tenant ${tenant}: ${parsed.reason}`);
    this.issued += 1;
    this.cache.set(tenant, parsed.token);
    return parsed.token;
  }
}

/**
 * Reads an RFC 6749 §5.1 token response without trusting it: any JSON, any status. Answers either a
 * usable token or the one reason it is not usable.
 */
import { describe, type Exchange } from '../http/exchange.js';
import { brief, isObject } from '../core/json.js';

export interface IssuedToken {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  /** Wall-clock ms when the answer arrived, and when the token stops working by its own account. */
  obtainedAt: number;
  expiresAt: number;
  scope?: string;
}

export type TokenParse = { ok: true; token: IssuedToken } | { ok: false; reason: string };

export function parseTokenResponse(exchange: Exchange, now = Date.now()): TokenParse {
  if (exchange.error) return { ok: false, reason: `${exchange.error.code}: ${exchange.error.message}` };
  // A redirect is named with where it pointed: the secret would have gone there had it been followed.
  if (exchange.redirect) return { ok: false, reason: describe(exchange) };
  if (exchange.status !== 200) {
    const oauth = oauthError(exchange);
    return { ok: false, reason: `HTTP ${exchange.status}${oauth ? ` with error "${oauth}"` : ''}` };
  }
  const parsed = exchange.json();
  if (!parsed.ok) return { ok: false, reason: `HTTP 200 but ${parsed.reason}` };
  const body = parsed.value;
  if (!isObject(body)) return { ok: false, reason: 'HTTP 200 but the JSON is not an object' };
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = body;
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    return { ok: false, reason: `access_token is ${describeValue(accessToken)}, not a non-empty string` };
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    return { ok: false, reason: `token_type is ${describeValue(tokenType)}, not "Bearer"` };
  }
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn <= 0) {
    return { ok: false, reason: `expires_in is ${describeValue(expiresIn)}, not a positive integer` };
  }
  return {
    ok: true,
    token: {
      accessToken,
      tokenType,
      expiresIn,
      obtainedAt: now,
      expiresAt: now + expiresIn * 1000,
      ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    },
  };
}

/** The RFC 6749 §5.2 `error` code of an error answer, if it has one. */
export function oauthError(exchange: Exchange): string | undefined {
  const parsed = exchange.json();
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  return typeof parsed.value.error === 'string' ? parsed.value.error : undefined;
}

/**
 * Never quotes a long string (it may be a real token) and never stringifies a structure: a partner's
 * deeply nested `access_token` would make JSON.stringify throw RangeError instead of failing AUTH-01.
 */
function describeValue(value: unknown): string {
  if (typeof value === 'string' && value.length > 40) return `a ${value.length}-character string`;
  return brief(value, 40);
}

/**
 * What the AUTH checks share: asking for a token (each answer searched for an echoed secret unmasked,
 * as it arrives, for AUTH-11), and the judgement of an RFC 6749 §5.2 refusal.
 */
import { requestToken, type TokenRequest } from '../../src/auth/token-client.js';
import { oauthError, type TokenParse } from '../../src/auth/token-response.js';
import { fail, pass, type Outcome } from '../../src/engine/check.js';
import type { RunContext } from '../../src/engine/context.js';
import { describe, type Exchange } from '../../src/http/exchange.js';
import { isObject } from '../../src/core/json.js';
import { tokenAnswers } from '../../src/partner/facts.js';
import { secretEchoIn } from './credentials.js';

/**
 * `requestToken` with the run's defaults, recording the answer for AUTH-11: the asking check declares
 * `adds: [tokenAnswers]`.
 */
export async function askToken(
  ctx: RunContext,
  tokenUrl: string,
  req: Omit<TokenRequest, 'method'> & { method?: TokenRequest['method'] },
): Promise<{ exchange: Exchange; parsed: TokenParse }> {
  const result = await requestToken(
    ctx.http,
    tokenUrl,
    { method: ctx.options.tokenAuthMethod, ...req },
    ctx.redactor,
  );
  const echoedIn = secretEchoIn(result.exchange, ctx.redactor);
  ctx.collect(tokenAnswers).push({
    status: result.exchange.status,
    evidence: result.exchange.evidence,
    ...(echoedIn ? { echoedIn } : {}),
  });
  return result;
}

/** Whether a token-endpoint answer carries an access_token, whatever its status. */
export function carriesToken(exchange: Exchange): boolean {
  const body = exchange.json();
  return body.ok && isObject(body.value) && body.value.access_token !== undefined;
}

/**
 * Judges a refusal the token endpoint owes: one of `statuses`, an `error` among `errors`, and no
 * token. `what` names the request in the message, e.g. `a wrong client_secret`.
 */
export function judgeRefusal(
  exchange: Exchange,
  what: string,
  statuses: number[],
  errors: string[],
  extra: Partial<Outcome> = {},
): Outcome {
  const expected = `${statuses.join(' or ')} with error=${errors.join(' or ')}`;
  const code = oauthError(exchange);
  if (exchange.status === 0)
    return fail(`${what}: no HTTP answer (${describe(exchange)}); expected ${expected}`, extra);
  if (carriesToken(exchange)) {
    return fail(
      `${what} got HTTP ${exchange.status} with an access_token; it must be refused with ${expected}`,
      extra,
    );
  }
  if (!statuses.includes(exchange.status)) {
    return fail(
      `${what} answered HTTP ${exchange.status}${code ? ` error=${code}` : ''}; expected ${expected}`,
      extra,
    );
  }
  if (!code || !errors.includes(code)) {
    return fail(
      `${what} was refused with HTTP ${exchange.status} but ${code ? `error=${code}` : 'no RFC 6749 "error" field'}; expected error=${errors.join(' or ')}`,
      extra,
    );
  }
  return pass(`${what} was refused with HTTP ${exchange.status} error=${code} and no token`, extra);
}

export function isSuccess(exchange: Exchange): boolean {
  return exchange.status >= 200 && exchange.status < 300;
}

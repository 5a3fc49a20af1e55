/**
 * What the AUTH checks share: the token AUTH-01 obtained, every token-endpoint answer (searched for an
 * echoed secret unmasked, as it arrives, for AUTH-11), and the judgement of an RFC 6749 §5.2 refusal.
 */
import { requestToken, type TokenRequest } from '../../src/auth/token-client.js';
import { oauthError, type TokenParse } from '../../src/auth/token-response.js';
import type { IssuedToken } from '../../src/auth/token-response.js';
import { fail, pass, type Outcome } from '../../src/engine/check.js';
import type { RunContext } from '../../src/engine/context.js';
import { describe, type Exchange, type KeptAnswer } from '../../src/http/exchange.js';
import { isObject } from '../../src/core/json.js';
import type { Evidence } from '../../src/core/model.js';
import { knownSecrets, secretEchoIn } from './credentials.js';

export interface TokenAnswerSeen {
  status: number;
  evidence: Evidence;
  /** Where the answer echoed a known secret (`the body`, `the x-echo header`), when it did. */
  echoedIn?: string;
}

declare module '../../src/engine/state.js' {
  interface RunState {
    /** The token AUTH-01 obtained for the first tenant, with its raw exchange. */
    authToken?: { exchange: KeptAnswer; token: IssuedToken; tenant: string };
    /**
     * Every token-endpoint answer the AUTH and ROUTE checks got, for AUTH-11: searched for an echoed
     * secret when it arrived, so only the evidence is kept, not a body that may be 20 MiB.
     */
    tokenExchanges?: TokenAnswerSeen[];
  }
}

/** `requestToken` with the run's defaults, recording the raw exchange for AUTH-11. */
export async function askToken(
  ctx: RunContext,
  req: Omit<TokenRequest, 'method'> & { method?: TokenRequest['method'] },
): Promise<{ exchange: Exchange; parsed: TokenParse }> {
  if (!ctx.state.tokenUrl) throw new Error('no token URL is known (META-04 did not find one)');
  const result = await requestToken(
    ctx.http,
    ctx.state.tokenUrl,
    { method: ctx.options.tokenAuthMethod, ...req },
    ctx.redactor,
  );
  const echoedIn = secretEchoIn(result.exchange, knownSecrets(ctx));
  (ctx.state.tokenExchanges ??= []).push({
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

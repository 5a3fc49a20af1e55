/**
 * AUTH-07, AUTH-08, AUTH-09: data requests whose token is missing, forged or expired get 401.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBearer, tamperToken } from '../../src/auth/jwt.js';
import { fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, manual, pass, type Outcome } from '../../src/engine/check.js';
import { describe, type Exchange } from '../../src/http/exchange.js';
import { workingSecret } from '../../src/auth/secret.js';
import { firstToken, tokenAnswers, tokens, tokenUrl } from '../../src/partner/facts.js';
import { askToken, isSuccess } from './shared.js';

/** AUTH-09: how long past its announced expiry an expired token is tried, for clock skew and rounding. */
export const EXPIRY_SKEW_S = 3;

const DATA_PATH = 'Patient?_count=1';

/** 401 passes; anything else fails, and data is named as such. */
function expect401(exchange: Exchange, what: string, extra: Partial<Outcome> = {}): Outcome {
  if (exchange.status === 401) return pass(`${what} got HTTP 401`, extra);
  const served = isSuccess(exchange) ? ' and was served' : '';
  return fail(`${what} answered ${describe(exchange)}${served}; expected 401`, extra);
}

export const bearerChecks = [
  defineCheck({
    id: 'auth-07-no-token',
    requirement: 'AUTH-07',
    async run(ctx) {
      const res = await ctx.http.request({ url: fhirUrl(ctx, DATA_PATH) });
      const outcome = expect401(res, `GET ${DATA_PATH} without an Authorization header`);
      if (outcome.status !== 'pass') return outcome;
      const challenge = res.headers['www-authenticate'] ?? '';
      return /^\s*bearer\b/i.test(challenge) || /,\s*bearer\b/i.test(challenge)
        ? pass(`${outcome.message} with WWW-Authenticate: ${challenge.slice(0, 80)}`)
        : pass(
            `${outcome.message}; WWW-Authenticate: Bearer is recommended but ${challenge ? `the header says ${JSON.stringify(challenge.slice(0, 60))}` : 'missing'}`,
          );
    },
  }),
  defineCheck({
    id: 'auth-08-tampered-token',
    requirement: 'AUTH-08',
    uses: { tokens },
    async run(ctx, { tokens }) {
      const tenant = ctx.options.tenants[0]!;
      // A token fresh enough that only the tampering, not its age, can explain a 401.
      const valid = await tokens.get(tenant);
      const tampered = tamperToken(valid);
      const random = randomBearer();
      ctx.redactor.addToken(tampered);
      ctx.redactor.addToken(random);
      const url = fhirUrl(ctx, DATA_PATH);
      const a = await ctx.http.request({ url, bearer: tampered });
      const b = await ctx.http.request({ url, bearer: random });
      return [
        expect401(a, 'a valid token with one signature character changed', {
          subject: 'tampered signature',
          evidence: [a.evidence],
        }),
        expect401(b, 'a random bearer string', { subject: 'random string', evidence: [b.evidence] }),
      ];
    },
  }),
  defineCheck({
    id: 'auth-09-expired-token',
    requirement: 'AUTH-09',
    uses: { firstToken, tokenUrl },
    adds: [tokenAnswers],
    async run(ctx, { firstToken, tokenUrl }) {
      const { tenants, clientId, maxExpiryWaitS } = ctx.options;
      const lifetime = firstToken.token.expiresIn;
      if (lifetime > maxExpiryWaitS) {
        return manual(
          `tokens live ${lifetime} s, longer than --max-expiry-wait ${maxExpiryWaitS} s: a reviewer confirms that a token used after its expires_in gets 401 (or rerun with --max-expiry-wait ${lifetime + EXPIRY_SKEW_S})`,
        );
      }
      const tenant = tenants[0]!;
      const { parsed } = await askToken(ctx, tokenUrl, {
        clientId,
        clientSecret: await workingSecret(ctx, tokenUrl),
        scope: tenant,
      });
      if (!parsed.ok) return fail(`no token to wait out: ${parsed.reason}`, { level: 'required' });
      const { token } = parsed;
      const url = fhirUrl(ctx, DATA_PATH);
      const fresh = await ctx.http.request({ url, bearer: token.accessToken });
      if (!isSuccess(fresh)) {
        return fail(`a fresh token was refused before it expired (${describe(fresh)}); cannot test expiry`, {
          level: 'required',
        });
      }
      const waitMs = token.expiresAt + EXPIRY_SKEW_S * 1000 - Date.now();
      ctx.progress(`AUTH-09: waiting ${Math.ceil(waitMs / 1000)} s for a token to expire`);
      if (waitMs > 0) await sleep(waitMs, undefined, { signal: ctx.signal });
      const late = await ctx.http.request({ url, bearer: token.accessToken });
      const what = `a token used ${Math.round((Date.now() - token.expiresAt) / 1000)} s after its expires_in (${token.expiresIn} s) ran out`;
      const outcome = expect401(late, what, { level: 'required' });
      return outcome.status === 'pass'
        ? outcome
        : {
            ...outcome,
            message: `${outcome.message}; expired tokens must be refused (keep any clock-skew leeway to a few seconds)`,
          };
    },
  }),
];

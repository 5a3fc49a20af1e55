/**
 * AUTH-01, AUTH-02, AUTH-06, AUTH-11: the token the app gets, and what its response says and must
 * not say.
 */
import { claimNamingTenant, inspectJwt } from '../../src/auth/jwt.js';
import { fhirUrl, makeTokenProvider } from '../../src/auth/session.js';
import { defineCheck, fail, na, pass, warn } from '../../src/engine/check.js';
import { describe, keptAnswer } from '../../src/http/exchange.js';
import { secretChoice, workingSecret } from '../../src/auth/secret.js';
import { firstToken, tokenAnswers, tokens, tokenUrl } from '../../src/partner/facts.js';
import { diagnoseTokenFailure } from '../../src/auth/token-diagnosis.js';
import { askToken, isSuccess } from './shared.js';

/** AUTH-06: how far a JWT's exp may be from what expires_in announced. */
export const EXP_TOLERANCE_S = 120;

export const tokenIssued = [
  defineCheck({
    id: 'auth-01-token',
    requirement: 'AUTH-01',
    uses: { tokenUrl },
    provides: [tokens, firstToken],
    adds: [tokenAnswers],
    async run(ctx, { tokenUrl }) {
      const tenant = ctx.options.tenants[0];
      if (!tenant || !ctx.options.clientId)
        return fail('the run has no client id or tenant to ask a token for');
      const choice = await secretChoice(ctx, tokenUrl);
      const secret = await workingSecret(ctx, tokenUrl);
      const { exchange, parsed } = await askToken(ctx, tokenUrl, {
        clientId: ctx.options.clientId,
        clientSecret: secret,
        scope: tenant,
      });
      if (!parsed.ok) {
        const diagnosis = diagnoseTokenFailure(exchange, tokenUrl, ctx.options);
        if (diagnosis) ctx.diagnose(diagnosis);
        const why = diagnosis?.kind === 'credentials-refused' ? `: ${diagnosis.message}` : '';
        return fail(`the token request for tenant ${tenant} got no usable token: ${parsed.reason}${why}`);
      }
      ctx.provide(firstToken, { exchange: keptAnswer(exchange), token: parsed.token, tenant });
      ctx.provide(tokens, makeTokenProvider(ctx, tokenUrl, secret));
      const data = await ctx.http.request({
        url: fhirUrl(ctx, 'Patient?_count=1'),
        bearer: parsed.token.accessToken,
      });
      const issued = `HTTP 200 with a Bearer access_token, expires_in ${parsed.token.expiresIn} s`;
      if (!isSuccess(data)) {
        return fail(
          `${issued}, but GET Patient?_count=1 with that token answered ${describe(data)}; an issued token must reach the tenant's data`,
        );
      }
      const note =
        choice === 'rotated'
          ? ' (with the rotated secret)'
          : choice === 'original'
            ? ' (with the original secret: the rotated one was refused, see AUTH-10)'
            : '';
      return pass(`${issued}${note}; GET Patient?_count=1 with it answered HTTP ${data.status}`);
    },
  }),
  defineCheck({
    id: 'auth-02-no-store',
    requirement: 'AUTH-02',
    uses: { firstToken },
    async run(_ctx, { firstToken: { exchange } }) {
      const cacheControl = exchange.headers['cache-control'] ?? '';
      const pragma = exchange.headers.pragma ?? '';
      const missing: string[] = [];
      if (!/(^|[\s,])no-store($|[\s,;])/i.test(cacheControl)) {
        missing.push(`Cache-Control: no-store (got ${cacheControl ? JSON.stringify(cacheControl) : 'none'})`);
      }
      if (!/no-cache/i.test(pragma))
        missing.push(`Pragma: no-cache (got ${pragma ? JSON.stringify(pragma) : 'none'})`);
      const evidence = [exchange.evidence];
      return missing.length
        ? warn(
            `the token response lacks ${missing.join(' and ')}; tokens must not be cached (RFC 6749 §5.1)`,
            {
              evidence,
            },
          )
        : pass('the token response carries Cache-Control: no-store and Pragma: no-cache', { evidence });
    },
  }),
];

export const tokenInspected = defineCheck({
  id: 'auth-06-jwt',
  requirement: 'AUTH-06',
  uses: { firstToken },
  async run(_ctx, { firstToken: { token, tenant, exchange } }) {
    const evidence = [exchange.evidence];
    const seen = inspectJwt(token.accessToken);
    if (seen.kind === 'opaque')
      return na('the access token is opaque (not a JWT): nothing to decode', { evidence });
    if (seen.kind === 'malformed') {
      return fail(`the access token looks like a JWT but does not decode: ${seen.reason}`, { evidence });
    }
    const problems: string[] = [];
    const alg = typeof seen.header.alg === 'string' ? seen.header.alg : '';
    // An unsigned token can be forged by anyone who has seen one: no resource server may accept it.
    if (alg === '' || alg.toLowerCase() === 'none' || token.accessToken.endsWith('.')) {
      problems.push(
        `it is unsigned (alg ${alg ? `"${alg}"` : 'missing'}, empty signature), so anyone can forge one`,
      );
    }
    const { exp } = seen.claims;
    const expected = Math.round(token.obtainedAt / 1000) + token.expiresIn;
    if (typeof exp !== 'number') {
      problems.push('it has no numeric exp claim');
    } else if (Math.abs(exp - expected) > EXP_TOLERANCE_S) {
      problems.push(
        `its exp is ${Math.round(exp - expected)} s away from what expires_in (${token.expiresIn} s) announced (tolerance ±${EXP_TOLERANCE_S} s)`,
      );
    }
    const claim = claimNamingTenant(seen.claims, tenant);
    if (!claim)
      problems.push(`no scope, scp, tid or tenant claim carries the tenant ${tenant} that was asked for`);
    if (problems.length)
      return fail(`the JWT access token decodes, but ${problems.join('; ')}`, { evidence });
    return pass(
      `the JWT (alg ${String(seen.header.alg)}) decodes, exp agrees with expires_in within ${EXP_TOLERANCE_S} s, and its ${claim} claim names the tenant`,
      { evidence },
    );
  },
});

/** Runs once every check that asks for a token has: it reads all their answers, refusals included. */
export const secretNotEchoed = defineCheck({
  id: 'auth-11-no-secret-echo',
  requirement: 'AUTH-11',
  uses: { tokenUrl, exchanges: tokenAnswers },
  async run(_ctx, { exchanges }) {
    const echoing = exchanges.filter((e) => e.echoedIn !== undefined);
    if (echoing.length) {
      const first = echoing[0]!;
      return fail(
        `${echoing.length} of ${exchanges.length} token responses echo the client secret (first in ${first.echoedIn} of an HTTP ${first.status} answer); never return it`,
        { evidence: echoing.map((e) => e.evidence) },
      );
    }
    if (exchanges.length === 0) return fail('no token response was obtained to inspect (see AUTH-01)');
    return pass(
      `none of the ${exchanges.length} token responses (success and refusals) echoes the client secret`,
      {
        evidence: [exchanges[0]!.evidence],
      },
    );
  },
});

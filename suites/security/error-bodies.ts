/**
 * SEC-03: error answers carry no stack traces or internal details, and the FHIR endpoint's 4xx/5xx
 * bodies are OperationOutcomes. The errors are provoked the way an app meets them: an unknown id, a
 * bad search value, an unknown resource type, a missing token, and a refused token request.
 */
import { randomUUID } from 'node:crypto';
import { fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, pass, type Outcome } from '../../src/engine/check.js';
import type { RunContext } from '../../src/engine/context.js';
import { optional } from '../../src/engine/facts.js';
import type { TokenProvider } from '../../src/auth/token-client.js';
import { workingSecret } from '../../src/auth/secret.js';
import { tokens, tokenUrl } from '../../src/partner/facts.js';
import { describe, type Exchange } from '../../src/http/exchange.js';
import { isObject } from '../../src/core/json.js';
import { findInternalDetails } from '../../src/transport/leaks.js';
import { makeTokenProvider } from '../../src/auth/session.js';
import { hasCredentials } from '../auth/credentials.js';
import { tokenUrlOf } from './token-url.js';

/**
 * A token for the first tenant when the run has credentials, from AUTH-01's provider or, when AUTH
 * did not run, one of its own: errors are then the app's own errors.
 */
async function maybeToken(
  ctx: RunContext,
  url: string | undefined,
  provider: TokenProvider | undefined,
): Promise<string | undefined> {
  const tenant = ctx.options.tenants[0];
  if (!tenant || !url || !hasCredentials(ctx)) return undefined;
  try {
    return await (provider ?? makeTokenProvider(ctx, url, await workingSecret(ctx, url))).get(tenant);
  } catch {
    return undefined;
  }
}

function judgeErrorAnswer(exchange: Exchange, what: string, fhir: boolean, subject: string): Outcome {
  const extra = { subject, evidence: [exchange.evidence] };
  if (exchange.status === 0) return fail(`${what}: no HTTP answer (${describe(exchange)})`, extra);
  if (exchange.status < 400) {
    return pass(`${what} answered HTTP ${exchange.status}: no error answer to judge`, extra);
  }
  const leak = findInternalDetails(exchange.text);
  if (leak) {
    return fail(
      `${what} answered HTTP ${exchange.status} carrying ${leak.kind} (${JSON.stringify(leak.excerpt)}); keep internals in server logs`,
      extra,
    );
  }
  if (!fhir) return pass(`${what} answered HTTP ${exchange.status} with no internal details`, extra);
  if (exchange.body.length === 0) {
    return pass(`${what} answered HTTP ${exchange.status} with an empty body (no internal details)`, extra);
  }
  const body = exchange.json();
  if (!body.ok || !isObject(body.value) || body.value.resourceType !== 'OperationOutcome') {
    const got = body.ok
      ? `a JSON ${isObject(body.value) ? String(body.value.resourceType ?? 'object') : 'value'}`
      : 'a non-JSON body';
    return fail(
      `${what} answered HTTP ${exchange.status} with ${got}; error bodies must be OperationOutcome`,
      extra,
    );
  }
  return pass(
    `${what} answered HTTP ${exchange.status} with an OperationOutcome and no internal details`,
    extra,
  );
}

export const errorBodyChecks = [
  defineCheck({
    id: 'sec-03-error-bodies',
    requirement: 'SEC-03',
    uses: { tokenUrl: optional(tokenUrl), tokens: optional(tokens) },
    async run(ctx, given) {
      const url = await tokenUrlOf(ctx, given.tokenUrl);
      const bearer = await maybeToken(ctx, url, given.tokens);
      const auth = bearer ? { bearer } : {};
      const note = bearer
        ? ''
        : url && hasCredentials(ctx)
          ? " (no token: the token request with the run's credentials failed, see AUTH-01)"
          : ' (no token: the run has no credentials)';
      const outcomes: Outcome[] = [];
      const ask = async (path: string, what: string, subject: string, withToken = true): Promise<void> => {
        const res = await ctx.http.request({ url: fhirUrl(ctx, path), ...(withToken ? auth : {}) });
        outcomes.push(judgeErrorAnswer(res, `${what}${withToken ? note : ''}`, true, subject));
      };
      await ask(`Patient/fhir-certify-${randomUUID()}`, 'a read of an unknown Patient id', 'unknown id');
      await ask('Patient?birthdate=not-a-date', 'a search with an invalid birthdate', 'bad search');
      await ask('FhirCertifyNoSuchType?_count=1', 'a search of an unknown resource type', 'unknown type');
      await ask('Patient?_count=1', 'a data request without a token', 'no token', false);
      if (url) {
        const res = await ctx.http.request({
          method: 'POST',
          url,
          form: { grant_type: 'fhir-certify-unsupported', scope: ctx.options.tenants[0] },
          headers: { accept: 'application/json' },
        });
        outcomes.push(
          judgeErrorAnswer(
            res,
            'a token request with an unsupported grant_type and no client',
            false,
            'token error',
          ),
        );
      }
      return outcomes;
    },
  }),
];

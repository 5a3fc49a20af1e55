/**
 * ROUTE-03, ROUTE-04, ROUTE-05: token requests whose scope names no configured tenant — an unknown
 * GUID, no scope at all, malformed strings — are refused at the token endpoint or get a token that
 * reaches no data. Never a server error, never data.
 */
import { randomUUID } from 'node:crypto';
import { fhirUrl } from '../../src/auth/session.js';
import { defineCheck, fail, pass, type Outcome } from '../../src/engine/check.js';
import type { RunContext } from '../../src/engine/context.js';
import { optional } from '../../src/engine/facts.js';
import { probes, tokenAnswers, tokens, tokenUrl } from '../../src/partner/facts.js';
import type { Probe } from '../../src/partner/probe.js';
import { describe } from '../../src/http/exchange.js';
import type { Evidence } from '../../src/core/model.js';
import { oauthError } from '../../src/auth/token-response.js';
import { bundleEntries } from '../../src/fhir/bundle.js';
import { workingSecret } from '../../src/auth/secret.js';
import { askToken } from '../auth/shared.js';

/** Answers to a data request that show the token reached nothing. */
const NO_DATA = new Set([401, 403, 404]);

/**
 * Asks a token with `scope` (undefined: no scope parameter) and judges it. `what` names the scope in
 * messages, e.g. `an unknown tenant`.
 */
async function judgeScope(
  ctx: RunContext,
  given: ScopeFacts,
  scope: string | undefined,
  what: string,
  extra: Partial<Outcome> = {},
): Promise<Outcome> {
  // Evidence, not the answers: each may hold a 20 MiB body and its parsed value until the check ends.
  const seen: Evidence[] = [];
  const withEvidence = (o: Outcome): Outcome => ({ ...o, ...extra, evidence: [...seen] });
  const { exchange, parsed } = await askToken(ctx, given.tokenUrl, {
    clientId: ctx.options.clientId,
    clientSecret: await workingSecret(ctx, given.tokenUrl),
    scope,
  });
  seen.push(exchange.evidence);
  if (!parsed.ok) {
    if (exchange.status >= 400 && exchange.status < 500) {
      const code = oauthError(exchange);
      const best = exchange.status === 400 && code === 'invalid_scope';
      return withEvidence(
        pass(
          `a token request with ${what} was refused with HTTP ${exchange.status}${code ? ` error=${code}` : ''}${best ? '' : ' (400 invalid_scope is best)'}`,
        ),
      );
    }
    if (exchange.status === 200) {
      return withEvidence(
        fail(
          `a token request with ${what} answered HTTP 200 without a usable token (${parsed.reason}); refuse it with 400 invalid_scope`,
        ),
      );
    }
    return withEvidence(
      fail(
        `a token request with ${what} answered ${describe(exchange)}; it must be refused with a 4xx (400 invalid_scope is best), never a server error`,
      ),
    );
  }
  // A token was issued: it must reach nothing, neither a search nor any tenant's probe patient.
  const bearer = parsed.token.accessToken;
  const problems: string[] = [];
  const search = await ctx.http.request({ url: fhirUrl(ctx, 'Patient?_count=1'), bearer });
  seen.push(search.evidence);
  if (!NO_DATA.has(search.status)) {
    const body = search.status === 200 ? search.json() : undefined;
    const found = body?.ok ? bundleEntries(body.value).length : 0;
    problems.push(
      found > 0
        ? `GET Patient?_count=1 with it returned ${found} resource(s)`
        : `GET Patient?_count=1 with it answered ${describe(search)}, expected 401 or 403`,
    );
  }
  for (const probe of given.probes?.values() ?? []) {
    const path = `Patient/${encodeURIComponent(probe.id)}`;
    const read = await ctx.http.request({ url: fhirUrl(ctx, path), bearer });
    seen.push(read.evidence);
    if (!NO_DATA.has(read.status))
      problems.push(`GET ${path} (tenant ${probe.tenant.slice(0, 8)}…) answered ${describe(read)}`);
  }
  return withEvidence(
    problems.length
      ? fail(`a token was issued for ${what} and it reaches data: ${problems.join('; ')}`)
      : pass(
          `a token was issued for ${what} (refusing it with 400 invalid_scope is better), but it reaches no data (HTTP ${search.status})`,
        ),
  );
}

/** Scopes no partner may route anywhere. The Unicode one is tenant A with full-width digits, which NFKC folds back to tenant A. */
export function malformedScopes(tenant: string): Array<{ subject: string; scope: string }> {
  const fullWidth = tenant.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  return [
    { subject: 'not a GUID', scope: 'not-a-tenant-id' },
    { subject: 'SQL injection', scope: "' OR 1=1 --" },
    { subject: 'path injection', scope: '../../etc/passwd' },
    { subject: '4 KB string', scope: `${tenant}${'A'.repeat(4096 - tenant.length)}` },
    { subject: 'Unicode', scope: fullWidth === tenant ? `${tenant}\u00e9` : fullWidth },
  ];
}

interface ScopeFacts {
  tokenUrl: string;
  /** The probe patients, when ROUTE-01 found them: a stray token must not read them either. */
  probes: ReadonlyMap<string, Probe> | undefined;
}

/** Judged once the run's own token works (AUTH-01), so a refusal means the scope was refused. */
const uses = { tokens, tokenUrl, probes: optional(probes) };

export const scopeChecks = [
  defineCheck({
    id: 'route-03-unknown-tenant',
    requirement: 'ROUTE-03',
    uses,
    adds: [tokenAnswers],
    async run(ctx, given) {
      return judgeScope(ctx, given, randomUUID(), 'an unknown tenant (a fresh random GUID)');
    },
  }),
  defineCheck({
    id: 'route-04-no-scope',
    requirement: 'ROUTE-04',
    uses,
    adds: [tokenAnswers],
    async run(ctx, given) {
      return judgeScope(ctx, given, undefined, 'no scope');
    },
  }),
  defineCheck({
    id: 'route-05-malformed-scope',
    requirement: 'ROUTE-05',
    uses,
    adds: [tokenAnswers],
    async run(ctx, given) {
      const outcomes: Outcome[] = [];
      for (const { subject, scope } of malformedScopes(ctx.options.tenants[0]!)) {
        outcomes.push(await judgeScope(ctx, given, scope, `a ${subject} scope`, { subject }));
      }
      return outcomes;
    },
  }),
];

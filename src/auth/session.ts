/**
 * Data requests as the app makes them: with a current token for a tenant. The token provider is made
 * on first use from the token URL that META-04 found and the run's working secret.
 */
import type { RunContext } from '../engine/context.js';
import type { Exchange, HttpRequest } from '../http/exchange.js';
import { requestHonouringRetryAfter } from '../http/retry.js';
import { workingSecret } from './secret.js';
import { TokenProvider } from './token-client.js';

declare module '../engine/state.js' {
  interface RunState {
    tokens?: TokenProvider;
  }
}

/**
 * The run's one token provider, made on first use with the working secret (the rotated one once the
 * partner accepts it), whichever suite asks first.
 */
export async function tokenProvider(ctx: RunContext): Promise<TokenProvider> {
  if (ctx.state.tokens) return ctx.state.tokens;
  const { clientId, tokenAuthMethod } = ctx.options;
  if (!ctx.state.tokenUrl) throw new Error('no token URL is known (META-04 did not find one)');
  if (!clientId) throw new Error('the run has no client id');
  const clientSecret = await workingSecret(ctx);
  // Another caller may have made it while the secret was being decided.
  ctx.state.tokens ??= new TokenProvider(
    ctx.client,
    ctx.state.tokenUrl,
    { clientId, clientSecret, method: tokenAuthMethod },
    ctx.redactor,
  );
  return ctx.state.tokens;
}

/**
 * A FHIR request for `tenant` with a valid token. A 401 on a token the harness holds is retried once
 * with a fresh token, so a token the partner revoked early is not blamed on the data checks; a second
 * 401 is the partner's answer and is returned as is.
 */
export async function asTenant(ctx: RunContext, tenant: string, req: HttpRequest): Promise<Exchange> {
  const tokens = await tokenProvider(ctx);
  // A 429 is waited out as its Retry-After asks, within the per-request timeout and the run's abort.
  const send = async (): Promise<Exchange> =>
    requestHonouringRetryAfter(
      ctx.http,
      { ...req, bearer: await tokens.get(tenant) },
      { maxWaitMs: ctx.options.timeoutMs, signal: ctx.signal },
    );
  const first = await send();
  if (first.status !== 401) return first;
  tokens.invalidate(tenant);
  return send();
}

/** `[base]/path`, without doubled slashes. */
export function fhirUrl(ctx: RunContext, path: string): string {
  return `${ctx.options.baseUrl}/${path.replace(/^\/+/, '')}`;
}

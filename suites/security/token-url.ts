/**
 * The token URL the transport checks judge: META-04's when it ran; when META did not run
 * (`--only SEC`), it is read from the capability statement here, quietly and by META-04's own rule (an
 * absolute http(s) URL in the oauth-uris extension), once per run.
 */
import type { RunContext } from '../../src/engine/context.js';
import { runCache } from '../../src/engine/facts.js';
import { isObject } from '../../src/core/json.js';
import { absoluteHttpUrl, oauthUris, serverRest } from '../../src/fhir/capability.js';
import { statedTokenUrl } from '../../src/partner/facts.js';

const read = runCache<{ url?: Promise<string | undefined> }>('the token URL read by SEC', () => ({}));

export function tokenUrlOf(ctx: RunContext, known: string | undefined): Promise<string | undefined> {
  if (known) return Promise.resolve(known);
  const memo = ctx.cached(read);
  memo.url ??= readTokenUrl(ctx);
  return memo.url;
}

async function readTokenUrl(ctx: RunContext): Promise<string | undefined> {
  // The capability statement already could not be fetched: asking again would only wait again.
  if (ctx.diagnosis?.kind === 'unreachable') return undefined;
  const res = await ctx.client.request({ url: `${ctx.options.baseUrl}/metadata`, quiet: true });
  const body = res.status === 200 ? res.json() : undefined;
  const rest = body?.ok && isObject(body.value) ? serverRest(body.value) : undefined;
  const token = rest ? oauthUris(rest).token : undefined;
  if (!token || !absoluteHttpUrl(token)) return undefined;
  // The report's target names it too, as it would have had META-04 run.
  ctx.cached(statedTokenUrl).url = token;
  return token;
}

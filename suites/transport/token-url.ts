/**
 * The token URL META-04 found; when META did not run (`--only SEC`), it is read from the capability
 * statement here, quietly and by META-04's own rule (an absolute http(s) URL in the oauth-uris
 * extension), and published the same way, so the transport checks judge the token URL too.
 */
import type { RunContext } from '../../src/engine/context.js';
import { isObject } from '../../src/core/json.js';
import { absoluteHttpUrl, oauthUris, serverRest } from '../../src/fhir/capability.js';

export async function tokenUrlOf(ctx: RunContext): Promise<string | undefined> {
  if (ctx.state.tokenUrl) return ctx.state.tokenUrl;
  // The capability statement already could not be fetched: asking again would only wait again.
  if (ctx.state.diagnosis?.kind === 'unreachable') return undefined;
  const res = await ctx.client.request({ url: `${ctx.options.baseUrl}/metadata`, quiet: true });
  const body = res.status === 200 ? res.json() : undefined;
  const rest = body?.ok && isObject(body.value) ? serverRest(body.value) : undefined;
  const token = rest ? oauthUris(rest).token : undefined;
  if (!token || !absoluteHttpUrl(token)) return undefined;
  ctx.state.tokenUrl = token;
  return token;
}

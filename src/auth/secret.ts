/**
 * Which client secret the run works with.
 *
 * Secret rotation (AUTH-10) is something the app owner does at the partner, never the harness: rotating
 * a live secret would lock out the production app that still holds the old one. A run is *told* of a
 * rotation that already happened: the old secret in --client-secret-env, the new one in
 * --rotated-secret-env. The new secret is then the working credential. If the partner still refuses it
 * and still accepts the old one, the rotation evidently has not happened yet: the run carries on with the
 * old secret (so every other requirement is still judged) and AUTH-10 fails saying so.
 */
import type { RunContext } from '../engine/context.js';
import { runCache } from '../engine/facts.js';
import { requestToken } from './token-client.js';

export type SecretChoice =
  /** No rotation was announced: the one secret. */
  | 'only'
  /** The rotated secret works: the rotation has happened. */
  | 'rotated'
  /** The rotated secret is refused but the old one works: the rotation has not happened. */
  | 'original';

/** Which secret works, decided once per run by the first check that asks. */
const decided = runCache<{ choice?: Promise<SecretChoice> }>('the secret choice', () => ({}));

/** Decides, once per run, which secret works; quiet requests, because AUTH-01 and AUTH-10 show their own. */
export function secretChoice(ctx: RunContext, tokenUrl: string): Promise<SecretChoice> {
  const memo = ctx.cached(decided);
  memo.choice ??= decide(ctx, tokenUrl);
  return memo.choice;
}

async function decide(ctx: RunContext, tokenUrl: string): Promise<SecretChoice> {
  const { clientId, clientSecret, rotatedSecret, tokenAuthMethod, tenants } = ctx.options;
  if (!rotatedSecret || !clientId || !clientSecret) return 'only';
  const ask = (secret: string) =>
    requestToken(
      ctx.client,
      tokenUrl,
      { clientId, clientSecret: secret, scope: tenants[0], method: tokenAuthMethod, quiet: true },
      ctx.redactor,
    );
  if (!(await ask(rotatedSecret)).parsed.ok && (await ask(clientSecret)).parsed.ok) return 'original';
  return 'rotated';
}

/** The secret the run works with. */
export async function workingSecret(ctx: RunContext, tokenUrl: string): Promise<string> {
  const choice = await secretChoice(ctx, tokenUrl);
  const secret = choice === 'rotated' ? ctx.options.rotatedSecret : ctx.options.clientSecret;
  if (!secret) throw new Error('the run has no client secret');
  return secret;
}

/** Credential helpers the AUTH suite and its neighbours share. The working secret is src/auth/secret.ts. */
import type { RunContext } from '../../src/engine/context.js';

export function hasCredentials(ctx: RunContext): boolean {
  return !!(ctx.options.clientId && ctx.options.clientSecret && ctx.state.tokenUrl);
}

/** Every secret the run knows: none may ever come back from the partner. */
export function knownSecrets(ctx: RunContext): string[] {
  return [ctx.options.clientSecret, ctx.options.rotatedSecret].filter((s): s is string => !!s);
}

/** Credential helpers the AUTH suite and its neighbours share. The working secret is src/auth/secret.ts. */
import type { RunContext } from '../../src/engine/context.js';
import type { Exchange } from '../../src/http/exchange.js';

export function hasCredentials(ctx: RunContext): boolean {
  return !!(ctx.options.clientId && ctx.options.clientSecret);
}

/** Every secret the run knows: none may ever come back from the partner. */
export function knownSecrets(ctx: RunContext): string[] {
  return [ctx.options.clientSecret, ctx.options.rotatedSecret].filter((s): s is string => !!s);
}

/** Where a known secret appears in a raw answer (body or a header), or undefined. */
export function secretEchoIn(exchange: Exchange, secrets: string[]): string | undefined {
  const forms = (s: string): string[] => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)];
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      if (exchange.text.includes(form)) return 'the body';
      for (const [name, value] of Object.entries(exchange.headers)) {
        if (value.includes(form)) return `the ${name} header`;
      }
    }
  }
  return undefined;
}

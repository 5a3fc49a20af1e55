/** Credential helpers the AUTH suite and its neighbours share. The working secret is src/auth/secret.ts. */
import type { RunContext } from '../../src/engine/context.js';
import type { Exchange } from '../../src/http/exchange.js';
import type { Redactor } from '../../src/http/redact.js';

export function hasCredentials(ctx: RunContext): boolean {
  return !!(ctx.options.clientId && ctx.options.clientSecret);
}

/**
 * Where a secret the run knows (the client secret, the rotated one) appears in a raw answer, body or
 * a header, in any form the masker would hide (raw, base64, hex, percent-encoded, JSON-escaped…), or
 * undefined: a secret the report masks is still a secret the partner leaked.
 */
export function secretEchoIn(exchange: Exchange, redactor: Redactor): string | undefined {
  if (redactor.holdsSecret(exchange.text)) return 'the body';
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (redactor.holdsSecret(name) || redactor.holdsSecret(value)) return `the ${name} header`;
  }
  return undefined;
}

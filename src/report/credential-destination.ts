/**
 * Where the run sent the client secret. The token URL comes from the partner's unauthenticated
 * capability statement and is often on another host than the FHIR base (an identity provider): that
 * is legal, so it is stated for the reader rather than judged.
 */
import type { ReportTarget } from '../core/model.js';

export interface CredentialDestination {
  host: string;
  crossOrigin: boolean;
}

export function credentialDestination(
  baseUrl: string,
  tokenUrl: string | null | undefined,
): CredentialDestination | null {
  if (!tokenUrl) return null;
  try {
    const token = new URL(tokenUrl);
    return { host: token.host, crossOrigin: token.origin !== new URL(baseUrl).origin };
  } catch {
    return { host: tokenUrl, crossOrigin: true };
  }
}

/** One sentence for the console, the Markdown summary and the HTML banner. */
export function credentialSentence(target: ReportTarget): string | undefined {
  const to = target.credentialsSentTo;
  if (!to) return undefined;
  return to.crossOrigin
    ? `client secret sent to ${to.host}, another origin than the FHIR base (the token URL the capability statement names)`
    : `client secret sent to ${to.host}, the FHIR base's own origin`;
}

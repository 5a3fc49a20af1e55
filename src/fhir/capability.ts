/**
 * Reading a partner's capability statement without trusting it: every accessor tolerates any JSON
 * (missing fields, wrong types, arrays where objects belong) and answers "absent" rather than throw.
 */
import { isObject, objects, str, type Json } from '../core/json.js';

export const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
export const RESTFUL_SECURITY_SERVICE = 'http://hl7.org/fhir/restful-security-service';

export function serverRest(capability: Json): Json | undefined {
  return objects(capability.rest).find((r) => r.mode === 'server');
}

export function oauthUris(rest: Json): { token?: string; authorize?: string; found: boolean } {
  const security = isObject(rest.security) ? rest.security : {};
  const ext = objects(security.extension).find((e) => e.url === OAUTH_URIS);
  if (!ext) return { found: false };
  const sub = (name: string): string | undefined =>
    str(objects(ext.extension).find((e) => e.url === name)?.valueUri);
  const token = sub('token');
  const authorize = sub('authorize');
  return {
    found: true,
    ...(token !== undefined ? { token } : {}),
    ...(authorize !== undefined ? { authorize } : {}),
  };
}

export function resourceEntry(rest: Json, type: string): Json | undefined {
  return objects(rest.resource).find((r) => r.type === type);
}

export function interactionCodes(entry: Json | undefined): Set<string> {
  return new Set(
    objects(entry?.interaction)
      .map((i) => str(i.code))
      .filter((c): c is string => !!c),
  );
}

export function searchParamNames(entry: Json | undefined): Set<string> {
  return new Set(
    objects(entry?.searchParam)
      .map((p) => str(p.name))
      .filter((n): n is string => !!n),
  );
}

export function absoluteHttpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

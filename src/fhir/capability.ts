/**
 * Reading a partner's capability statement without trusting it: every accessor tolerates any JSON
 * (missing fields, wrong types, arrays where objects belong) and answers "absent" rather than throw.
 */
export type Json = Record<string, unknown>;

export const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
export const RESTFUL_SECURITY_SERVICE = 'http://hl7.org/fhir/restful-security-service';

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function objects(value: unknown): Json[] {
  return array(value).filter(isObject);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

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

/**
 * A short, safe rendering of a partner's value for a message: `"text"`, `42`, `{…} (object)`. It never
 * throws and never walks deep: JSON.parse accepts 100 000 nested arrays, but JSON.stringify and
 * String() on them overflow the stack (RangeError), which would turn a failed check into an error row.
 */
export function brief(value: unknown, max = 60): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > max
      ? `a ${value.length}-character string ${JSON.stringify(value.slice(0, max))}…`
      : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isObject(value)) {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 30)));
    return `an object {${shown.join(', ')}${keys.length > 5 ? ', …' : ''}}`;
  }
  return typeof value;
}

/**
 * Reading JSON a partner sent without trusting it: each accessor tolerates any value (missing fields,
 * wrong types, arrays where objects belong) and answers "absent" rather than throw.
 */
export type Json = Record<string, unknown>;

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

/** Masks every string of a JSON-like value, keys included: a partner chooses header names too. */
import type { Redactor } from './redact.js';

export function maskDeep<T>(value: T, redactor: Redactor): T {
  return walk(value, redactor) as T;
}

function walk(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.mask(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, redactor));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redactor.mask(key)] = walk(item, redactor);
    return out;
  }
  return value;
}

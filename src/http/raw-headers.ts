/**
 * Response headers as undici's parser hands them over: names and values alternating, as bytes. The
 * load mode reads one header of each answer (Server-Timing), so the rest are decoded only when a check
 * or the evidence asks for them (undici's handler wrapper builds its own object of them too, which is
 * not kept: see send.ts).
 */
import { util } from 'undici';

export type RawHeaders = ReadonlyArray<Buffer | string>;

/** The object undici builds from them: lower-case names, a repeated header as an array. */
export type HeaderFields = Readonly<Record<string, string | readonly string[] | undefined>>;

const latin1 = (bytes: Buffer | string): string =>
  typeof bytes === 'string' ? bytes : bytes.toString('latin1');

/**
 * Lower-case names, repeated headers joined with `, ` (RFC 9110 §5.3). A partner's `__proto__`
 * header is kept as a plain field, never as the object's prototype.
 */
export function headersOf(raw: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // undici's own lookup: well-known names come back interned, without decoding the bytes.
    const name = util.headerNameToString(raw[i]!);
    const value = latin1(raw[i + 1]!);
    const before = Object.hasOwn(out, name) ? out[name] : undefined;
    const joined = before === undefined ? value : `${before}, ${value}`;
    if (name === '__proto__') {
      Object.defineProperty(out, name, {
        value: joined,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else {
      out[name] = joined;
    }
  }
  return out;
}

/**
 * One header's value as headersOf would give it (`name` in lower case and ASCII), without decoding
 * the others: names of another length are skipped unread.
 */
export function headerValue(raw: RawHeaders, name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const bytes = raw[i]!;
    if (bytes.length !== name.length || util.headerNameToString(bytes) !== name) continue;
    const next = latin1(raw[i + 1]!);
    value = value === undefined ? next : `${value}, ${next}`;
  }
  return value;
}

/**
 * Back to pairs, for a dispatcher that hands over only the object (send.ts reads the parser's own
 * pairs when undici leaves them on the controller, as its Client does today).
 */
export function pairsOf(fields: HeaderFields): RawHeaders {
  const raw: string[] = [];
  for (const name in fields) {
    const value = fields[name];
    if (typeof value === 'string') raw.push(name, value);
    else if (value) for (const one of value) raw.push(name, one);
  }
  return raw;
}

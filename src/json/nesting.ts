/**
 * How deep a JSON text nests, found without parsing it. JSON.parse itself copes with a million levels,
 * but everything that walks the result afterwards recurses (JSON.stringify, canonical JSON, ajv,
 * FHIRPath) and the parsed arrays cost far more memory than their two bytes of text; so readers refuse
 * such a text before parsing it, and say where the nesting went too deep.
 */

/**
 * The deepest nesting a partner's body or a file to validate may have to be parsed. A FHIR resource
 * nests a few dozen levels; every level of `[` costs two bytes of text but about 64 bytes once
 * parsed, so a 20 MiB body of brackets would take 600 MB. This bound keeps a parse within about 13 MB
 * more than the text, and leaves the hostile depths the harness is tested on (100 000 levels inside
 * documents) judged as before.
 */
export const MAX_JSON_DEPTH = 200_000;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export interface TooDeep {
  /** The first depth past the limit. */
  depth: number;
  /** The byte (or UTF-16 unit, for a string) offset of the bracket that went past it. */
  offset: number;
}

/**
 * The first place the text nests deeper than `limit` objects and arrays, or undefined. Brackets
 * inside strings do not count. The text need not be valid JSON: JSON.parse judges the rest.
 */
export function nestingBeyond(text: string | Uint8Array, limit: number): TooDeep | undefined {
  return typeof text === 'string' ? scanString(text, limit) : scanBytes(text, limit);
}

// Two copies of one loop, each seeing one type: V8 keeps both monomorphic and fast. A string's body
// is skipped with indexOf (native), which matters since most of a large body is usually strings.

function scanBytes(text: Uint8Array, limit: number): TooDeep | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === QUOTE) {
      i = stringEndBytes(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return { depth, offset: i };
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return undefined;
}

function scanString(text: string, limit: number): TooDeep | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEndString(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return { depth, offset: i };
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `open`, or -1 when none does. */
function stringEndBytes(text: Uint8Array, open: number): number {
  for (let at = text.indexOf(QUOTE, open + 1); at >= 0; at = text.indexOf(QUOTE, at + 1)) {
    let backslashes = 0;
    while (at - 1 - backslashes > open && text[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/** The index of the quote that closes the string literal opened at `open`, or -1 when none does. */
export function stringEndString(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (at - 1 - backslashes > open && text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

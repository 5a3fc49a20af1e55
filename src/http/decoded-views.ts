/**
 * Decoded views of a text, each with a map from every decoded character back to where it came from.
 * A partner can spell a credential with JSON escapes (`\/`, `\u006B`), percent-encoding in either
 * case, HTML entities or line breaks inside base64, and mix them character by character; searching the
 * decoded view finds the credential however it was spelled, and the map says which span of the
 * original text to mask.
 */
export interface DecodedView {
  readonly text: string;
  /** `map[i]` is where decoded character `i` starts in the source; `map[text.length]` is its end. */
  readonly map: Int32Array;
  /** Where the view differs from the source: indexes of decoded characters and of gaps left by removals. */
  readonly changes: readonly number[];
}

interface Decoder {
  /** Matches when, and only when, the source holds something this decoder would change. */
  readonly trigger: RegExp;
  decode(source: string): DecodedView;
}

/** Decoders only shrink a text, so the source's length bounds every buffer. */
class ViewBuilder {
  private readonly codes: Uint16Array;
  private readonly starts: Int32Array;
  private readonly changes: number[] = [];
  private length = 0;

  constructor(private readonly sourceLength: number) {
    this.codes = new Uint16Array(sourceLength);
    this.starts = new Int32Array(sourceLength + 1);
  }

  /** A source character taken as it is. */
  copy(code: number, from: number): void {
    this.codes[this.length] = code;
    this.starts[this.length++] = from;
  }

  /** Characters that an escape starting at `from` stands for. */
  decoded(text: string, from: number): void {
    this.changes.push(this.length);
    for (let i = 0; i < text.length; i++) this.copy(text.charCodeAt(i), from);
  }

  /** A source character left out: the view joins what stood on either side of it. */
  skipped(): void {
    this.changes.push(this.length);
  }

  done(): DecodedView {
    const map = this.starts.slice(0, this.length + 1);
    map[this.length] = this.sourceLength;
    const text = Buffer.from(this.codes.buffer, 0, this.length * 2).toString('utf16le');
    return { text, map, changes: this.changes };
  }
}

const HEX4 = /^[0-9a-fA-F]{4}$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;
const JSON_SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** JSON string escapes: `\uXXXX` in any case, `\/` as PHP writes it, and the one-letter escapes. */
const jsonEscapes: Decoder = {
  trigger: /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      if (source.charCodeAt(i) === 92) {
        const next = source[i + 1] ?? '';
        const hex = source.slice(i + 2, i + 6);
        if (next === 'u' && HEX4.test(hex)) {
          out.decoded(String.fromCharCode(parseInt(hex, 16)), i);
          i += 5;
          continue;
        }
        const simple = JSON_SIMPLE[next];
        if (simple !== undefined) {
          out.decoded(simple, i);
          i += 1;
          continue;
        }
      }
      out.copy(source.charCodeAt(i), i);
    }
    return out.done();
  },
};

/**
 * `%XX` in either case, each byte as one character (Latin-1): an ASCII credential reads as itself, a
 * non-ASCII one as its UTF-8 bytes, which the literal forms include.
 */
const percentEncoding: Decoder = {
  trigger: /%[0-9a-fA-F]{2}/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      if (source.charCodeAt(i) === 37 && HEX2.test(source.slice(i + 1, i + 3))) {
        out.decoded(String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16)), i);
        i += 2;
      } else {
        out.copy(source.charCodeAt(i), i);
      }
    }
    return out.done();
  },
};

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/;

/** HTML and XML character references, numeric and the five named ones. */
const htmlEntities: Decoder = {
  trigger: /&(?:#\d|#[xX][0-9a-fA-F]|amp;|lt;|gt;|quot;|apos;)/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      const hit = source.charCodeAt(i) === 38 ? ENTITY.exec(source.slice(i, i + 12)) : null;
      const code = hit ? (hit[1] ? Number(hit[1]) : hit[2] ? parseInt(hit[2], 16) : -1) : -1;
      if (hit && hit[3]) {
        out.decoded(NAMED_ENTITIES[hit[3]] ?? '', i);
        i += hit[0].length - 1;
      } else if (hit && code >= 0 && code <= 0x10ffff) {
        out.decoded(String.fromCodePoint(code), i);
        i += hit[0].length - 1;
      } else {
        out.copy(source.charCodeAt(i), i);
      }
    }
    return out.done();
  },
};

/** Characters of base64, hex, percent-encoding and the usual token alphabets. */
const WORD = /[A-Za-z0-9+/=_%~.-]/;

/**
 * Line breaks removed where they split a run of word characters, written out or escaped in a JSON
 * string (`\n`): base64 wrapped at 76 columns, a long value wrapped inside a body. Breaks between
 * punctuation or before indentation (pretty-printed JSON, one on every line) cannot split a credential
 * and are kept, so the view differs from the source only where a credential could hide.
 */
const lineBreaks: Decoder = {
  trigger: /[A-Za-z0-9+/=_%~.-](?:\r|\n|\\[nr])+[A-Za-z0-9+/=_%~.-]/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      const end = breakEnd(source, i);
      if (end > i && WORD.test(source[i - 1] ?? ' ') && WORD.test(source[end] ?? ' ')) {
        out.skipped();
        i = end - 1;
        continue;
      }
      out.copy(source.charCodeAt(i), i);
    }
    return out.done();
  },
};

/** Where a run of line breaks starting at `i` ends (`i` itself when none starts there). */
function breakEnd(source: string, i: number): number {
  let at = i;
  for (;;) {
    const c = source.charCodeAt(at);
    if (c === 13 || c === 10) at += 1;
    else if (c === 92 && (source[at + 1] === 'n' || source[at + 1] === 'r')) at += 2;
    else return at;
  }
}

const decoders: readonly Decoder[] = [jsonEscapes, percentEncoding, htmlEntities, lineBreaks];

/**
 * Every view of `source` that differs from it, one per kind of escape; a decoder whose trigger does
 * not match would change nothing, and is not run. Escapes of one kind nested in
 * another (percent-encoded JSON escapes) are not undone: no partner does that by accident, and each
 * view costs a search of the text.
 */
export function decodedViews(source: string): DecodedView[] {
  const views: DecodedView[] = [];
  for (const decoder of decoders) {
    if (!decoder.trigger.test(source)) continue;
    views.push(decoder.decode(source));
  }
  return views;
}

/**
 * The stretches of a view worth searching: those within `reach` characters of a decoded character.
 * Anywhere else the view is the source letter for letter, which the literal search has already read.
 */
export function changedWindows(view: DecodedView, reach: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (const at of view.changes) {
    const start = Math.max(0, at - reach);
    const end = Math.min(view.text.length, at + 1 + reach);
    const last = windows[windows.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  return windows;
}

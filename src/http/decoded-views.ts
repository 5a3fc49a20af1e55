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
}

interface Decoder {
  /** A character the source must hold for this decoder to change anything. */
  readonly trigger: RegExp;
  decode(source: string): DecodedView;
}

/** Decoders only shrink a text, so the source's length bounds every buffer. */
class ViewBuilder {
  private readonly codes: Uint16Array;
  private readonly starts: Int32Array;
  private length = 0;

  constructor(private readonly sourceLength: number) {
    this.codes = new Uint16Array(sourceLength);
    this.starts = new Int32Array(sourceLength + 1);
  }

  push(text: string, from: number): void {
    for (let i = 0; i < text.length; i++) {
      this.codes[this.length] = text.charCodeAt(i);
      this.starts[this.length++] = from;
    }
  }

  pushCode(code: number, from: number): void {
    this.codes[this.length] = code;
    this.starts[this.length++] = from;
  }

  done(): DecodedView {
    const map = this.starts.slice(0, this.length + 1);
    map[this.length] = this.sourceLength;
    const text = Buffer.from(this.codes.buffer, 0, this.length * 2).toString('utf16le');
    return { text, map };
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
  trigger: /\\/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      if (source.charCodeAt(i) === 92) {
        const next = source[i + 1] ?? '';
        const hex = source.slice(i + 2, i + 6);
        if (next === 'u' && HEX4.test(hex)) {
          out.pushCode(parseInt(hex, 16), i);
          i += 5;
          continue;
        }
        const simple = JSON_SIMPLE[next];
        if (simple !== undefined) {
          out.push(simple, i);
          i += 1;
          continue;
        }
      }
      out.pushCode(source.charCodeAt(i), i);
    }
    return out.done();
  },
};

/**
 * `%XX` in either case, each byte as one character (Latin-1): an ASCII credential reads as itself, a
 * non-ASCII one as its UTF-8 bytes, which the literal forms include.
 */
const percentEncoding: Decoder = {
  trigger: /%/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      if (source.charCodeAt(i) === 37 && HEX2.test(source.slice(i + 1, i + 3))) {
        const hex = source.slice(i + 1, i + 3);
        out.pushCode(parseInt(hex, 16), i);
        i += 2;
      } else {
        out.pushCode(source.charCodeAt(i), i);
      }
    }
    return out.done();
  },
};

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/;

/** HTML and XML character references, numeric and the five named ones. */
const htmlEntities: Decoder = {
  trigger: /&/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      const hit = source.charCodeAt(i) === 38 ? ENTITY.exec(source.slice(i, i + 12)) : null;
      const code = hit ? (hit[1] ? Number(hit[1]) : hit[2] ? parseInt(hit[2], 16) : -1) : -1;
      if (hit && hit[3]) {
        out.push(NAMED_ENTITIES[hit[3]] ?? '', i);
        i += hit[0].length - 1;
      } else if (hit && code >= 0 && code <= 0x10ffff) {
        out.push(String.fromCodePoint(code), i);
        i += hit[0].length - 1;
      } else {
        out.pushCode(source.charCodeAt(i), i);
      }
    }
    return out.done();
  },
};

const BREAK_ESCAPE = new Set(['n', 'r', 't']);

/**
 * Line breaks and tabs removed, written out or escaped in a JSON string (`\n`): base64 wrapped at
 * 76 columns, a header folded over several lines, a wrapped value inside a JSON body.
 */
const lineBreaks: Decoder = {
  trigger: /[\r\n\t]|\\[nrt]/,
  decode(source) {
    const out = new ViewBuilder(source.length);
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 13 || c === 10 || c === 9) continue;
      if (c === 92 && BREAK_ESCAPE.has(source[i + 1] ?? '')) {
        i += 1;
        continue;
      }
      out.pushCode(c, i);
    }
    return out.done();
  },
};

const decoders: readonly Decoder[] = [jsonEscapes, percentEncoding, htmlEntities, lineBreaks];

/**
 * Every view of `source` that differs from it, one per kind of escape. Escapes of one kind nested in
 * another (percent-encoded JSON escapes) are not undone: no partner does that by accident, and each
 * view costs a search of the text.
 */
export function decodedViews(source: string): DecodedView[] {
  const views: DecodedView[] = [];
  for (const decoder of decoders) {
    if (!decoder.trigger.test(source)) continue;
    const view = decoder.decode(source);
    if (view.text !== source) views.push(view);
  }
  return views;
}

/**
 * The stretches of a view worth searching: those within `reach` characters of a decoded character.
 * Anywhere else the view is the source letter for letter, which the literal search has already read.
 */
export function changedWindows(view: DecodedView, reach: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  const { map, text } = view;
  for (let i = 0; i < text.length; i++) {
    if ((map[i + 1] ?? 0) - (map[i] ?? 0) === 1) continue;
    const start = Math.max(0, i - reach);
    const end = Math.min(text.length, i + 1 + reach);
    const last = windows[windows.length - 1];
    if (last && start <= last[1]) last[1] = end;
    else windows.push([start, end]);
  }
  return windows;
}

/**
 * Indents JSON text for reading without decoding it. Re-serialising a parsed body would turn escapes
 * (`\/`, `\u006B`) back into the characters they stand for, and so undo masking that was done on the
 * text as it arrived; here every string literal is copied exactly as it was.
 */
import { stringEndString } from '../json/nesting.js';

/** Deeper than this, indentation would outgrow the body itself: the text is shown as it came. */
const MAX_DEPTH = 64;

export function layoutJson(text: string): string | undefined {
  let out = '';
  let depth = 0;
  let i = 0;
  const newline = (): string => `\n${'  '.repeat(depth)}`;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const close = stringEndString(text, i);
      if (close < 0) return undefined;
      out += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    i += 1;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const next = nextSignificant(text, i);
      if (text[next] === close) {
        out += c + close;
        i = next + 1;
        continue;
      }
      if (++depth > MAX_DEPTH) return undefined;
      out += c + newline();
    } else if (c === '}' || c === ']') {
      depth -= 1;
      out += newline() + c;
    } else if (c === ',') {
      out += c + newline();
    } else if (c === ':') {
      out += ': ';
    } else {
      out += c;
    }
  }
  return out;
}

function nextSignificant(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i += 1;
  return i;
}

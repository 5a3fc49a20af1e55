/**
 * Masks secrets and tokens where evidence is captured, so that nothing downstream (reports, console,
 * error messages) ever holds them. Secrets vanish entirely; tokens keep a short prefix so a reader can
 * tell two tokens apart. A credential a partner sends back encoded (base64, hex, percent-encoded,
 * JSON-escaped, as HTML entities, or several of these at once) vanishes entirely too.
 */
import { changedWindows, decodedViews } from './decoded-views.js';
import { literalForms } from './secret-forms.js';

const TOKEN_PREFIX = 6;
const MASK = '***';
const MIN_SECRET_LENGTH = 4;

/** JSON and form fields whose values are credentials whatever they hold. */
const SENSITIVE_JSON =
  /("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;
// A form value ends at `&`, or at a quote, backslash or space when the form sits inside JSON text
// (the whole report is masked once more); form-encoded values never hold those characters.
const SENSITIVE_FORM = /((?:^|&)(?:client_secret|access_token|refresh_token|assertion)=)([^&"\\\s]*)/g;

export function maskToken(token: string): string {
  if (token.length <= TOKEN_PREFIX * 2) return MASK;
  return `${token.slice(0, TOKEN_PREFIX)}…(${token.length} chars, masked)`;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens = new Set<string>();
  private pattern: RegExp | null = null;
  private secretPattern: RegExp | null = null;
  private longestForm = 0;

  /** A value that must never appear: client secrets. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.pattern = null;
    this.secretPattern = null;
  }

  /** A value that may appear only as a short prefix: access tokens. */
  addToken(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.tokens.has(value)) return;
    this.tokens.add(value);
    this.pattern = null;
  }

  mask(text: string): string {
    if (!text) return text;
    let out = text
      .replace(SENSITIVE_JSON, (_m, a: string, v: string, b: string) => a + this.maskValue(v) + b)
      .replace(SENSITIVE_FORM, (_m, a: string, v: string) => a + this.maskValue(decodeForm(v)));
    const pattern = this.compiled();
    if (!pattern) return out;
    out = out.replace(pattern, (hit) => (this.tokens.has(hit) ? maskToken(hit) : MASK));
    return maskDecoded(out, pattern, this.longestForm);
  }

  /**
   * Whether `text` holds a known secret (not a token) in any form the masker searches: raw, encoded
   * or escaped. AUTH-11 asks this of a token answer before it is masked.
   */
  holdsSecret(text: string): boolean {
    if (!text || this.secrets.size === 0) return false;
    this.secretPattern ??= new RegExp(
      [...this.secrets]
        .flatMap(literalForms)
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'i',
    );
    const pattern = this.secretPattern;
    return pattern.test(text) || decodedViews(text).some((view) => pattern.test(view.text));
  }

  /**
   * How far past a cut a credential that starts before it can reach, escaped (a character as `\uXXXX`
   * or `&#x10FFFF;` is up to ten): text masked this far beyond a cut leaves no part of one readable.
   */
  get reach(): number {
    this.compiled();
    return this.longestForm * 10;
  }

  maskHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [rawName, value] of Object.entries(headers)) {
      // A partner chooses its header names too.
      const name = this.mask(rawName);
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'proxy-authorization') {
        const [scheme, ...rest] = value.split(' ');
        const credential = rest.join(' ');
        out[name] = credential ? `${scheme} ${this.maskValue(credential)}` : this.maskValue(value);
      } else {
        out[name] = this.mask(value);
      }
    }
    return out;
  }

  /** A credential seen in a field: tokens keep a prefix, known secrets and anything else vanish. */
  private maskValue(value: string): string {
    if (this.secrets.has(value)) return MASK;
    return maskToken(value);
  }

  private compiled(): RegExp | null {
    if (this.pattern) return this.pattern;
    const forms = new Set<string>();
    for (const value of [...this.secrets, ...this.tokens])
      for (const form of literalForms(value)) forms.add(form);
    if (forms.size === 0) return null;
    // Longest first, so a token that contains a secret is masked whole. Case is ignored: hex comes
    // in either case, and a case variant of a secret is no less a leak.
    const all = [...forms].sort((a, b) => b.length - a.length);
    this.longestForm = all[0]?.length ?? 0;
    this.pattern = new RegExp(all.map(escapeRegExp).join('|'), 'gi');
    return this.pattern;
  }
}

/**
 * What the literal pass cannot see: a credential spelled with escapes. Each decoded view is searched,
 * and every hit masks the whole span of the original text it came from, escapes included.
 */
function maskDecoded(text: string, pattern: RegExp, reach: number): string {
  const spans: Array<[number, number]> = [];
  for (const view of decodedViews(text)) {
    for (const [from, to] of changedWindows(view, reach)) {
      // exec with lastIndex rather than matchAll, which clones (and so recompiles) the pattern.
      const window = view.text.slice(from, to);
      pattern.lastIndex = 0;
      for (let hit = pattern.exec(window); hit; hit = pattern.exec(window)) {
        const start = view.map[from + hit.index] ?? 0;
        const end = view.map[from + hit.index + hit[0].length] ?? text.length;
        spans.push([start, end]);
      }
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    out += text.slice(at, Math.max(at, start)) + (start >= at ? MASK : '');
    at = end;
  }
  return out + text.slice(at);
}

function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

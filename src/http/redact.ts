/**
 * Masks secrets and tokens where evidence is captured, so that nothing downstream (reports, console,
 * error messages) ever holds them. Secrets vanish entirely; tokens keep a short prefix so a reader can
 * tell two tokens apart.
 */
const TOKEN_PREFIX = 6;
const MIN_SECRET_LENGTH = 4;

/** JSON and form fields whose values are credentials whatever they hold. */
const SENSITIVE_JSON =
  /("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;
// A form value ends at `&`, or at a quote, backslash or space when the form sits inside JSON text
// (the whole report is masked once more); form-encoded values never hold those characters.
const SENSITIVE_FORM = /((?:^|&)(?:client_secret|access_token|refresh_token|assertion)=)([^&"\\\s]*)/g;

export function maskToken(token: string): string {
  if (token.length <= TOKEN_PREFIX * 2) return '***';
  return `${token.slice(0, TOKEN_PREFIX)}…(${token.length} chars, masked)`;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens = new Set<string>();
  private pattern: RegExp | null = null;

  /** A value that must never appear: client secrets. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.pattern = null;
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
    if (pattern) {
      out = out.replace(pattern, (hit) => (this.secrets.has(hit) ? '***' : maskToken(hit)));
    }
    return out;
  }

  maskHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
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
    if (this.secrets.has(value)) return '***';
    return maskToken(value);
  }

  private compiled(): RegExp | null {
    if (this.pattern) return this.pattern;
    const all = [...this.secrets, ...this.tokens];
    if (all.length === 0) return null;
    // Longest first, so a token that contains a secret is masked whole.
    all.sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(all.map(escapeRegExp).join('|'), 'g');
    return this.pattern;
  }
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

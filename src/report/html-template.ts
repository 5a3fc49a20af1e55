/**
 * An auto-escaping tagged template: every interpolated value is HTML-escaped unless it is already
 * markup built by this template. Partner-controlled text (messages, headers, bodies) therefore
 * cannot open a tag by mistake anywhere in the report.
 */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Values: Markup as is, arrays joined, null/undefined/false as nothing, anything else escaped. */
function render(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function markup(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Trusted markup from this module's own constants (CSS, script), never from a report. */
export function trusted(text: string): Markup {
  return new Markup(text);
}

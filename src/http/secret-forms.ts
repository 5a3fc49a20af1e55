/**
 * The literal shapes a credential takes when a partner encodes it on its way back: base64 and
 * base64url (alone, or inside a longer encoded string such as HTTP Basic's `id:secret` or
 * `Bearer <token>`), and hex. Escapes that change a string character by character (JSON `\uXXXX`,
 * percent-encoding, HTML entities) are undone by the decoded views instead, since a partner can mix
 * them freely and no finite list of literals would cover every mixture.
 */

/**
 * Base64 cores shorter than this are not searched for: a secret of 4–5 bytes encodes to a handful of
 * characters that also occur by chance in ordinary base64 text, and masking those would mangle
 * evidence without protecting anything that the full encoding does not already cover.
 */
const MIN_CORE_CHARS = 8;

const B64_URL: Record<string, string> = { '+': '-', '/': '_' };

function toUrlAlphabet(b64: string): string {
  return b64.replace(/[+/]/g, (c) => B64_URL[c] ?? c);
}

/**
 * Base64 of a string that holds the value at any byte offset contains one of three runs of
 * characters that depend only on the value: the value's bits land at one of three alignments inside
 * the 6-bit groups. Each core is the run of characters made only of the value's bits; its neighbours
 * mix in bits of whatever surrounds the value and are left (at most 10 bits of the value each side).
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const firstWhole = Math.ceil((8 * shift) / 6);
    const endWhole = Math.floor((8 * (shift + bytes.length)) / 6);
    const core = encoded.slice(firstWhole, endWhole);
    if (core.length >= MIN_CORE_CHARS) cores.push(core);
  }
  return cores;
}

/**
 * Every literal form of one credential, the value itself first. Hex and base64 are matched without
 * regard to case by the caller (hex in either case is the same bytes; a case-folded base64 core of
 * eight or more characters does not occur by chance).
 */
export function literalForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const b64 = bytes.toString('base64');
  const forms = new Set<string>([
    value,
    b64,
    b64.replace(/=+$/, ''),
    toUrlAlphabet(b64),
    toUrlAlphabet(b64).replace(/=+$/, ''),
    bytes.toString('hex'),
  ]);
  for (const core of base64Cores(bytes)) {
    forms.add(core);
    forms.add(toUrlAlphabet(core));
  }
  // Percent- and form-encoding leave `+` for a space in the value; the percent view keeps a `+` as it
  // is (it may be base64), so the form-encoded spelling is one more literal.
  if (value.includes(' ')) forms.add(value.replace(/ /g, '+'));
  // The percent view reads each byte as a character: a non-ASCII value appears as its UTF-8 bytes.
  const asBytes = bytes.toString('latin1');
  if (asBytes !== value) forms.add(asBytes).add(asBytes.replace(/ /g, '+'));
  return [...forms];
}

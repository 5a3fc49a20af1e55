/** Plain ANSI SGR codes: the console summary colours only when asked, whatever the terminal says. */
export type Paint = (text: string) => string;

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export const ansi = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  magenta: sgr(35, 39),
  cyan: sgr(36, 39),
  gray: sgr(90, 39),
} as const;

const identity: Paint = (text) => text;

/** The same palette, painting nothing: callers never branch on colour themselves. */
export function palette(color: boolean): Record<keyof typeof ansi, Paint> {
  if (color) return ansi;
  return Object.fromEntries(Object.keys(ansi).map((k) => [k, identity])) as Record<keyof typeof ansi, Paint>;
}

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * External programs some report tests drive. Missing on a developer machine: the test is skipped and
 * says how to install it. Missing on CI (CI set): the test fails, so a green CI always ran it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export function onPath(program: string): string | null {
  try {
    return execFileSync('which', [program], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const chromiumPath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
export const xmllintPath = onPath('xmllint');

/**
 * describe() when the tool is there; otherwise a skipped suite naming the install command, or on CI a
 * failing test with the same message.
 */
export function describeWithTool(
  tool: string | null,
  name: string,
  install: string,
  body: (path: string) => void,
): void {
  if (tool) {
    describe(name, () => body(tool));
    return;
  }
  const why = `${name}: the program is not installed (${install})`;
  if (process.env.CI) {
    describe(name, () => {
      it('has its program installed on CI', () => {
        throw new Error(`${why}; CI must install it in .ci/run`);
      });
    });
  } else {
    console.warn(`skipped ${why}`);
    describe.skip(`${name} (skipped: not installed; ${install})`, () => {
      it('needs the program', () => undefined);
    });
  }
}

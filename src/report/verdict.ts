/**
 * The verdict every rendering leads with, decided once here so that the console, summary.md, the
 * HTML banner and JUnit say the same thing, and so that the headline matches the exit code:
 * NOT CERTIFIED is exit 1; CERTIFIED and PASSED, NOT CERTIFIABLE are exit 0.
 */
import { credentialSentence } from './credential-destination.js';
import type { Report } from '../core/model.js';
import { checksReason, notCertifiableText } from './rows.js';

export type Headline = 'CERTIFIED' | 'NOT CERTIFIED' | 'PASSED, NOT CERTIFIABLE';

/** How a renderer colours the banner: green, red, or amber for a pass that cannot certify. */
export type Tone = 'certified' | 'failed' | 'passed';

export interface VerdictBanner {
  headline: Headline;
  tone: Tone;
  /** Said right after the headline: what the checks found, or why a passing run cannot certify. */
  summary: string;
  /**
   * Further sentences, each shown on a line of its own under the headline, in reading order. Other
   * facts a reader needs at the verdict (a diagnosis, the token host) are added to this list.
   */
  lines: string[];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** "2 checks need a reviewer's attestation: AUTH-09, AUTH-10", or null when none does. */
export function attestationLine(report: Report): string | null {
  const ids = [...new Set(report.checks.filter((r) => r.status === 'manual').map((r) => r.requirement))];
  if (ids.length === 0) return null;
  return `${ids.length} ${plural(ids.length, 'check needs', 'checks need')} a reviewer's attestation: ${ids.join(', ')}`;
}

export function verdictBanner(report: Report): VerdictBanner {
  const lines: string[] = [];
  let banner: Pick<VerdictBanner, 'headline' | 'tone' | 'summary'>;
  if (report.verdict !== 'pass') {
    banner = { headline: 'NOT CERTIFIED', tone: 'failed', summary: checksReason(report) };
    if (!report.certifiable)
      lines.push(`this run could not certify in any case: ${notCertifiableText(report)}`);
  } else if (!report.certifiable) {
    banner = { headline: 'PASSED, NOT CERTIFIABLE', tone: 'passed', summary: notCertifiableText(report) };
    lines.push(`${checksReason(report)}, but a run like this one cannot certify the partner`);
  } else {
    banner = { headline: 'CERTIFIED', tone: 'certified', summary: checksReason(report) };
  }
  const attestation = attestationLine(report);
  if (attestation) lines.push(attestation);
  const credentials = credentialSentence(report.target);
  if (credentials) lines.push(credentials);
  return { ...banner, lines };
}

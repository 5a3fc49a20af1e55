/** The diagnosis as every renderer prints it: one sentence, the same words in each format. */
import type { Report } from '../core/model.js';
import { oneLine } from './rows.js';

/** e.g. `Could not reach ehr.example.com:443: the host name does not resolve (…).`, or undefined. */
export function diagnosisSentence(report: Report): string | undefined {
  const message = report.diagnosis?.message;
  if (!message) return undefined;
  const flat = oneLine(message, 1000);
  const sentence = flat.charAt(0).toUpperCase() + flat.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

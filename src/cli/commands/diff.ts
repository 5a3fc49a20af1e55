/** `fhir-certify diff <baseline.json> <current.json>`: the CI gate against a previous run. */
import { Command } from 'commander';
import { runCaptured } from '../../report/cli-capture.js';
import { deliver, type CliIo } from '../io.js';
import type { CliResult } from '../../report/cli-capture.js';
import {
  DEFAULT_IGNORE_UNDER_BUDGET,
  DEFAULT_MIN_LATENCY_REGRESSION_MS,
  diffReports,
  incomparableReason,
  parseFraction,
  parseMilliseconds,
} from '../../report/diff.js';
import { renderDiffText } from '../../report/diff-render.js';
import { loadReport } from '../../report/load.js';

export interface DiffCliOptions {
  maxLatencyRegression: string;
  minLatencyRegression: string;
  ignoreUnderBudget: string;
  json?: boolean;
}

function usage(message: string): CliResult {
  return { exitCode: 2, stdout: '', stderr: `fhir-certify diff: ${message}\n` };
}

export async function executeDiff(
  baselinePath: string,
  currentPath: string,
  opts: DiffCliOptions,
): Promise<CliResult> {
  const threshold = parseFraction(opts.maxLatencyRegression);
  if (threshold === null) {
    return usage(
      `--max-latency-regression ${opts.maxLatencyRegression} is not a percentage: write it as 20% or 0.2.`,
    );
  }
  const minMs = parseMilliseconds(opts.minLatencyRegression);
  if (minMs === null) {
    return usage(
      `--min-latency-regression ${opts.minLatencyRegression} is not a duration: write it in milliseconds, e.g. 50 or 50ms.`,
    );
  }
  const underBudget = parseFraction(opts.ignoreUnderBudget);
  if (underBudget === null) {
    return usage(
      `--ignore-under-budget ${opts.ignoreUnderBudget} is not a share of the budget: write it as 50% or 0.5 (0 judges every growth).`,
    );
  }
  const [baseline, current] = await Promise.all([
    loadReport(baselinePath, { wholeSchema: true }),
    loadReport(currentPath, { wholeSchema: true }),
  ]);
  if (!baseline.ok) return usage(baseline.reason);
  if (!current.ok) return usage(current.reason);
  const incomparable = incomparableReason(baseline.report, current.report);
  if (incomparable) return usage(incomparable);

  const diff = diffReports(baseline.report, current.report, {
    maxLatencyRegression: threshold,
    minLatencyRegressionMs: minMs,
    ignoreUnderBudget: underBudget,
  });
  const exitCode = diff.regressed ? 1 : 0;
  if (opts.json) {
    const doc = {
      baseline: { path: baselinePath, digest: baseline.report.digest, startedAt: baseline.report.startedAt },
      current: { path: currentPath, digest: current.report.digest, startedAt: current.report.startedAt },
      ...diff,
    };
    return { exitCode, stdout: `${JSON.stringify(doc, null, 2)}\n`, stderr: '' };
  }
  const label = (path: string, startedAt: string): string => `${path} (${startedAt})`;
  return {
    exitCode,
    stdout: renderDiffText(diff, {
      baseline: label(baselinePath, baseline.report.startedAt),
      current: label(currentPath, current.report.startedAt),
    }),
    stderr: '',
  };
}

function define(command: Command): Command {
  return command
    .description(
      'compare a report with a baseline: exit 1 on new failures, new errors or latency regressions',
    )
    .argument('<baseline>', 'the earlier report.json')
    .argument('<current>', 'the new report.json')
    .option('--max-latency-regression <percent>', 'allowed p95 growth, e.g. 20% or 0.2', '20%')
    .option(
      '--min-latency-regression <ms>',
      'allowed p95 growth in milliseconds; a regression must exceed both this and the percentage',
      String(DEFAULT_MIN_LATENCY_REGRESSION_MS),
    )
    .option(
      '--ignore-under-budget <percent>',
      'no latency regression while the new p95 is at most this share of its budget; 0 judges every growth',
      `${DEFAULT_IGNORE_UNDER_BUDGET * 100}%`,
    )
    .option('--json', 'print the comparison as JSON');
}

export function diffCommand(io: CliIo): Command {
  return define(new Command('diff')).action(
    async (baseline: string, current: string, opts: DiffCliOptions) => {
      deliver(io, await executeDiff(baseline, current, opts));
    },
  );
}

/** The diff command on an argument list (the words after `diff`), for tests and embedding. */
export function runDiff(args: readonly string[]): Promise<CliResult> {
  return runCaptured(
    (done) =>
      define(new Command('diff')).action(async (baseline: string, current: string, opts: DiffCliOptions) => {
        done(await executeDiff(baseline, current, opts));
      }),
    args,
  );
}

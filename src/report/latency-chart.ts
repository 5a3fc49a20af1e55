/**
 * The inline SVG chart of latency percentiles against their p95 budgets. The table beside it holds
 * the same numbers, so the chart is a picture for the eye and says so to screen readers.
 */
import { markup } from './html-template.js';
import type { Markup } from './html-template.js';
import type { LatencyRow } from '../core/model.js';
import { formatMs, oneLine } from './rows.js';

const WIDTH = 960;
const LABEL = 330;
const RIGHT = 44;
const ROW = 30;
const TOP = 12;
const AXIS = 28;
/** Room the p95 text needs at the right of its bar, e.g. `p95 1480 ms (247% of budget)`. */
const VALUE_ROOM = 190;

function num(n: number): string {
  return Number(n.toFixed(1)).toString();
}

/**
 * The decades the axis spans: from the power of ten at or below the smallest figure to the one at or
 * above the largest. A log axis keeps a 0.3 ms p95 and a 2 s budget on one readable chart; on a
 * linear 0–2500 ms axis the first is no bar at all.
 */
function decades(values: number[]): { lo: number; hi: number } {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return { lo: 0, hi: 3 };
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
  return { lo, hi };
}

function tickLabel(exp: number): string {
  const ms = 10 ** exp;
  return ms >= 1000 ? `${ms / 1000} s` : `${Number(ms.toPrecision(1))} ms`;
}

export function latencyChart(rows: readonly LatencyRow[]): Markup {
  const { lo, hi } = decades(rows.flatMap((r) => [r.p50, r.p95, r.p99, r.budgetP95]));
  const plot = WIDTH - LABEL - RIGHT;
  // Zero and below-axis figures sit at the left edge; a bar never runs past the right edge.
  const x = (ms: number): number => {
    if (!Number.isFinite(ms) || ms <= 0) return LABEL;
    const at = (Math.log10(ms) - lo) / (hi - lo);
    return LABEL + Math.min(1, Math.max(0, at)) * plot;
  };
  const height = TOP + rows.length * ROW + AXIS;

  const ticks = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push(markup`<line class="grid" x1="${num(x(10 ** e))}" x2="${num(x(10 ** e))}" y1="${TOP - 4}" y2="${TOP + rows.length * ROW}"></line>
<text class="tick" x="${num(x(10 ** e))}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle">${tickLabel(e)}</text>`);
  }

  const bars = rows.map((r, i) => {
    const y = TOP + i * ROW;
    const over = r.budgetP95 > 0 && r.p95 > r.budgetP95;
    const label = oneLine(`${r.requirement} ${r.interaction}`, 44);
    const budget =
      r.budgetP95 > 0
        ? markup`<line class="budget" x1="${num(x(r.budgetP95))}" x2="${num(x(r.budgetP95))}" y1="${y + 2}" y2="${y + 28}"></line>`
        : '';
    const share = r.budgetP95 > 0 ? ` (${shareText(r.p95 / r.budgetP95)} of budget)` : '';
    return markup`<g class="${over ? 'over' : 'within'}">
<title>${r.requirement} ${r.interaction}: p50 ${formatMs(r.p50)}, p95 ${formatMs(r.p95)}, p99 ${formatMs(r.p99)}, budget p95 ${formatMs(r.budgetP95)}</title>
<text class="label" x="${LABEL - 8}" y="${y + 19}" text-anchor="end">${label}</text>
<rect class="p99" x="${LABEL}" y="${y + 7}" width="${num(x(r.p99) - LABEL)}" height="16"></rect>
<rect class="p95" x="${LABEL}" y="${y + 7}" width="${num(x(r.p95) - LABEL)}" height="16"></rect>
<line class="p50" x1="${num(x(r.p50))}" x2="${num(x(r.p50))}" y1="${y + 5}" y2="${y + 25}"></line>
${budget}
<text class="value" x="${num(Math.min(Math.max(x(r.p95), x(r.p99)) + 6, WIDTH - VALUE_ROOM))}" y="${y + 19}">p95 ${formatMs(r.p95)}${share}</text>
</g>`;
  });

  return markup`<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="lat-chart-title lat-chart-desc">
<title id="lat-chart-title">Latency percentiles against p95 budgets, on a logarithmic axis</title>
<desc id="lat-chart-desc">For each interaction: a bar to p95 over a lighter bar to p99, a tick at p50, a dashed line at the p95 budget, and the p95 as a share of its budget. The axis is logarithmic: each grid line is ten times the one before. The table holds the same numbers.</desc>
${ticks}
${bars}
</svg>
<figcaption>Logarithmic axis (each grid line ten times the last). Bars: dark to p95 (red when over budget), light to p99; white tick: p50; dashed line: p95 budget.</figcaption>
</figure>`;
}

/** 0.0003 → "0.03%", 0.42 → "42%", 1.5 → "150%". */
function shareText(fraction: number): string {
  const pct = fraction * 100;
  if (!Number.isFinite(pct)) return '–';
  return pct >= 10 ? `${Math.round(pct)}%` : `${Number(pct.toPrecision(1))}%`;
}

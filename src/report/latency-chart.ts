/**
 * The inline SVG chart of latency percentiles against their p95 budgets. The table beside it holds
 * the same numbers, so the chart is a picture for the eye and says so to screen readers.
 */
import { markup } from './html-template.js';
import type { Markup } from './html-template.js';
import type { LatencyRow } from './model.js';
import { formatMs, oneLine } from './rows.js';

const WIDTH = 960;
const LABEL = 330;
const RIGHT = 44;
const ROW = 30;
const TOP = 12;
const AXIS = 28;

function niceStep(max: number): number {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const unit = rough / magnitude;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * magnitude;
}

function num(n: number): string {
  return Number(n.toFixed(1)).toString();
}

export function latencyChart(rows: readonly LatencyRow[]): Markup {
  const finite = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);
  const peak = Math.max(1, ...rows.flatMap((r) => [finite(r.p99), finite(r.p95), finite(r.budgetP95)]));
  const step = niceStep(peak * 1.05);
  const scaleMax = Math.ceil((peak * 1.05) / step) * step;
  const plot = WIDTH - LABEL - RIGHT;
  const x = (ms: number): number => LABEL + (Math.min(finite(ms), scaleMax) / scaleMax) * plot;
  const height = TOP + rows.length * ROW + AXIS;

  const ticks = [];
  for (let t = 0; t <= scaleMax + step / 2; t += step) {
    ticks.push(markup`<line class="grid" x1="${num(x(t))}" x2="${num(x(t))}" y1="${TOP - 4}" y2="${TOP + rows.length * ROW}"></line>
<text class="tick" x="${num(x(t))}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle">${formatMs(t)}</text>`);
  }

  const bars = rows.map((r, i) => {
    const y = TOP + i * ROW;
    const over = r.budgetP95 > 0 && r.p95 > r.budgetP95;
    const label = oneLine(`${r.requirement} ${r.interaction}`, 44);
    const budget =
      r.budgetP95 > 0
        ? markup`<line class="budget" x1="${num(x(r.budgetP95))}" x2="${num(x(r.budgetP95))}" y1="${y + 2}" y2="${y + 28}"></line>`
        : '';
    return markup`<g class="${over ? 'over' : 'within'}">
<title>${r.requirement} ${r.interaction}: p50 ${formatMs(r.p50)}, p95 ${formatMs(r.p95)}, p99 ${formatMs(r.p99)}, budget p95 ${formatMs(r.budgetP95)}</title>
<text class="label" x="${LABEL - 8}" y="${y + 19}" text-anchor="end">${label}</text>
<rect class="p99" x="${LABEL}" y="${y + 7}" width="${num(x(r.p99) - LABEL)}" height="16"></rect>
<rect class="p95" x="${LABEL}" y="${y + 7}" width="${num(x(r.p95) - LABEL)}" height="16"></rect>
<line class="p50" x1="${num(x(r.p50))}" x2="${num(x(r.p50))}" y1="${y + 5}" y2="${y + 25}"></line>
${budget}
</g>`;
  });

  return markup`<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="lat-chart-title lat-chart-desc">
<title id="lat-chart-title">Latency percentiles against p95 budgets</title>
<desc id="lat-chart-desc">For each interaction: a bar to p95 over a lighter bar to p99, a tick at p50 and a dashed line at the p95 budget. The table above holds the same numbers.</desc>
${ticks}
${bars}
</svg>
<figcaption>Bars: dark to p95 (red when over budget), light to p99; white tick: p50; dashed line: p95 budget.</figcaption>
</figure>`;
}

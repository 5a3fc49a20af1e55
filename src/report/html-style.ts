/** The report page's inline style and its one optional script; both are hashed into the page's CSP. */
export const css = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #c9ced6; --bg: #ffffff; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 12px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.1rem; margin: 24px 0 8px; }
a { color: #0b4f8a; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85rem; }
.verdict { border: 2px solid; border-left-width: 12px; border-radius: 6px; padding: 12px 16px; margin: 0 0 16px; }
.verdict.tone-certified { border-color: #137333; background: #e6f4ea; }
.verdict.tone-failed { border-color: #b3261e; background: #fce8e6; }
.verdict.tone-passed { border-color: #b06d00; background: #fff4d6; }
.verdict .word { font-size: 1.5rem; font-weight: 700; letter-spacing: 0.02em; margin: 0; }
.verdict p { margin: 4px 0; }
.verdict ul { margin: 4px 0 0 20px; padding: 0; }
dl.target { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.target dt { font-weight: 600; color: var(--muted); }
dl.target dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--muted); }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.zero { color: #6b7380; }
td.msg, td.wrap { overflow-wrap: anywhere; }
table.figures th, table.figures td { padding: 4px 6px; font-size: 0.9rem; }
table.figures td.wrap { min-width: 14em; }
nav.contents ul { list-style: none; margin: 0 0 8px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 20px; }
nav.contents a { font-weight: 600; }
.req { font-weight: 700; white-space: nowrap; }
.title { display: block; color: var(--muted); font-size: 0.9rem; font-weight: 400; }
.ref { display: block; color: var(--muted); font-size: 0.75rem; font-weight: 400; font-family: ui-monospace, monospace; }
.badge { display: inline-block; white-space: nowrap; font-weight: 700; font-size: 0.8rem; padding: 1px 8px; border-radius: 10px; border: 1px solid; }
.s-pass { color: #0d5323; background: #e3f4e8; border-color: #0d5323; }
.s-fail { color: #8c1d18; background: #fde7e6; border-color: #8c1d18; }
.s-error { color: #6a1b7a; background: #f4e5f7; border-color: #6a1b7a; }
.s-warn { color: #6b4200; background: #fff0c7; border-color: #6b4200; }
.s-skip, .s-na { color: #3d434b; background: #eceff3; border-color: #3d434b; }
.s-manual { color: #0b4f8a; background: #e3eefb; border-color: #0b4f8a; }
tr.row-fail td:first-child, tr.row-error td:first-child { box-shadow: inset 4px 0 0 #b3261e; }
tr.row-warn td:first-child { box-shadow: inset 4px 0 0 #b06d00; }
tr.evidence td { background: var(--soft); }
details { margin: 2px 0; }
summary { cursor: pointer; color: #0b4f8a; font-weight: 600; }
.exchange { border-top: 1px solid var(--line); padding: 8px 0; }
.exchange:first-of-type { border-top: 0; }
.exchange .line { margin: 0 0 4px; overflow-wrap: anywhere; }
.part-label { display: block; font-size: 0.8rem; font-weight: 600; color: var(--muted); margin-top: 6px; }
pre { background: #ffffff; border: 1px solid var(--line); border-radius: 4px; padding: 8px; margin: 2px 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 28rem; overflow: auto; }
.note { color: var(--muted); font-size: 0.9rem; }
figure.chart { margin: 8px 0 24px; }
figure.chart svg { max-width: 980px; display: block; }
figure.chart figcaption { color: var(--muted); font-size: 0.85rem; }
svg .label, svg .tick, svg .value { font: 12px system-ui, sans-serif; fill: #1b1f24; }
svg .grid { stroke: #dde1e6; stroke-width: 1; }
svg .p99 { fill: #c5d3e8; }
svg .within .p95 { fill: #2f5d9e; }
svg .over .p95 { fill: #b3261e; }
svg .p50 { stroke: #ffffff; stroke-width: 3; }
svg .budget { stroke: #1b1f24; stroke-width: 2; stroke-dasharray: 4 3; }
ol.attest { padding-left: 20px; }
ol.attest li { margin-bottom: 20px; break-inside: avoid; }
.signoff { display: grid; grid-template-columns: repeat(4, max-content 1fr); gap: 8px 8px; align-items: end; margin-top: 8px; }
.signoff .blank { border-bottom: 1px solid var(--ink); min-height: 1.4em; min-width: 6em; }
.tools button { font: inherit; margin-right: 8px; }
footer { padding-bottom: 32px; color: var(--muted); }
.digest { overflow-wrap: anywhere; }
@media print {
  body { font-size: 11pt; }
  header, main, footer { max-width: none; padding: 0; }
  .tools { display: none; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
  details > * { display: block; }
  pre { max-height: none; overflow: visible; }
  tr, .exchange { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** Enhancement only: expand or fold all evidence, and open every fold before printing. */
export const script = `
(function () {
  var all = function (open) { document.querySelectorAll('details').forEach(function (d) { d.open = open; }); };
  window.addEventListener('beforeprint', function () { all(true); });
  var tools = document.getElementById('evidence-tools');
  if (!tools) return;
  [['Expand all evidence', true], ['Fold all evidence', false]].forEach(function (b) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = b[0];
    button.addEventListener('click', function () { all(b[1]); });
    tools.appendChild(button);
  });
})();
`;

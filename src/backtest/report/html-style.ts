/** The report's stylesheet, inlined into the page: system fonts only, light and dark schemes. */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --panel: #f6f8fa; --border: #d0d7de;
  --up: #1a7f37; --down: #cf222e; --line: #0969da; --bench: #8c959f; --grid: #eaeef2; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22; --border: #30363d;
    --up: #3fb950; --down: #f85149; --line: #4493f8; --bench: #6e7681; --grid: #21262d; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--border); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; color: var(--muted); }
.muted, .note { color: var(--muted); }
.note { font-size: 12px; margin: 4px 0; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.header dt { color: var(--muted); }
dl.header dd { margin: 0; overflow-wrap: anywhere; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-variant-numeric: tabular-nums; }
.positive { color: var(--up); }
.negative { color: var(--down); }
svg.chart { width: 100%; height: auto; display: block; background: var(--panel); border: 1px solid var(--border);
  border-radius: 6px; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .axis { fill: var(--muted); font-size: 11px; }
svg .frame { fill: none; stroke: var(--border); }
svg .line { fill: none; stroke-width: 1.3; stroke-linejoin: round; }
svg .equity { stroke: var(--line); }
svg .benchmark { stroke: var(--bench); stroke-dasharray: 4 3; }
svg .price { stroke: var(--fg); stroke-width: 1; }
svg .drawdown.area { fill: var(--down); fill-opacity: 0.35; stroke: var(--down); stroke-width: 1; }
svg .marker.buy { fill: var(--up); }
svg .marker.sell { fill: var(--down); }
.legend { font-size: 12px; color: var(--muted); margin: 4px 0; }
.legend span { margin-right: 14px; }
.legend .swatch { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--border); text-align: right; white-space: nowrap; }
th { background: var(--panel); position: sticky; top: 0; }
td.text, th.text { text-align: left; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
.metrics table { width: 100%; }
.scroll { overflow: auto; max-height: 640px; border: 1px solid var(--border); border-radius: 6px; }
.scroll table { width: 100%; }
tr.gap td { text-align: center; color: var(--muted); font-style: italic; }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
`;

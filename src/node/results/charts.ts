/**
 * Charts as inline SVG, drawn here so report.html is one self-contained file that any browser renders,
 * offline, with no script. Line charts for series over time, horizontal bars for counts.
 */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(v: number): number {
  if (v <= 0 || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((x) => x >= v) ?? v;
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);

/** A line chart; x in seconds since start (or in `xUnit`), y in `unit`. */
export function lineChart(
  title: string,
  unit: string,
  series: readonly Series[],
  width = 900,
  height = 280,
  xUnit = 's',
): string {
  const pad = { l: 60, r: 180, t: 30, b: 35 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(0, ...ys));
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const X = (x: number): number => pad.l + (x / xMax) * w;
  const Y = (y: number): number => pad.t + h - (y / yMax) * h;
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${pad.l}" x2="${pad.l + w}" y1="${Y(f * yMax)}" y2="${Y(f * yMax)}" stroke="#e5e5e5"/><text x="${pad.l - 6}" y="${Y(f * yMax) + 4}" text-anchor="end" font-size="11">${fmt(f * yMax)}</text>`,
    )
    .join('');
  const xTicks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<text x="${X(f * xMax)}" y="${pad.t + h + 16}" text-anchor="middle" font-size="11">${Math.round(f * xMax)} ${esc(xUnit)}</text>`,
    )
    .join('');
  const lines = series
    .map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      const pts = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
      const legend = `<rect x="${pad.l + w + 12}" y="${pad.t + i * 16}" width="10" height="10" fill="${color}"/><text x="${pad.l + w + 26}" y="${pad.t + i * 16 + 9}" font-size="11">${esc(s.name)}</text>`;
      return `<polyline class="series" data-points="${s.points.length}" fill="none" stroke="${color}" stroke-width="1.6" points="${pts}"/>${legend}`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)} (${esc(unit)})</figcaption><svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${grid}${xTicks}<line x1="${pad.l}" x2="${pad.l}" y1="${pad.t}" y2="${pad.t + h}" stroke="#999"/>${lines}</svg></figure>`;
}

/** Horizontal bars for named counts. */
export function barChart(
  title: string,
  bars: readonly { name: string; value: number; color?: string }[],
  width = 900,
): string {
  const rowH = 22;
  const labelW = 260;
  const height = 30 + bars.length * rowH;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const y = 20 + i * rowH;
      const len = ((width - labelW - 80) * b.value) / max;
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" font-size="12">${esc(b.name)}</text><rect class="bar" data-value="${b.value}" x="${labelW}" y="${y + 2}" width="${len.toFixed(1)}" height="${rowH - 6}" fill="${b.color ?? PALETTE[i % PALETTE.length]}"/><text x="${labelW + len + 6}" y="${y + 14}" font-size="12">${b.value}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#fff"/>${rows}</svg></figure>`;
}

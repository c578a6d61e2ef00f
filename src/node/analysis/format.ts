/** Comparison outputs: a terminal table, markdown, JSON and JUnit. One table of formats. */
import type { Comparison, MetricComparison } from './compare.js';

const change = (r: MetricComparison): string =>
  r.effect === 'relative'
    ? `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`
    : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(2)} pt`;
const num = (r: MetricComparison, v: number): string =>
  r.metric.endsWith('rate') ? `${(v * 100).toFixed(2)}%` : v.toFixed(1);
const p = (v: number): string => (v < 0.0001 ? '<0.0001' : v.toFixed(4));

function verdictLine(c: Comparison): string {
  const regressions = c.results.filter((r) => r.verdict === 'regression');
  return regressions.length === 0
    ? `no regression: ${c.candidate} against ${c.baseline} (alpha ${c.options.alpha}, minimum effect ${c.options.minEffect * 100}%)`
    : `REGRESSION in ${regressions.map((r) => `${r.op} ${r.metric} (${change(r)})`).join(', ')}`;
}

export const FORMATS: Record<string, (c: Comparison) => string> = {
  table: (c) => {
    const header = `${'operation'.padEnd(24)} ${'metric'.padEnd(13)} ${'baseline'.padStart(10)} ${'candidate'.padStart(10)} ${'change'.padStart(10)} ${'p'.padStart(8)}  verdict`;
    const rows = c.results.map(
      (r) =>
        `${r.op.padEnd(24)} ${r.metric.padEnd(13)} ${num(r, r.baseline).padStart(10)} ${num(r, r.candidate).padStart(10)} ${change(r).padStart(10)} ${p(r.p).padStart(8)}  ${r.verdict}`,
    );
    return [header, ...rows, '', verdictLine(c), ...(c.notes ?? []).map((n) => `note: ${n}`)].join('\n');
  },
  markdown: (c) =>
    [
      `### ${verdictLine(c)}`,
      '',
      ...(c.notes ?? []).map((n) => `> Note: ${n}\n`),
      `Baseline \`${c.baseline}\`, candidate \`${c.candidate}\`; windows of ${c.bucket_s} s paired by elapsed time; Wilcoxon signed-rank, one-sided.`,
      '',
      '| operation | metric | baseline | candidate | change | p | verdict |',
      '|---|---|---:|---:|---:|---:|---|',
      ...c.results.map(
        (r) =>
          `| ${r.op} | ${r.metric} | ${num(r, r.baseline)} | ${num(r, r.candidate)} | ${change(r)} | ${p(r.p)} | ${r.verdict === 'regression' ? '**regression**' : r.verdict} |`,
      ),
      '',
    ].join('\n'),
  json: (c) => JSON.stringify(c, null, 2),
  junit: (c) => {
    const esc = (s: string): string =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const judged = c.results.filter((r) => r.verdict !== 'not judged');
    const cases = judged.map((r) => {
      const failure =
        r.verdict === 'regression'
          ? `<failure message="${esc(`${r.op} ${r.metric} ${change(r)} (p=${p(r.p)})`)}"/>`
          : '';
      return `    <testcase classname="offerload.compare.${esc(r.op)}" name="${esc(r.metric)}">${failure}</testcase>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="compare ${esc(c.baseline)} vs ${esc(c.candidate)}" tests="${judged.length}" failures="${judged.filter((r) => r.verdict === 'regression').length}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
  },
};

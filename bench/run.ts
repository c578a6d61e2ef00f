/**
 * `npm run bench`: every benchmark, each measured side by side with its baseline in the same run, printed
 * and written to bench/results.json. Benchmarks live apart from tests: these machines are shared and
 * noisy, so figures are ratios against a baseline measured moments apart, with their spread.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/node/paths.js';
import { simThroughput } from './sim-throughput.js';
import { vuMemory } from './vu-memory.js';
import { soakMemory } from './soak-memory.js';
import { harness } from './harness.js';
import { addedLatency } from './added-latency.js';
import { arrivalsCost } from './arrivals-cost.js';

const RESULTS = path.join(projectRoot, 'bench', 'results.json');
/** Each bench gets the figures so far (added-latency reads the harness's saturation rates). */
const BENCHES: Record<string, (soFar: Record<string, unknown>) => Promise<Record<string, unknown>>> = {
  harness: harness,
  'added-latency': addedLatency,
  'vu-memory': vuMemory,
  'sim-throughput': simThroughput,
  'soak-memory': soakMemory,
  'arrivals-cost': arrivalsCost,
};

const only = process.argv.slice(2);
mkdirSync(path.join(projectRoot, 'bench', 'out'), { recursive: true });
const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
const results: Record<string, unknown> = { ...previous };
for (const [name, bench] of Object.entries(BENCHES)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`bench: ${name}`);
  Object.assign(results, await bench(results));
}
results.measured_at = new Date().toISOString();
results.machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model ?? 'unknown',
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
};
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
const headline = [
  'harness_overhead_ratio',
  'offerload_over_handwritten_k6',
  'offerload_over_handwritten_k6_rps',
  'offerload_over_artillery',
  'offerload_over_artillery_rps',
  'offer_burst_k6_cpu_us_per_request',
  'handwritten_k6_cpu_us_per_request',
  'artillery_cpu_us_per_request',
  'wrk_over_k6',
  'influx_stored_ratio',
  'influx_flush_warnings',
  'vu_memory_ratio',
  'vu_memory_mb',
  'vu_init_ratio',
  'sim_vs_node_ratio',
  'sim_rps',
  'bare_node_rps',
  'soak_rss_growth_pct',
  'soak_rss_growth_pct_k6_defaults',
  'arrivals_poisson_cpu_ratio',
  'arrivals_poisson_peak_cores',
  'arrivals_poisson_rss_ratio',
];
console.table(Object.fromEntries(headline.filter((k) => k in results).map((k) => [k, results[k]])));
console.log(`written: ${path.relative(projectRoot, RESULTS)}`);

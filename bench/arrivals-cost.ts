/**
 * What Poisson arrivals cost the generator against k6's evenly spaced starts, measured in the same run: offer-burst
 * at 150/s for 60 s against the embedded simulator in fast mode (so the target adds no wait), once each way,
 * alternating over rounds. From each run's own summary (the CLI samples k6's /proc every second and reads the
 * samples back from the local InfluxDB the run streams to): k6's CPU per request, its peak CPU in cores (the
 * aim: under one core at 150/s), and its resident memory (the VUs preallocated for a plan's busiest second and
 * its 200 ms lead are most of the difference).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/node/paths.js';
import type { RunSummary } from '../src/node/results/model.js';

const OUT = path.join(projectRoot, 'bench', 'out', 'arrivals');
const RATE = Number(process.env.BENCH_ARRIVALS_RATE ?? 150);
const SECONDS = Number(process.env.BENCH_ARRIVALS_SECONDS ?? 60);
const ROUNDS = Number(process.env.BENCH_REPEATS ?? 2);

interface Figures {
  readonly cpuUsPerRequest: number;
  readonly peakCores: number;
  readonly rssMb: number;
}

function run(mode: 'even' | 'poisson', round: number): Promise<Figures> {
  const testid = `bench-arrivals-${mode}-${round}-${Date.now().toString(36)}`;
  const config = path.join(OUT, 'fast.json');
  writeFileSync(config, JSON.stringify({ capacity: { fast: true } }));
  const args = [
    path.join(projectRoot, 'bin', 'offerload.js'),
    'run',
    'offer-burst',
    '--profile',
    'average',
    '--rate',
    String(RATE),
    '--duration',
    `${SECONDS}s`,
    '--arrivals',
    mode,
    '--sim-config',
    config,
    '--out',
    OUT,
    '--testid',
    testid,
    '--quiet',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0 && code !== 1) return reject(new Error(`offerload run (${mode}) exited ${code}`));
      const s = JSON.parse(readFileSync(path.join(OUT, testid, 'summary.json'), 'utf8')) as RunSummary;
      const g = s.generator!;
      const requests = s.operations.offer!.requests;
      const cores = os.cpus().length;
      resolve({
        cpuUsPerRequest: Math.round(((g.mean_cpu_share * cores * g.samples) / requests) * 1e6),
        peakCores: Math.round(g.max_cpu_share * cores * 100) / 100,
        rssMb: g.max_rss_mb,
      });
    });
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function arrivalsCost(): Promise<Record<string, unknown>> {
  mkdirSync(OUT, { recursive: true });
  const even: Figures[] = [];
  const poisson: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    even.push(await run('even', round));
    poisson.push(await run('poisson', round));
  }
  const cpu = (fs: Figures[]) => median(fs.map((f) => f.cpuUsPerRequest));
  const rss = (fs: Figures[]) => median(fs.map((f) => f.rssMb));
  return {
    arrivals_rate: RATE,
    arrivals_even_cpu_us_per_request: cpu(even),
    arrivals_poisson_cpu_us_per_request: cpu(poisson),
    arrivals_poisson_cpu_ratio: Math.round((cpu(poisson) / cpu(even)) * 100) / 100,
    arrivals_even_peak_cores: Math.max(...even.map((f) => f.peakCores)),
    arrivals_poisson_peak_cores: Math.max(...poisson.map((f) => f.peakCores)),
    arrivals_even_rss_mb: rss(even),
    arrivals_poisson_rss_mb: rss(poisson),
    arrivals_poisson_rss_ratio: Math.round((rss(poisson) / rss(even)) * 100) / 100,
  };
}

/** Random draws the simulator's behaviour is made of; all take the seeded generator. */

/** A log-normal with the given median and shape (sigma of the underlying normal). */
export interface LogNormal {
  readonly median: number;
  readonly sigma: number;
}

/** Standard normal by Box-Muller. */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function drawLogNormal(random: () => number, d: LogNormal): number {
  return d.sigma === 0 ? d.median : d.median * Math.exp(d.sigma * normal(random));
}

/** Exponential waiting time with the given mean. */
export function drawExponential(random: () => number, mean: number): number {
  return -Math.log(Math.max(1 - random(), 1e-12)) * mean;
}

/** Seeded randomness for the simulator's runtime draws (faker makes the fixtures; this makes sys_ids and dice). */

/** mulberry32: small, fast, good enough for simulation; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-character lowercase hex sys_id drawn from `random`. */
export function sysId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return id;
}

/** Seeded randomness for the simulator's runtime draws (faker makes the fixtures; this makes sys_ids and dice). */
export { seededRandom } from '../../../shared/random.js';

/** A 32-character lowercase hex sys_id drawn from `random`. */
export function sysId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 4; i++)
    id += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return id;
}

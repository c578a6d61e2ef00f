/**
 * The simulator's bytes on the wire, held still: a fixed script of 29 requests (successes, every kind of
 * refusal the pipeline makes, the neighbouring APIs, the simulator's own routes, a fault) answers exactly as
 * the committed transcript says, Date, port and timings aside. A change to how the simulator is built must
 * leave it as it is; a change to what it answers updates the transcript on purpose
 * (`npx tsx test/helpers/wire-transcript.ts --write`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/cli.js';
import { type WireExchange, wireTranscript } from '../../../test/helpers/wire-transcript.js';

const committed = JSON.parse(
  readFileSync(path.join(ROOT, 'test/fixtures/sim-wire/transcript.json'), 'utf8'),
) as WireExchange[];

describe('the simulator on the wire', () => {
  it('answers the fixed script exactly as the committed transcript', async () => {
    const now = await wireTranscript();
    expect(now.map((x) => x.name)).toEqual(committed.map((x) => x.name));
    for (const [i, x] of now.entries()) expect(x, x.name).toEqual(committed[i]);
  });
});

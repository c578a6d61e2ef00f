/**
 * contention's races, as k6 tags them and the summary reads them back: how many of the agents offered one
 * document at once won it. More than one winner is a broken target.
 */
import { MEASUREMENTS } from './measurements.js';

/** The `winners` tag values of a race. */
export const RACE_WINNERS = ['0', '1', 'many'] as const;
export type RaceWinners = (typeof RACE_WINNERS)[number];

/** The tag value for a race `winners` agents won. */
export const winnersLabel = (winners: number): RaceWinners => (winners > 1 ? 'many' : winners === 1 ? '1' : '0');

/** The submetric of races with these winners, as k6's thresholds and end-of-test data name it. */
export const raceSubmetric = (w: RaceWinners): string => `${MEASUREMENTS.races}{winners:${w}}`;

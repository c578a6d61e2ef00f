/**
 * The forecast's flags, one table for every command that reads a forecast (`run`, `plan`), and their reader.
 */
import { readFileSync } from 'node:fs';
import { type Flag, type FlagValues, flagValue } from '../flag-table.js';
import { UsageError, withFlag } from '../errors.js';
import * as flag from '../values.js';
import { parseForecast } from './formats.js';
import { FORECAST_FORMATS } from './model.js';
import { type ForecastReplay, replayOf } from './replay.js';

export const FORECAST_FLAGS = [
  {
    name: 'forecast',
    type: 'string',
    arg: 'FILE',
    help: "a workforce-management interval forecast to replay as the arrival curve: each interval's contacts arrive at a constant rate over it (steps, not smoothed), Poisson within it unless --arrivals even; formats: plain CSV (interval_start,contacts[,aht_s][,queue], ISO 8601 with an offset), Amazon Connect's forecast override CSV, Genesys Cloud WFM forecast data JSON (15-minute intervals from referenceStartDate, taken as index 0: not published by Genesys), Calabrio's forecast import CSV (no header, yyyyMMdd HH:mm local times)",
  },
  {
    name: 'forecast-format',
    type: 'string',
    arg: 'F',
    help: `the forecast's format: ${FORECAST_FORMATS.join(', ')}`,
    defaultText: 'detected from the content',
  },
  {
    name: 'scale',
    type: 'string',
    arg: 'X',
    help: "the forecast's contacts times X (1.5 = 150% of forecast)",
    default: '1',
  },
  {
    name: 'window',
    type: 'string',
    arg: 'FROM..TO',
    help: 'a slice of the forecast on its own clock (the file\'s offset; UTC for Amazon Connect and Genesys; as written for Calabrio), TO excluded: 2026-12-07T08:00, 08:00 (the forecast\'s first day) or Mon 08:00, e.g. "Mon 08:00..12:00"',
    defaultText: 'the whole forecast',
  },
  {
    name: 'speedup',
    type: 'string',
    arg: 'N',
    help: "replay the forecast N times faster than real time (a 30-minute interval lasts 30/N minutes, its contacts arrive N times as fast); contact-centre takes it without a forecast too, and compresses its handle times, accept delays, offer timeouts and patience with it, never the instance's own timers (the session idle timeout, the routing look-back) nor the guard it leaves between an agent's presence change and their next offer (docs/running.md)",
    default: '1',
  },
  {
    name: 'queue',
    type: 'string',
    arg: 'NAME',
    help: 'one queue, skill or planning group of the forecast (Amazon Connect: QueueName or QueueId)',
    defaultText: 'all, summed per interval',
  },
] as const satisfies readonly Flag[];

const FORECAST_ONLY = FORECAST_FLAGS.filter((f) => f.name !== 'forecast').map((f) => f.name);

/**
 * The forecast replay the flags ask for, or undefined without --forecast (then its other flags are refused, but
 * --speedup where `speedupAlone`: a contact centre's handle times compress without a forecast too).
 */
export function forecastFrom(values: FlagValues, speedupAlone = false): ForecastReplay | undefined {
  const v = values as Readonly<Record<string, string | undefined>>;
  const file = v.forecast;
  if (file === undefined) {
    const stray = FORECAST_ONLY.find((name) => v[name] !== undefined && !(speedupAlone && name === 'speedup'));
    if (stray) throw new UsageError(`--${stray} applies to a forecast: it needs --forecast FILE`);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `invalid --forecast: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const format =
    v['forecast-format'] === undefined
      ? undefined
      : flag.oneOf('--forecast-format', v['forecast-format'], FORECAST_FORMATS);
  const forecast = withFlag('--forecast', file, () => parseForecast(text, file, format));
  const options = {
    scale: flag.positiveNumber('--scale', flagValue(FORECAST_FLAGS, values, 'scale')!, 'times the forecast'),
    speedup: speedupOf(values),
    window: v.window,
    queue: v.queue,
  };
  return withFlag('--forecast', file, () => replayOf(forecast, options));
}

/** --speedup as given, or its default. */
export const speedupOf = (values: FlagValues): number =>
  flag.positiveNumber('--speedup', flagValue(FORECAST_FLAGS, values, 'speedup')!, 'times real time');

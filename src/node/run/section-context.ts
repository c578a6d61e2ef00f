/**
 * What a report section is given to build from: the run's plan, its k6 data, its InfluxDB and target. Its own
 * module, so that sections (sections.ts, capacity.ts, instance-cost.ts, generator-health.ts) and their table
 * import it without importing each other.
 */
import type { ProfileParams } from '../../shared/profiles.js';
import type { Slo } from '../../shared/scenarios.js';
import type { SessionMode } from '../../shared/sessions.js';
import type { Sweep } from '../../shared/sweep.js';
import type { ForecastReplay } from '../forecast/replay.js';
import type { ContactCentreSettings } from '../contact-centre/settings.js';
import type { InfluxTarget } from '../influx/store.js';
import type { OperationSummary } from '../results/model.js';
import type { K6SummaryData } from '../results/summary.js';

export interface SectionContext {
  readonly scenario: string;
  readonly profile: string;
  readonly params: ProfileParams;
  readonly sweep: Sweep;
  readonly testid: string;
  readonly data: K6SummaryData | undefined;
  readonly influx: InfluxTarget | undefined;
  readonly targetUrl: string;
  readonly sloOverrides: Slo;
  readonly configSlos: Readonly<Record<string, Slo>>;
  readonly sessions: SessionMode;
  readonly operations: Readonly<Record<string, OperationSummary>>;
  readonly seconds: number;
  readonly seed: number;
  readonly arrivals: { readonly mode: 'poisson' | 'even'; readonly dispersion: number };
  /** a contact centre's settings and speedup (contact-centre) */
  readonly contactCentre?: { readonly settings: ContactCentreSettings; readonly speedup: number };
  /** the forecast replayed as the load, if any */
  readonly forecast?: ForecastReplay;
  /** when the watchdog stopped the run (epoch ms), or undefined */
  readonly stoppedAtMs: number | undefined;
}

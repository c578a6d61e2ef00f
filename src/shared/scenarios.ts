/** The workloads offerload knows: what each drives, which operations it reports, which profiles fit it. */

export interface ScenarioInfo {
  readonly description: string;
  /** operations it reports (the `op` tag values) */
  readonly ops: readonly string[];
  readonly profiles: readonly string[];
  readonly defaultProfile: string;
}

export const SCENARIOS: Readonly<Record<string, ScenarioInfo>> = {
  'offer-burst': {
    description: 'new assignments arriving in bursts: baseline, a steep peak, recovery',
    ops: ['offer'],
    profiles: ['smoke', 'average', 'burst'],
    defaultProfile: 'burst',
  },
};

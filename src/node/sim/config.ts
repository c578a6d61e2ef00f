/** Simulator configuration: one interface, its defaults, and the integration user taken from the environment. */

export type FailureEnvelope = 'error' | 'result';

export interface SimUser {
  readonly user_name: string;
  readonly password?: string;
  readonly token?: string;
  readonly roles: readonly string[];
}

export interface SimConfig {
  /** seed for fixtures and every random draw, so a run is reproducible */
  readonly seed: number;
  readonly host: string;
  /** 0 picks a free port */
  readonly port: number;
  readonly fixtures: {
    readonly agents: number;
    readonly queues: number;
    readonly documents: number;
    /** share of agents seeded Away and Offline; the rest are Available */
    readonly awayShare: number;
    readonly offlineShare: number;
  };
  /** failure body style: the platform error envelope or a `result` object */
  readonly envelope: FailureEnvelope;
  /** HTTP status of validation failures: 400 by default, 500 on some releases */
  readonly validationStatus: 400 | 500;
  /** request bodies over this many bytes get 413 */
  readonly maxBodyBytes: number;
  readonly users: readonly SimUser[];
}

export const DEFAULT_SIM_CONFIG: SimConfig = {
  seed: 1,
  host: '127.0.0.1',
  port: 0,
  fixtures: { agents: 200, queues: 12, documents: 5000, awayShare: 0.12, offlineShare: 0.08 },
  envelope: 'error',
  validationStatus: 400,
  maxBodyBytes: 1024 * 1024,
  // A seeded caller without the integration roles, so the caller-role check can be exercised.
  users: [{ user_name: 'itil.user', password: 'itil.user', roles: ['itil'] }],
};

/** The integration user from OFFERLOAD_USERNAME/OFFERLOAD_PASSWORD or OFFERLOAD_TOKEN, as a run reads them. */
export function integrationUserFromEnv(env: NodeJS.ProcessEnv): SimUser | undefined {
  const roles = ['awa_integration_user', 'rest_service'];
  if (env.OFFERLOAD_TOKEN) return { user_name: env.OFFERLOAD_USERNAME || 'offerload.integration', token: env.OFFERLOAD_TOKEN, roles };
  if (env.OFFERLOAD_USERNAME) return { user_name: env.OFFERLOAD_USERNAME, password: env.OFFERLOAD_PASSWORD ?? '', roles };
  return undefined;
}

/**
 * The three kinds of InfluxDB that speak the v1 write and InfluxQL query API, told apart by the version
 * header /ping sends, and what each allows: only 1.x takes DDL (databases, retention policies, continuous
 * queries) and InfluxQL DELETE; 3.x has no SHOW DATABASES and creates a database on its first write.
 */
export const FLAVOUR_NAMES = ['1', '2', '3'] as const;
export type FlavourName = (typeof FLAVOUR_NAMES)[number];

export interface Flavour {
  readonly name: FlavourName;
  readonly label: string;
  /** CREATE DATABASE / RETENTION POLICY / CONTINUOUS QUERY */
  readonly ddl: boolean;
  /** InfluxQL DELETE of a run's points (--replace) */
  readonly deletes: boolean;
  /** SHOW DATABASES answers */
  readonly showDatabases: boolean;
  /** a write to a database that does not exist creates it */
  readonly createsOnWrite: boolean;
  /** the retention policy offerload's long-lived series go to; undefined = the database's default */
  readonly longPolicy: string | undefined;
  /** what this server means for a soak, for doctor */
  readonly soakNote: string;
  /** what to do when the database is missing */
  readonly missingDatabase: (db: string) => string;
}

export const FLAVOURS: Record<FlavourName, Flavour> = {
  '1': {
    name: '1',
    label: 'InfluxDB 1.x',
    ddl: true,
    deletes: true,
    showDatabases: true,
    createsOnWrite: false,
    longPolicy: 'long',
    soakNote:
      'retention policies raw (30d) and long (INF) and continuous queries roll soaks up per minute while they run',
    missingDatabase: (db) =>
      `no database ${db}: 'npx offerload influx setup', or let a run create it (needs an admin user)`,
  },
  '2': {
    name: '2',
    label: 'InfluxDB 2.x (v1 compatibility API)',
    ddl: false,
    deletes: false,
    showDatabases: true,
    createsOnWrite: false,
    longPolicy: undefined,
    soakNote:
      "no continuous queries: per-minute soak rollups are computed by queries when the run ends; retention is the bucket's; --replace cannot delete points",
    missingDatabase: (db) =>
      `no database ${db}: create a bucket and a DBRP mapping for it ('influx v1 dbrp create --db ${db} --rp autogen --bucket-id ID --default')`,
  },
  '3': {
    name: '3',
    label: 'InfluxDB 3 (v1 compatibility API)',
    ddl: false,
    deletes: false,
    showDatabases: false,
    createsOnWrite: true,
    longPolicy: undefined,
    soakNote:
      "no continuous queries: per-minute soak rollups are computed by queries when the run ends; retention is the database's; --replace cannot delete points",
    missingDatabase: (db) => `no database ${db} yet: the first write creates it`,
  },
};

/** The flavour a /ping's X-Influxdb-Version names ("1.6.7~rc0", "v2.7.11", "3.1.0"), or undefined. */
export function flavourOfVersion(version: string | null | undefined): Flavour | undefined {
  const major = /^v?(\d+)\./.exec(version?.trim() ?? '')?.[1];
  return major !== undefined && (FLAVOUR_NAMES as readonly string[]).includes(major)
    ? FLAVOURS[major as FlavourName]
    : undefined;
}

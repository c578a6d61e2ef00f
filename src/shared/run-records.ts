/**
 * What a run created or changed on its target, in one vocabulary: the record-log line that k6 writes (one
 * `console.log` per record, which k6 appends to the run's records file as it goes, so an interrupted run still
 * has its list) and the reader `offerload cleanup` uses; and how a run's testid rides on what it sends (the
 * offer's `external_segment_id`), so the Table API finds the run's work items even without the file.
 */

/** The first word of every record line; a line without it (k6's own messages) is not a record. */
export const RECORD_FORMAT = 'offerload-record/1';

/** A presence as the Agent API reads it: its state and each channel's availability. */
export interface PresenceSnapshot {
  readonly state: string;
  readonly channels: readonly (readonly [string, boolean])[];
}

export type RunRecord =
  | { readonly kind: 'interaction'; readonly sys_id: string }
  | { readonly kind: 'work_item'; readonly sys_id: string }
  | { readonly kind: 'presence'; readonly agent: string; readonly previous: PresenceSnapshot };

/**
 * Characters a record's values may hold: k6's log formats then write them unquoted and unescaped. Made on first
 * use: a regular expression evaluated when the module loads builds the RegExp machinery in every k6 VU's init.
 */
let safePattern: RegExp | undefined;

const safe = (value: string): string => ((safePattern ??= /^[A-Za-z0-9._:-]+$/).test(value) ? value : '?');

/** One record as its line (without the newline); a value outside [A-Za-z0-9._:-] is written as "?" and read back as malformed. */
export function recordLine(r: RunRecord): string {
  if (r.kind !== 'presence') return `${RECORD_FORMAT} ${r.kind} ${safe(r.sys_id)}`;
  const channels = r.previous.channels.map(([id, available]) => `${safe(id)}=${available ? 1 : 0}`).join(',') || '-';
  return `${RECORD_FORMAT} presence ${safe(r.agent)} ${safe(r.previous.state)} ${channels}`;
}

/** What a records file says a run did. */
export interface RecordLog {
  readonly interactions: readonly string[];
  readonly workItems: readonly string[];
  /** each agent's presence before the run first changed it (the first record wins: later ones saw the run's own change) */
  readonly presence: ReadonlyMap<string, PresenceSnapshot>;
  /** record lines that could not be read (a line cut off when k6 was killed, say) */
  readonly malformed: number;
}

let idPattern: RegExp | undefined;
const isId = (text: string): boolean => (idPattern ??= /^[0-9a-f]{32}$/).test(text);

function parseChannels(text: string): PresenceSnapshot['channels'] | undefined {
  if (text === '-') return [];
  const out: [string, boolean][] = [];
  for (const part of text.split(',')) {
    const [id = '', flag] = part.split('=');
    if (!isId(id) || (flag !== '0' && flag !== '1')) return undefined;
    out.push([id, flag === '1']);
  }
  return out;
}

/**
 * Reads a records file's text, whatever k6's log format wrapped each line in (`time=… msg="…"`, JSON or raw):
 * the record is the text from RECORD_FORMAT to the next quote or the end of the line. Duplicates are dropped.
 */
export function readRecordLog(text: string): RecordLog {
  const interactions = new Set<string>();
  const workItems = new Set<string>();
  const presence = new Map<string, PresenceSnapshot>();
  let malformed = 0;
  for (const line of text.split('\n')) {
    const at = line.indexOf(RECORD_FORMAT);
    if (at < 0) continue;
    const quote = line.indexOf('"', at);
    const words = line
      .slice(at, quote < 0 ? undefined : quote)
      .trim()
      .split(' ');
    const [, kind, id = '', state = '', channels = ''] = words;
    if (!isId(id)) {
      malformed++;
      continue;
    }
    if (kind === 'interaction' && words.length === 3) interactions.add(id);
    else if (kind === 'work_item' && words.length === 3) workItems.add(id);
    else if (kind === 'presence' && words.length === 5 && isId(state) && parseChannels(channels)) {
      if (!presence.has(id)) presence.set(id, { state, channels: parseChannels(channels)! });
    } else malformed++;
  }
  return { interactions: [...interactions], workItems: [...workItems], presence, malformed };
}

/** The file name of a run's records, in its results folder. */
export const RECORDS_FILE = 'records.log';

/** The offer's external_segment_id: the CCaaS segment id behind the run's testid, so the run's work items can be queried. */
export function runSegment(testid: string, segment: string): string {
  return `${testid}:${segment}`;
}

/** The Table API encoded query for the work items a run's offers and transfers created. */
export function runSegmentQuery(testid: string): string {
  return `external_segment_idSTARTSWITH${testid}:`;
}

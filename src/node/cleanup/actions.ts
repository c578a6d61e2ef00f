/**
 * What cleanup does about each thing a run left, as a table of action kinds: how each is worded (for
 * --dry-run and the report) and how it is carried out through the documented APIs. Work is planned from what
 * the target says now, so a second cleanup finds nothing to do.
 */
import type { PresenceSnapshot } from '../../shared/run-records.js';
import type { TargetClient } from './client.js';
import type { Leftovers } from './find.js';

export type Action =
  | { readonly kind: 'close_interaction'; readonly sys_id: string }
  | { readonly kind: 'reject_work_item'; readonly sys_id: string; readonly agent: string }
  | { readonly kind: 'restore_presence'; readonly agent: string; readonly to: PresenceSnapshot }
  | { readonly kind: 'leave_work_item'; readonly sys_id: string; readonly why: string };

type Kind = Action['kind'];
type ActionOf<K extends Kind> = Extract<Action, { kind: K }>;

interface ActionSpec<K extends Kind> {
  readonly describe: (a: ActionOf<K>) => string;
  /** carries it out; returns undefined when done, else what went wrong */
  readonly perform: (a: ActionOf<K>, client: TargetClient, reasons: RejectReasons) => Promise<string | undefined>;
}

/** A reject reason per agent (the first of its first channel's), read once each (GET reject_reasons/{channel}). */
export class RejectReasons {
  private readonly byChannel = new Map<string, string | undefined>();
  async forAgent(client: TargetClient, agent: string): Promise<string | undefined> {
    const a = await client.request('GET', `/api/now/awa/agents/${agent}`);
    const channels: any[] =
      a.status === 200 && Array.isArray(a.json?.result?.presence?.channels) ? a.json.result.presence.channels : [];
    for (const c of channels) {
      const channel = String(c.sys_id);
      if (!this.byChannel.has(channel)) {
        const r = await client.request('GET', `/api/now/awa/inbox/actions/reject_reasons/${channel}`);
        this.byChannel.set(
          channel,
          r.status === 200 && Array.isArray(r.json?.result) && r.json.result[0]?.sys_id
            ? String(r.json.result[0].sys_id)
            : undefined,
        );
      }
      const reason = this.byChannel.get(channel);
      if (reason) return reason;
    }
    return undefined;
  }
}

const failed = (what: string, a: { status: number; json: any }): string =>
  `${what}: ${a.status} ${a.json?.error?.detail ?? a.json?.error?.message ?? ''}`.trim();

/** The Agent API's documented PUT body: the state and, when the snapshot has them, each channel's availability. */
export function presenceBody(to: PresenceSnapshot): {
  presence: { sys_id: string; channels?: { sys_id: string; available: boolean }[] };
} {
  const body: { presence: { sys_id: string; channels?: { sys_id: string; available: boolean }[] } } = {
    presence: { sys_id: to.state },
  };
  if (to.channels.length > 0)
    body.presence.channels = to.channels.map(([sys_id, available]) => ({ sys_id, available }));
  return body;
}

const SPECS: { readonly [K in Kind]: ActionSpec<K> } = {
  close_interaction: {
    describe: (a) => `close interaction ${a.sys_id} (Interaction API close; its work items end with it)`,
    perform: async (a, client) => {
      const r = await client.request('POST', `/api/now/interaction/${a.sys_id}/close`);
      return r.status === 200 ? undefined : failed(`interaction ${a.sys_id}`, r);
    },
  },
  reject_work_item: {
    describe: (a) =>
      `reject work item ${a.sys_id} pending accept by ${a.agent} (Inbox Actions reject: back to its queue)`,
    perform: async (a, client, reasons) => {
      const reason = await reasons.forAgent(client, a.agent);
      if (!reason) return `work item ${a.sys_id}: no reject reason found for the channels of agent ${a.agent}`;
      const r = await client.request('POST', '/api/now/awa/inbox/actions/reject', {
        agent_id: a.agent,
        work_item_id: a.sys_id,
        reject_reason_id: reason,
      });
      // taken or expired meanwhile: nothing left to reject
      if (r.status === 400 && /not in pending accept/.test(String(r.json?.error?.detail ?? ''))) return undefined;
      return r.status === 200 ? undefined : failed(`work item ${a.sys_id}`, r);
    },
  },
  restore_presence: {
    describe: (a) =>
      `restore agent ${a.agent} to presence ${a.to.state}${a.to.channels.length ? ` with ${a.to.channels.length} channel(s) as they were` : ''} (Agent API PUT)`,
    perform: async (a, client) => {
      const r = await client.request('PUT', `/api/now/awa/agents/${a.agent}`, presenceBody(a.to));
      return r.status === 200 ? undefined : failed(`agent ${a.agent}`, r);
    },
  },
  leave_work_item: {
    describe: (a) => `leave work item ${a.sys_id}: ${a.why}`,
    perform: async () => undefined,
  },
};

export const describeAction = (a: Action): string => (SPECS[a.kind] as ActionSpec<Kind>).describe(a);
export const performAction = (a: Action, client: TargetClient, reasons: RejectReasons): Promise<string | undefined> =>
  (SPECS[a.kind] as ActionSpec<Kind>).perform(a, client, reasons);

const samePresence = (a: PresenceSnapshot, b: PresenceSnapshot): boolean => {
  if (a.state !== b.state) return false;
  const now = new Map(b.channels);
  return a.channels.every(([id, available]) => now.get(id) === available);
};

/** Why a work item on a document the run did not create is left, by its state. */
const LEAVE_REASON: Readonly<Record<string, string>> = {
  queued: 'queued on a document the run did not create: it waits in its queue as routing left it',
  accepted: 'accepted by an agent on a document the run did not create: the agent closes it',
};

/**
 * The actions for what a run left, in the order they must run: the run's interactions closed first (which
 * ends their work items), then work items still pending on other documents rejected, then presence put back.
 */
export function planActions(left: Leftovers): Action[] {
  const closing = new Set(left.interactions);
  const actions: Action[] = left.interactions.map((sys_id) => ({ kind: 'close_interaction', sys_id }));
  for (const w of left.workItems) {
    if (w.document_table === 'interaction' && closing.has(w.document_id)) continue;
    if (w.state === 'pending_accept' && w.assigned_to)
      actions.push({ kind: 'reject_work_item', sys_id: w.sys_id, agent: w.assigned_to });
    else
      actions.push({ kind: 'leave_work_item', sys_id: w.sys_id, why: LEAVE_REASON[w.state] ?? `in state ${w.state}` });
  }
  for (const a of left.agents) {
    if (a.current && samePresence(a.previous, a.current)) continue;
    actions.push({ kind: 'restore_presence', agent: a.agent, to: a.previous });
  }
  return actions;
}

/**
 * A contact's life, replayed: the steps the Node side planned for it (src/shared/contact-plan.ts), each sent at
 * its time from the contact's arrival. Requests about the contact's own records need its interaction (a contact
 * whose interaction could not be created sends none of them); presence steps are always sent, so an agent the plan
 * made busy is always made Available again.
 */
import { sleep } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter, Trend } from 'k6/metrics';
import { offerPath } from '../shared/api.js';
import {
  CONTACT_FATES,
  CONTACT_PLAN_FORMAT,
  type ContactFate,
  type ContactPlanFile,
  contactFateSubmetric,
  decodeSteps,
} from '../shared/contact-plan.js';
import { MEASUREMENTS } from '../shared/measurements.js';
import type { PoolEntry } from '../shared/pool.js';
import { runSegment } from '../shared/run-records.js';
import { TRANSFER_KINDS } from '../shared/scenarios.js';
import { formatOfferedOn } from '../shared/time.js';
import { arrivalTime } from './arrivals.js';
import { GENERATOR_TAG, type RunConfig } from './config.js';
import { iterationIndex } from './data.js';
import { closeInteraction, createInteraction, inboxAccept } from './interaction.js';
import { sendOffer } from './offer.js';
import { noteCreated } from './records.js';
import { send } from './request.js';
import { endConsult } from './transfer.js';

/** Contacts by fate at their end: served, abandoned (hung up in the connector's queue), failed (a request did). */
export const contacts = new Counter(MEASUREMENTS.contacts);
const queueWait = new Trend(MEASUREMENTS.queueWait, true);
const offerToAccept = new Trend(MEASUREMENTS.offerToAccept, true);
const offersPerContact = new Trend(MEASUREMENTS.contactOffers);
const cardAccept = new Trend(MEASUREMENTS.cardAccept, true);

type Header = Omit<ContactPlanFile, 'contacts'>;

export interface ContactPlan {
  readonly header: Header;
  /** contact k's encoded steps */
  at(k: number): string | undefined;
}

/** Loads the contact plan into shared memory (init context): the timelines, and the header once. */
export function loadContacts(path: string): ContactPlan {
  const parsed = (): ContactPlanFile => {
    const file = JSON.parse(open(path)) as ContactPlanFile;
    if (file.format !== CONTACT_PLAN_FORMAT)
      throw new Error(`invalid contact plan ${path}: expected format ${CONTACT_PLAN_FORMAT}`);
    return file;
  };
  const timelines = new SharedArray('offerload-contacts', () => parsed().contacts as string[]) as unknown as string[];
  const header = new SharedArray('offerload-contact-header', () => {
    const { contacts: _, ...rest } = parsed();
    return [JSON.stringify(rest)];
  }) as unknown as string[];
  return { header: JSON.parse(header[0]!) as Header, at: (k) => timelines[k] };
}

const agentPath = (agent: string): string => `/api/now/awa/agents/${agent}`;

/** This VU's reject reason, read once from the service channel's list; a failed read is tried again next time. */
let rejectReason: string | undefined;
function rejectReasonId(cfg: RunConfig, headers: Record<string, string>, channel: string): string | undefined {
  if (rejectReason === undefined && channel !== '') {
    const a = send(cfg, headers, 'reject_reasons', 'GET', `/api/now/awa/inbox/actions/reject_reasons/${channel}`);
    const first = a.outcome === 'success' ? a.json?.result?.[0]?.sys_id : undefined;
    if (typeof first === 'string') rejectReason = first;
  }
  return rejectReason;
}

/** Replays this iteration's contact; returns its fate. */
export function contactIteration(
  cfg: RunConfig,
  headers: Record<string, string>,
  e: PoolEntry,
  plan: ContactPlan,
): ContactFate | undefined {
  const text = plan.at(iterationIndex());
  if (text === undefined) return undefined;
  const h = plan.header;
  const arrived = arrivalTime() || Date.now();
  let doc: string | undefined;
  let item: string | undefined;
  let ok = true;
  let abandoned = false;
  let offers = 0;
  let firstOffer: number | undefined;
  let answered = false;
  /** when the card now in front of an agent was offered (undefined after a transfer: its card has no timeout) */
  let cardAt: number | undefined;
  const answer = (): void => {
    if (!answered && firstOffer !== undefined) offerToAccept.add(Date.now() - firstOffer, GENERATOR_TAG);
    answered = true;
  };
  const check = (success: boolean): void => {
    if (!success) ok = false;
  };
  for (const s of decodeSteps(text)) {
    const wait = arrived + s.atMs - Date.now();
    if (wait > 0) sleep(wait / 1000);
    const agent = s.agent >= 0 ? h.agents[s.agent]! : '';
    if (s.code === 'B' || s.code === 'V') {
      const state = s.code === 'B' ? h.presence.busy : h.presence.available;
      const op = s.code === 'B' ? 'presence_busy' : 'presence_available';
      check(send(cfg, headers, op, 'PUT', agentPath(agent), { presence: { sys_id: state } }).outcome === 'success');
      continue;
    }
    if (s.code === 'C') {
      doc = createInteraction(cfg, headers, e);
      check(doc !== undefined);
      continue;
    }
    // the rest are about the contact's own records
    if (doc === undefined) continue;
    switch (s.code) {
      case 'F': {
        const query = `document_id=${doc}^state=queued`;
        const path = `/api/now/table/awa_work_item?sysparm_query=${encodeURIComponent(query)}&sysparm_fields=sys_id,state&sysparm_limit=1`;
        check(send(cfg, headers, 'find_queued', 'GET', path).outcome === 'success');
        break;
      }
      case 'O': {
        if (firstOffer === undefined) {
          firstOffer = Date.now();
          queueWait.add(firstOffer - arrived, GENERATOR_TAG);
        }
        offers++;
        cardAt = s.arg === 1 ? undefined : Date.now();
        const a = sendOffer(cfg, headers, e, {
          documentId: doc,
          table: 'interaction',
          agent,
          assignment: {
            enable_auto_assign: s.arg === 1,
            allowed_to_decline: true,
            timeout: h.offerTimeoutSec,
            // the connector's routing time, as planned: a request sent late does not move the card's expiry
            offered_on: formatOfferedOn(Math.min(Date.now(), arrived + s.atMs)),
            after_timeout_presence: h.presence.afterTimeout,
          },
        });
        item = a.workItem;
        check(a.outcome === 'success');
        if (s.arg === 1 && a.outcome === 'success') answer();
        break;
      }
      case 'A': {
        const a = item === undefined ? undefined : inboxAccept(cfg, headers, agent, item);
        check(a?.outcome === 'success');
        if (a?.outcome === 'success') {
          answer();
          if (cardAt !== undefined) cardAccept.add(Date.now() - cardAt, GENERATOR_TAG);
        }
        break;
      }
      case 'R': {
        const reason = rejectReasonId(cfg, headers, h.serviceChannel);
        const a = send(cfg, headers, 'reject', 'POST', '/api/now/awa/inbox/actions/reject', {
          agent_id: agent,
          work_item_id: item ?? '',
          reject_reason_id: reason ?? '',
        });
        check(a.outcome === 'success');
        break;
      }
      case 'T': {
        const kind = TRANSFER_KINDS[s.arg]!;
        const [transferType, targetType] = kind.split('_') as ['blind' | 'consult', 'agent' | 'queue'];
        const a = send(cfg, headers, `transfer_${kind}`, 'POST', offerPath('interaction', doc, cfg.apiVersion), {
          external_segment_id: runSegment(cfg.testid, e.segment),
          transfer: {
            source_queue_id: e.queue,
            target_id: targetType === 'agent' ? agent : e.peerQueue,
            target_type: targetType,
            transfer_type: transferType,
          },
        });
        noteCreated(cfg, 'work_item', a.workItem);
        item = a.workItem;
        cardAt = undefined;
        check(a.outcome === 'success');
        break;
      }
      case 'E':
        check(endConsult(cfg, headers, doc, s.arg === 1));
        break;
      case 'K':
      case 'Q':
        abandoned = s.code === 'Q';
        check(closeInteraction(cfg, headers, doc).outcome === 'success');
        break;
    }
  }
  const fate: ContactFate = !ok ? 'failed' : abandoned ? 'abandoned' : 'served';
  if (offers > 0) offersPerContact.add(offers, GENERATOR_TAG);
  contacts.add(1, { fate, ...GENERATOR_TAG });
  return fate;
}

/** Per-fate contact counts and the contact trends in the end-of-test data, for summary.json. */
export const contactThresholds = (): Record<string, string[]> => ({
  ...Object.fromEntries(CONTACT_FATES.map((f) => [contactFateSubmetric(f), ['count>=0']])),
  [MEASUREMENTS.queueWait]: ['max>=0'],
  [MEASUREMENTS.offerToAccept]: ['max>=0'],
  [MEASUREMENTS.contactOffers]: ['max>=0'],
  [MEASUREMENTS.cardAccept]: ['max>=0'],
});

/**
 * Messages of the neighbouring APIs a CCaaS integration calls around an offer (neighbour-apis.md): the
 * Agent, Inbox Actions, Agent Consult and Interaction APIs. Part of the one catalogue (messages.ts) that the
 * simulator answers from and the classifier reads back. Where the reference quotes a text exactly in
 * `error.detail` (Inbox Actions), the template is that detail; the classifier matches message, then detail.
 */
import { entry, type MessageEntry } from './message-entry.js';

export const NEIGHBOUR_MESSAGES = {
  // §1 Agent API: documented as error.message for a bad id; its status (404) is unconfirmed
  agent_record_not_found: entry(
    'agent_record_not_found',
    'not_found',
    404,
    'Record Not Found',
    'the Agent API names a user or service channel that does not exist',
  ),

  // §2 Inbox Actions API: the exact error.detail texts (error.message is unconfirmed)
  inbox_missing_agent_id: entry(
    'inbox_missing_agent_id',
    'bad_request',
    400,
    'Missing agent ID',
    'accept or reject without agent_id',
  ),
  inbox_missing_work_item_id: entry(
    'inbox_missing_work_item_id',
    'bad_request',
    400,
    'Missing work item ID',
    'accept or reject without work_item_id',
  ),
  inbox_missing_reject_reason_id: entry(
    'inbox_missing_reject_reason_id',
    'bad_request',
    400,
    'Missing reject reason item ID',
    'reject without reject_reason_id',
  ),
  // documented for accept; the reference names it a reject cause too without its text, so reject uses the same
  inbox_other_agent: entry(
    'inbox_other_agent',
    'conflict',
    400,
    'Work item is assigned to a different agent',
    'the work item is offered to another agent than agent_id',
  ),
  inbox_not_pending_accept: entry(
    'inbox_not_pending_accept',
    'conflict',
    400,
    'Work item is not in pending accept state',
    'the work item was already answered, expired, canceled or never offered',
  ),
  // accept documents no 404, so an unknown work item there is a 400 (status unconfirmed)
  inbox_wrong_work_item_id: entry(
    'inbox_wrong_work_item_id',
    'not_found',
    400,
    'Wrong work item ID',
    'accept names a work item that does not exist',
  ),
  inbox_no_work_item: entry(
    'inbox_no_work_item',
    'not_found',
    404,
    'There is no record for awa_work_item : {work_item}',
    'reject names a work item that does not exist',
  ),
  inbox_no_agent: entry(
    'inbox_no_agent',
    'not_found',
    404,
    'There is no record for sys_user : {agent}',
    'reject names a user that does not exist',
  ),
  inbox_no_reject_reason: entry(
    'inbox_no_reject_reason',
    'not_found',
    404,
    'There is no record for awa_reject_reason : {reason}',
    'reject names a reject reason that does not exist',
  ),

  // §3 Agent Consult API: result.message; the not-found status (404, or 200 with success false) is unconfirmed
  consult_ended: entry(
    'consult_ended',
    'success',
    200,
    'Consult is successfully ended.',
    'the consult ended, handed over or back to the original agent',
  ),
  consult_not_found: entry(
    'consult_not_found',
    'not_found',
    404,
    'Cannot find the work item for document ID: {document}',
    'the document has no consult in progress',
  ),
} as const satisfies Record<string, MessageEntry>;

/**
 * The error.message the simulator sends with an Inbox Actions detail, by status. The reference quotes only
 * the details; these short generic messages are unconfirmed and chosen to match no catalogue template, so the
 * detail decides the outcome.
 */
export const GENERIC_ERROR_MESSAGES: Readonly<Record<number, string>> = { 400: 'Bad Request', 404: 'Not Found' };

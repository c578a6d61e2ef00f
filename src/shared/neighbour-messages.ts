/**
 * Messages of the neighbouring APIs a CCaaS integration calls around an offer (neighbour-apis.md): the
 * Agent, Inbox Actions, Agent Consult and Interaction APIs. Part of the one catalogue (messages.ts) that the
 * simulator answers from and the classifier reads back. Where the reference quotes a text exactly in
 * `error.detail` (Inbox Actions), the template is that detail; the classifier matches message, then detail.
 */
import { entry, type MessageEntry } from './message-entry.js';

export const NEIGHBOUR_MESSAGES = {} as const satisfies Record<string, MessageEntry>;

/**
 * The platform routes: Offer Work (both URL forms, assignments and transfers) here, and the neighbouring APIs a
 * CCaaS integration uses, one file each: interactions, agents' presence, inbox accept/reject, consult end, Table API.
 */
import type { SimConfig } from '../config.js';
import type { Engine } from '../platform/engine.js';
import { decideAssignment, SUCCESS_MESSAGE, type Decision } from '../platform/offer.js';
import { refusalReply, type Reply } from '../respond.js';
import { decideTransfer } from '../platform/transfer.js';
import { agentRoutes } from './agents.js';
import { consultRoutes } from './consult.js';
import { inboxRoutes } from './inbox.js';
import { interactionRoutes } from './interaction.js';
import { tableRoutes } from './table.js';
import { ok, type Route } from './types.js';

const OFFER = /^\/api\/now(?:\/(v\d+))?\/awa\/documents\/([^/]+)\/([^/]+)\/offer\/?$/;

function decisionReply(config: SimConfig, d: Decision): Reply {
  if (d.kind !== 'placed') return refusalReply(config, d);
  const i = d.item;
  return ok({
    result: {
      work_item: {
        display_name: d.display,
        sys_id: i.sys_id,
        document_id: i.document_id,
        document_table: i.document_table,
        queue: i.queue,
      },
      success: true,
      message: SUCCESS_MESSAGE,
    },
  });
}

export function apiRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    {
      name: 'offer',
      pattern: OFFER,
      method: 'POST',
      handle: (req) => {
        const [, table = '', documentId = ''] = req.params;
        const decide = req.body.transfer !== undefined ? decideTransfer : decideAssignment;
        return decisionReply(config, decide(engine, table, documentId, req.body));
      },
      hooks: {
        // which generator offered which document: runs split across generators must never collide on one
        arrived: (h) => {
          if (h.generator) h.stats.noteDocument(h.testid, h.generator, `${h.params[1]}:${h.params[2]}`);
        },
        // an offer that sets an after-timeout presence changes its agent's presence if it expires: the run's change,
        // as the agent stood before it (what cleanup restores)
        deciding: (h) => {
          const a = h.body?.assignment as { agent_sys_id?: unknown; after_timeout_presence?: unknown } | undefined;
          if (typeof a?.agent_sys_id === 'string' && a.after_timeout_presence)
            h.footprints.notePresence(h.testid, a.agent_sys_id, engine.world.agents.get(a.agent_sys_id)?.presence);
        },
      },
    },
    ...inboxRoutes(engine),
    ...consultRoutes(engine),
    ...agentRoutes(engine),
    ...interactionRoutes(engine),
    ...tableRoutes(engine),
  ];
}

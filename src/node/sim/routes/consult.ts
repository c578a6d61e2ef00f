/** AWA Agent Consult API: ending a consult. */
import { formatMessage } from '../../../shared/messages.js';
import type { SimConfig } from '../config.js';
import type { Engine } from '../engine.js';
import { documentKey } from '../fixtures.js';
import { findQueue, isRefusal, str } from '../offer.js';
import { failure, platformReply, refusalReply, type Reply } from '../respond.js';
import { endConsult } from '../transfer.js';
import { ok, type Route, type SimRequest } from './types.js';

export function consultRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    {
      name: 'consult',
      pattern: /^\/api\/now\/awa\/consult\/end\/?$/,
      method: 'PUT',
      handle: (req) => {
        const r = endConsult(engine, req.body);
        if (isRefusal(r)) return refusalReply(config, r);
        return ok({ result: { success: true, hand_over: r.handOver, work_item: r.item.sys_id, assigned_to: r.item.assigned_to } });
      },
    },
  ];
}

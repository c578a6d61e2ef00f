/** Interaction Management API: create and close interactions. */
import { formatMessage } from '../../../shared/messages.js';
import type { SimConfig } from '../config.js';
import type { Engine } from '../engine.js';
import { documentKey } from '../fixtures.js';
import { findQueue, isRefusal, str } from '../offer.js';
import { failure, platformReply, refusalReply, type Reply } from '../respond.js';
import { endConsult } from '../transfer.js';
import { ok, type Route, type SimRequest } from './types.js';

export function interactionRoutes(engine: Engine): Route[] {
  const config = engine.config;
  return [
    {
      name: 'interaction',
      pattern: /^\/api\/now\/interaction\/?$/,
      method: 'POST',
      handle: (req) => {
        const queueRef = str(req.body.queue);
        const queue = queueRef === undefined ? undefined : findQueue(engine, queueRef, 'queue');
        if (queue && isRefusal(queue)) return refusalReply(config, queue);
        const sys_id = [...Array(4)].map(() => Math.floor(engine.random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
        const number = engine.nextInteractionNumber();
        engine.world.documents.set(documentKey('interaction', sys_id), { sys_id, table: 'interaction', number, active: true });
        if (queue) engine.items.create('interaction', sys_id, queue.sys_id);
        return ok(
          { result: { sys_id, number, state: queue ? 'queued' : 'new', active: 'true', channel: str(req.body.channel) ?? '', short_description: str(req.body.short_description) ?? '', queue: queue?.sys_id ?? '' } },
          201,
        );
      },
    },
    {
      name: 'interaction',
      pattern: /^\/api\/now\/interaction\/([0-9a-f]{32})\/close\/?$/,
      method: 'POST',
      handle: (req) => {
        const key = documentKey('interaction', req.params[0]!);
        const doc = engine.world.documents.get(key);
        if (!doc) return platformReply(config, 'not_found');
        engine.closeDocument('interaction', doc.sys_id);
        return ok({ result: { sys_id: doc.sys_id, number: doc.number, state: 'closed_complete', active: 'false' } });
      },
    },
  ];
}

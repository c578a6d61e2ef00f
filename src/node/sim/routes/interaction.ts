/**
 * Interaction Management API (neighbour-apis.md §4): create and close interactions. A created interaction is a
 * document of the world, so offers can target it; it keeps the fields its answers show.
 */
import { CATALOGUE } from '../../../shared/messages.js';
import { callerSysId } from '../auth.js';
import type { Engine } from '../platform/engine.js';
import { documentKey, type DocumentRecord, type InteractionFields } from '../platform/fixtures.js';
import { findQueue, isRefusal, str, type Obj } from '../platform/offer.js';
import { plainError, platformReply, type Reply } from '../respond.js';
import { sysId } from '../platform/random.js';
import { ok, type Route, type SimRequest } from './types.js';

const INTERACTION = '^/api/now(?:/v\\d+)?/interaction';

/**
 * A referenced record: `<prefix>_table` + `<prefix>_id` when the body names both, else a new record of the
 * default table (which an inline `<prefix>` object would fill; the simulator keeps only its id).
 */
function reference(
  engine: Engine,
  body: Obj,
  prefix: 'context' | 'channel_metadata',
  defaultTable: string,
): InteractionFields['context'] {
  const table = str(body[`${prefix}_table`]);
  const id = str(body[`${prefix}_id`]);
  return table && id ? { table, document: id } : { table: defaultTable, document: sysId(engine.random) };
}

/** The answer of create and close: every documented field, "" when empty. */
function interactionResult(doc: DocumentRecord): Obj {
  const f = doc.interaction;
  return {
    sys_id: doc.sys_id,
    number: doc.number,
    state: doc.active ? (f?.state ?? 'new') : 'closed_complete',
    channel: f?.channel ?? '',
    queue: f?.queue ?? '',
    context: { present: f !== undefined },
    contextDocument: f?.context.document ?? '',
    contextTable: f?.context.table ?? '',
    // documented by name only; answered like context (unconfirmed)
    channel_metadata: { present: f !== undefined },
    channelMetadataDocument: f?.channelMetadata.document ?? '',
    channelMetadataTable: f?.channelMetadata.table ?? '',
    assigned_to: f?.assigned_to ?? '',
    opened_for: f?.opened_for ?? '',
    closed_by: f?.closed_by ?? '',
  };
}

function create(engine: Engine, req: SimRequest): Reply {
  const body = req.body;
  const channel = str(body.channel);
  // 400 "mandatory parameter missing" is documented; its exact text is not
  if (!channel)
    return plainError(
      400,
      'bad_request',
      'Mandatory parameter missing: channel',
      'channel (the sys_id of the interaction connector) is required',
    );
  const queueRef = str(body.queue);
  const queue = queueRef === undefined ? undefined : findQueue(engine, queueRef, 'queue');
  // the API documents no 404; an unknown queue answering the platform's 404 is unconfirmed
  if (queue && isRefusal(queue))
    return plainError(404, 'not_found', CATALOGUE.not_found.template, `queue ${queueRef} does not exist`);
  const sys_id = sysId(engine.random);
  const interaction: InteractionFields = {
    state: queue ? 'queued' : 'new',
    // any non-empty channel is taken: whether the platform checks it names a connector is unconfirmed
    channel,
    queue: queue?.sys_id ?? '',
    // opened_by is the caller and short_description is set through the Table API: neither comes from the body
    opened_by: req.user ? callerSysId(req.user) : '',
    opened_for: '',
    assigned_to: '',
    closed_by: '',
    context: reference(engine, body, 'context', 'interaction_json_blob'),
    channelMetadata: reference(engine, body, 'channel_metadata', 'live_group_profile'),
  };
  const doc: DocumentRecord = {
    sys_id,
    table: 'interaction',
    number: engine.nextInteractionNumber(),
    active: true,
    interaction,
  };
  engine.world.documents.set(documentKey('interaction', sys_id), doc);
  // a queued interaction waits in its queue as a work item, as routing would create it
  if (queue) engine.items.create('interaction', sys_id, queue.sys_id);
  return ok({ result: interactionResult(doc) }, 201);
}

function close(engine: Engine, req: SimRequest): Reply {
  const key = documentKey('interaction', req.params[0]!);
  const doc = engine.world.documents.get(key);
  // unknown id: unconfirmed, answered with the platform's 404
  if (!doc) return platformReply(engine.config, 'not_found');
  const held = engine.items.active(key);
  // the caller's sys_user
  const closedBy = req.user ? callerSysId(req.user) : '';
  if (doc.interaction) {
    // the agent who accepted the work is the one it was assigned to
    if (held?.state === 'accepted' && held.assigned_to) doc.interaction.assigned_to = held.assigned_to;
    doc.interaction.closed_by = closedBy;
  }
  engine.closeDocument('interaction', doc.sys_id);
  // a seeded interaction keeps no fields: its answer still names who closed it
  return ok({ result: { ...interactionResult(doc), closed_by: closedBy } });
}

export function interactionRoutes(engine: Engine): Route[] {
  return [
    {
      name: 'interaction',
      pattern: new RegExp(`${INTERACTION}/?$`),
      method: 'POST',
      handle: (req) => create(engine, req),
      // the interactions a run created (what cleanup closes)
      hooks: {
        decided: (h, reply) => {
          if (reply.status === 201)
            h.footprints.noteInteraction(
              h.testid,
              String((reply.body.result as { sys_id?: unknown } | undefined)?.sys_id),
            );
        },
      },
    },
    {
      name: 'interaction',
      pattern: new RegExp(`${INTERACTION}/([0-9a-f]{32})/close/?$`),
      method: 'POST',
      handle: (req) => close(engine, req),
    },
  ];
}

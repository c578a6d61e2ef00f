/** AWA Agent Consult API (neighbour-apis.md §3): ending a consult, answered as `result: {success, message}`. */
import { CATALOGUE, formatMessage } from '../../../shared/messages.js';
import { GENERIC_ERROR_MESSAGES } from '../../../shared/neighbour-messages.js';
import type { Engine } from '../platform/engine.js';
import { plainError, type Reply } from '../respond.js';
import { endConsult } from '../platform/transfer.js';
import { ok, type Route } from './types.js';

/**
 * No consult for the document. The reference prints the message but not its status: 200 with success false is
 * as likely as 404, so the status is a setting (platform.consultNotFoundStatus, default 404).
 */
function noConsult(documentId: string, status: number): Reply {
  return {
    status,
    body: { result: { success: false, message: formatMessage('consult_not_found', { document: documentId }) } },
    outcome: 'consult_not_found',
  };
}

export function consultRoutes(engine: Engine): Route[] {
  return [
    {
      name: 'consult',
      pattern: /^\/api\/now(?:\/v\d+)?\/awa\/consult\/end\/?$/,
      method: 'PUT',
      handle: (req) => {
        const r = endConsult(engine, req.body);
        if (r.kind === 'bad_request') return plainError(400, 'bad_request', GENERIC_ERROR_MESSAGES[400]!, r.detail);
        if (r.kind === 'no_consult') return noConsult(r.documentId, engine.config.platform.consultNotFoundStatus);
        // counted as the classifier reads it: a documented success message is a success
        return ok({ result: { success: true, message: CATALOGUE.consult_ended.template } });
      },
    },
  ];
}

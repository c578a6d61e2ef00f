/** Request bodies: read up to the size limit, then parsed as JSON or XML into an object, or the reply that refuses them. */
import type { IncomingMessage } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { simError } from './errors.js';
import type { Reply } from '../respond.js';

export type RawBody = Buffer | 'too_large';

const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/** The media type of a Content-Type header, lower case, without parameters; JSON when there is none. */
function mediaType(contentType: string | undefined): string {
  // what load tests send, exactly: no split, trim or copy per request
  if (contentType === undefined || contentType === 'application/json') return 'application/json';
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON or XML request body into an object, or the reply that refuses it. */
export function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> | Reply {
  if (body.length === 0) return {};
  const type = mediaType(contentType);
  const text = body.toString('utf8');
  try {
    if (type === 'application/json') {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('the body must be a JSON object');
      return value as Record<string, unknown>;
    }
    if (type === 'application/xml' || type === 'text/xml') {
      const doc = xmlParser.parse(text, true) as Record<string, unknown>;
      const roots = Object.entries(doc).filter(([k]) => k !== '?xml');
      if (roots.length !== 1) throw new Error('the body must have one root element');
      const root = roots[0]![1];
      if (root === '') return {};
      if (typeof root !== 'object' || root === null || Array.isArray(root))
        throw new Error('the root element must hold fields');
      return root as Record<string, unknown>;
    }
  } catch (e) {
    return simError('unreadable_body', `${type}: ${(e as Error).message.split('\n')[0]}`);
  }
  return simError(
    'unsupported_media_type',
    `Content-Type ${type} is not supported; use application/json or application/xml`,
  );
}

/**
 * Reads a request's body and calls `done` once with it ('too_large' past `limit` bytes), or `failed` once if
 * the request errs first. Callbacks, not a promise: most answers are ready in the same tick.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (raw: RawBody) => void,
  failed: (e: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    // one chunk is the body as it is: no copy
    done(size > limit ? 'too_large' : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  });
  req.on('error', (e: Error) => {
    if (settled) return;
    settled = true;
    failed(e);
  });
}

/**
 * Reads the message out of a response body in any of the envelopes the platform uses:
 * the error envelope `{"error":{"message","detail"},"status":"failure"}`, the `result` object
 * `{"result":{"success","message"}}`, and their XML forms (`<response><error><message>` / `<response><result>`).
 */

export interface ParsedEnvelope {
  readonly message?: string;
  /** error.detail: some neighbouring APIs document their exact text there, not in message */
  readonly detail?: string;
  readonly success?: boolean;
  /** the parsed JSON body (undefined for XML or a body that is not JSON), so callers never parse twice */
  readonly document?: any;
}

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return XML_ENTITIES[ref] ?? whole;
  });
}

function fromXml(body: string): ParsedEnvelope {
  const message = /<message>([\s\S]*?)<\/message>/.exec(body)?.[1];
  const detail = /<detail>([\s\S]*?)<\/detail>/.exec(body)?.[1];
  const success = /<success>([\s\S]*?)<\/success>/.exec(body)?.[1];
  return {
    message: message === undefined ? undefined : decodeXmlText(message),
    detail: detail === undefined ? undefined : decodeXmlText(detail),
    success: success === undefined ? undefined : success.trim() === 'true',
  };
}

interface JsonEnvelope {
  error?: { message?: unknown; detail?: unknown };
  result?: { message?: unknown; success?: unknown };
}

function fromJson(body: string): ParsedEnvelope {
  let parsed: JsonEnvelope;
  try {
    parsed = JSON.parse(body) as JsonEnvelope;
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object') return { document: parsed };
  const message = parsed.error?.message ?? parsed.result?.message;
  const success = parsed.result?.success;
  const detail = parsed.error?.detail;
  return {
    message: typeof message === 'string' ? message : undefined,
    detail: typeof detail === 'string' ? detail : undefined,
    success: typeof success === 'boolean' ? success : success === 'true' ? true : undefined,
    document: parsed,
  };
}

/** The first character that is not white space, without copying the body (it runs once per response in k6). */
function firstVisible(body: string): string {
  for (let i = 0; i < body.length; i++) if (body[i]! > ' ') return body[i]!;
  return '';
}

/** The message and success flag of a body; JSON or XML chosen by content type, then by the first character. */
export function extractMessage(body: string, contentType: string): ParsedEnvelope {
  const looksXml = contentType.toLowerCase().includes('xml') || firstVisible(body) === '<';
  return looksXml ? fromXml(body) : fromJson(body);
}

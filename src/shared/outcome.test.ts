import { describe, expect, it } from 'vitest';
import { CATALOGUE, formatMessage, OFFER_MESSAGES, type MessageCode } from './messages.js';
import { classify, matchMessage, outcomeClass, OUTCOMES, templateParts } from './outcome.js';
import { SCENARIOS } from './scenarios.js';
import { OPERATIONS, shapeOf, SUCCESS_SHAPES } from './success-shapes.js';

// Realistic substitutions for every placeholder the catalogue uses.
const VALUES: Record<string, string> = {
  caller: '6816f79cc0a8016401c5a33be04be441',
  agent: '0d584509c323120095ccd02422d3ae5b',
  presence: 'b3e0c1f2a4d5e6f7a8b9c0d1e2f3a4b5',
  offered_on: '2024-04-03T23:09:31.000',
  display_option: 'card_and_popup',
  value: 'maybe',
  work_item: '46d44a5dc0a8010e0000000000000001',
  reason: '46d44a5dc0a8010e0000000000000002',
  document: '46d44a5dc0a8010e0000000000000003',
};

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

const ENVELOPES: Record<string, (message: string) => { body: string; contentType: string }> = {
  'JSON error envelope': (m) => ({
    body: JSON.stringify({ error: { message: m, detail: 'field' }, status: 'failure' }),
    contentType: 'application/json',
  }),
  'JSON result object': (m) => ({
    body: JSON.stringify({ result: { success: false, message: m } }),
    contentType: 'application/json',
  }),
  'XML error envelope': (m) => ({
    body: `<?xml version="1.0" encoding="UTF-8"?><response><error><detail>field</detail><message>${xmlEscape(m)}</message></error><status>failure</status></response>`,
    contentType: 'application/xml',
  }),
  'XML result object': (m) => ({
    body: `<?xml version="1.0" encoding="UTF-8"?><response><result><success>false</success><message>${xmlEscape(m)}</message></result></response>`,
    contentType: 'application/xml',
  }),
};

// outcomes with a message; session_busy has none (decided by its 202)
const failureCodes = (Object.keys(CATALOGUE) as MessageCode[]).filter(
  (c) => CATALOGUE[c].outcomeClass !== 'success' && CATALOGUE[c].template !== '',
);
const rows = failureCodes.flatMap((code) => Object.keys(ENVELOPES).map((envelope) => ({ code, envelope })));

describe('classify', () => {
  it.each(rows)('classifies the $code message in a $envelope as $code', ({ code, envelope }) => {
    const message = formatMessage(code, VALUES);
    const res = ENVELOPES[envelope]!(message);
    expect(classify({ status: CATALOGUE[code].status, ...res })).toBe(code);
  });

  it.each(failureCodes)('classifies %s by its text even when the status is 500 (validation switch)', (code) => {
    const res = ENVELOPES['JSON error envelope']!(formatMessage(code, VALUES));
    expect(classify({ status: 500, ...res })).toBe(code);
  });

  it('covers every documented Offer Work message with a row', () => {
    expect(Object.keys(OFFER_MESSAGES)).toHaveLength(16);
    expect(failureCodes).toEqual(
      expect.arrayContaining([
        ...Object.keys(OFFER_MESSAGES).filter((c) => c !== 'success'),
        'unauthorized',
        'rate_limited',
        'not_found',
        'transaction_cancelled',
      ]),
    );
    expect(rows).toHaveLength(failureCodes.length * 4);
  });

  it('classifies the documented success body as success', () => {
    const body = JSON.stringify({
      result: { work_item: { sys_id: 'x' }, success: true, message: 'Manual assignment successfully requested.' },
    });
    expect(classify({ status: 200, body, contentType: 'application/json' })).toBe('success');
  });

  it('classifies a Table API or Interaction API answer without a message as success by its shape, and success false as unexpected', () => {
    expect(
      classify(
        { status: 200, body: '{"result":[{"sys_id":"x"}]}', contentType: 'application/json' },
        SUCCESS_SHAPES.list,
      ),
    ).toBe('success');
    expect(
      classify(
        { status: 201, body: '{"result":{"sys_id":"x","state":"queued"}}', contentType: 'application/json' },
        SUCCESS_SHAPES.interaction,
      ),
    ).toBe('success');
    expect(
      classify(
        { status: 200, body: '{"result":{"success":false}}', contentType: 'application/json' },
        SUCCESS_SHAPES.record,
      ),
    ).toBe('unexpected');
  });

  it('never calls a 2xx alone a success: an Offer Work 200 without the documented success body is unexpected', () => {
    expect(classify({ status: 200, body: '{"result":{"sys_id":"x"}}', contentType: 'application/json' })).toBe(
      'unexpected',
    );
    expect(
      classify({ status: 200, body: '{"result":{"success":true,"message":"Done."}}', contentType: 'application/json' }),
    ).toBe('unexpected');
    expect(classify({ status: 200, body: '{}', contentType: 'application/json' })).toBe('unexpected');
  });

  it.each([
    [
      'an HTML page (a hibernating instance)',
      '<html><head><title>Instance Hibernating page</title></head><body>Your instance is hibernating</body></html>',
      'text/html',
    ],
    [
      'a login redirect page',
      '<!DOCTYPE html><html><body><form action="/login.do"></form></body></html>',
      'text/html;charset=UTF-8',
    ],
    [
      'a body cut off mid-way',
      '{"result":{"work_item":{"display_name":"Interaction: IMS0000221","sys_id":"bfa3',
      'application/json',
    ],
    ['an unreadable body', '\u0000\u0001 garbage', 'application/json'],
    ['an empty body', '', 'application/json'],
  ])('classifies a 200 with %s as unexpected', (_, body, contentType) => {
    expect(classify({ status: 200, body, contentType })).toBe('unexpected');
    expect(classify({ status: 200, body, contentType }, SUCCESS_SHAPES.record)).toBe('unexpected');
  });

  it('classifies a 200 with the quota error appended to a cut-off body as transaction_cancelled', () => {
    const error =
      '"error":{"message":"Transaction cancelled: maximum execution time exceeded","detail":"Transaction cancelled: maximum execution time exceeded Check logs for error trace or enable glide.rest.debug property to verify REST request processing"},"status":"failure"}';
    expect(
      classify({ status: 200, body: `{"result":{"work_item":{"display_na,${error}`, contentType: 'application/json' }),
    ).toBe('transaction_cancelled');
    expect(
      classify({ status: 200, body: `{"result":{},${error}`, contentType: 'application/json' }, SUCCESS_SHAPES.record),
    ).toBe('transaction_cancelled');
    expect(classify({ status: 500, body: `{${error}`, contentType: 'application/json' })).toBe('transaction_cancelled');
    expect(outcomeClass('transaction_cancelled')).toBe('server_error');
  });

  it('classifies a 202 (a session past its max waiters) as session_busy whatever its body, never success', () => {
    expect(classify({ status: 202, body: '', contentType: 'text/plain' })).toBe('session_busy');
    const body = JSON.stringify({ result: { success: true, message: 'Manual assignment successfully requested.' } });
    expect(classify({ status: 202, body, contentType: 'application/json' })).toBe('session_busy');
    expect(outcomeClass('session_busy')).toBe('rate_limited');
  });

  it('reads a documented text in error.detail when error.message is not documented', () => {
    const body = JSON.stringify({
      error: { message: 'Some undocumented title', detail: 'Agent is not available' },
      status: 'failure',
    });
    expect(classify({ status: 409, body, contentType: 'application/json' })).toBe('agent_unavailable');
  });

  it('gives every operation of every scenario a success shape', () => {
    const ops = Object.values(SCENARIOS).flatMap((info) => info.ops);
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) expect(OPERATIONS[op], op).toBeDefined();
    for (const o of Object.values(OPERATIONS))
      expect(['offer', 'interaction', 'agents', 'inbox', 'consult', 'table', 'oauth']).toContain(o.route);
    expect(() => shapeOf('no_such_op')).toThrow('no success shape');
  });

  it('does not call a success message on an error status a success', () => {
    const body = JSON.stringify({ result: { success: true, message: 'Manual assignment successfully requested.' } });
    expect(classify({ status: 500, body, contentType: 'application/json' })).toBe('unexpected');
  });

  it("classifies 'Work Item is already assigned to <agent_sys_id>' as already_assigned with any sys_id", () => {
    expect(matchMessage('Work Item is already assigned to 46d44a5dc0a8010e0000000000000000')).toBe('already_assigned');
  });

  it('accepts the published stray space in the offered_on expiry message', () => {
    const text =
      'Timestamp after timeout (2024-04-03T23:09:31.000 ) must be after the current time, otherwise agent has no time to accept the work item';
    expect(matchMessage(text)).toBe('offered_on_expired');
  });

  it('does not match a message with extra words', () => {
    expect(matchMessage('Agent is not available right now')).toBeUndefined();
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict_other'],
    [429, 'rate_limited'],
    [500, 'server_error'],
    [503, 'server_error'],
    [400, 'bad_request'],
    [415, 'bad_request'],
    [302, 'unexpected'],
  ] as const)('falls back on status %i without a documented message: %s', (status, outcome) => {
    expect(classify({ status, body: '<html>gateway</html>', contentType: 'text/html' })).toBe(outcome);
  });

  it('classifies a k6 request timeout (status 0, error 1050) as timeout', () => {
    expect(classify({ status: 0, errorCode: 1050 })).toBe('timeout');
  });

  it('classifies a refused or dropped connection (status 0, other error) as network_error', () => {
    expect(classify({ status: 0, errorCode: 1212 })).toBe('network_error');
  });

  it('reads the 429 platform envelope as rate_limited by its text', () => {
    const body = JSON.stringify({ error: { message: 'Rate limit exceeded', detail: null }, status: 'failure' });
    expect(classify({ status: 429, body, contentType: 'application/json' })).toBe('rate_limited');
  });

  it('gives every outcome a class', () => {
    expect(OUTCOMES.length).toBe(Object.keys(CATALOGUE).length + 7);
    for (const o of OUTCOMES)
      expect(outcomeClass(o)).toMatch(
        /^(success|conflict|validation|auth|not_found|rate_limited|server_error|bad_request|network)$/,
      );
  });
});

describe('formatMessage', () => {
  it('substitutes values into the exact published text', () => {
    expect(formatMessage('offered_on_format', { offered_on: '2024-04-03 23:09' })).toBe(
      "Offered time (2024-04-03 23:09) must be in the following format: yyyy-MM-dd'T'HH:mm:ss.SSS",
    );
  });

  it('refuses to leave a placeholder unfilled', () => {
    expect(() => formatMessage('already_assigned')).toThrow('needs a value for {agent}');
  });
});

describe('templateParts', () => {
  it('cuts every catalogue template exactly as the placeholder pattern would', () => {
    const templates = Object.values(CATALOGUE).map((e) => e.template);
    expect(templates.filter((t) => t.includes('{')).length).toBeGreaterThan(5);
    for (const t of templates) expect(templateParts(t), t).toEqual(t.split(/\{\w+\}/));
    expect(templateParts('{a} and {b}')).toEqual(['', ' and ', '']);
    expect(templateParts('plain')).toEqual(['plain']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ENV, QUIET } from '../../test/helpers/sim-client.js';
import { simConfig } from '../node/sim/config.js';
import { publicFixtures } from '../node/sim/platform/fixtures.js';
import { quotaCancelled } from '../node/sim/respond.js';
import { startSimulator, type Simulator } from '../node/sim/http/server.js';
import { compactFailureMessage, compactOutcome, documentedOfferSuccess } from './compact-answers.js';
import { CATALOGUE, formatMessage, type MessageCode } from './messages.js';
import { classifyResponse } from './outcome.js';
import { SUCCESS_SHAPES } from './success-shapes.js';

const ID = 'bfa3a27e87bd5210be070d48dabb3588';
const documented = (workItem: Record<string, unknown> = {}) =>
  JSON.stringify({
    result: {
      work_item: {
        display_name: 'Interaction: IMS0000221',
        sys_id: ID,
        document_id: '59616aba87bd5210be070d48dabb35e6',
        document_table: 'interaction',
        queue: '92f8942787851210be070d48dabb35fb',
        ...workItem,
      },
      success: true,
      message: CATALOGUE.success.template,
    },
  });

// a realistic value for every placeholder of the catalogue
const VALUES: Record<string, string> = {
  caller: '6816f79cc0a8016401c5a33be04be441',
  agent: '0d584509c323120095ccd02422d3ae5b',
  presence: 'b3e0c1f2a4d5e6f7a8b9c0d1e2f3a4b5',
  offered_on: '2024-04-03T23:09:31.000',
  display_option: 'card_and_popup',
  value: 'maybe',
  work_item: ID,
  reason: ID,
  document: ID,
};
const withMessage = (Object.keys(CATALOGUE) as MessageCode[]).filter((c) => CATALOGUE[c].template !== '');

describe('the documented Offer Work success, recognised without parsing', () => {
  it('names the work item of the documented body, which the full classification calls a success', () => {
    const body = documented();
    expect(documentedOfferSuccess(body)).toBe(ID);
    expect(classifyResponse({ status: 200, body, contentType: 'application/json' })).toMatchObject({
      outcome: 'success',
      document: { result: { work_item: { sys_id: ID } } },
    });
  });

  it('finds the work item past a display name holding quotes and the key itself, and leaves a brace before it to the parse', () => {
    expect(
      documentedOfferSuccess(documented({ display_name: 'Chat "sys_id":"0123456789abcdef0123456789abcdef"' })),
    ).toBe(ID);
    expect(documentedOfferSuccess(documented({ display_name: 'Chat {a}' }))).toBeUndefined();
  });

  const notRecognised: Record<string, string> = {
    "the simulator's quota cancel (200)": quotaCancelled('running').raw!,
    'a quota cancel appended to a whole body': `${documented()}{"error":{"message":"${CATALOGUE.transaction_cancelled.template}"}}`,
    'a body cut off before its end': documented().slice(0, -2),
    'spaces between tokens': JSON.stringify(JSON.parse(documented()), null, 1),
    'another key order': JSON.stringify({
      result: { success: true, message: CATALOGUE.success.template, work_item: { sys_id: ID } },
    }),
    'success false': documented().replace('"success":true', '"success":false'),
    'another message': documented().replace('successfully requested', 'requested'),
    'a sys_id of 31 characters': documented().replace(ID, ID.slice(1)),
    'a sys_id with an escape': documented().replace(ID, `${ID.slice(0, 30)}\\"`),
    'a reference field as an object before the sys_id': `{"result":{"work_item":{"queue":{"link":"x","sys_id":"${ID}"},"sys_id":"${ID}"},"success":true,"message":"${CATALOGUE.success.template}"}}`,
    'no sys_id': JSON.stringify({
      result: { work_item: { display_name: 'x' }, success: true, message: CATALOGUE.success.template },
    }),
    XML: `<?xml version="1.0"?><response><result><success>true</success><message>${CATALOGUE.success.template}</message></result></response>`,
  };
  for (const [name, body] of Object.entries(notRecognised)) {
    it(`does not recognise ${name}`, () => expect(documentedOfferSuccess(body)).toBeUndefined());
  }
});

describe('a documented failure, recognised without parsing', () => {
  const envelopes = {
    error: (message: string, detail: unknown) => JSON.stringify({ error: { message, detail }, status: 'failure' }),
    result: (message: string, detail: unknown) => JSON.stringify({ result: { success: false, message, detail } }),
  };
  const details: Record<string, unknown> = {
    'a null detail': null,
    'a text detail': 'field assignment.agent_sys_id',
    'no detail': undefined,
  };

  for (const [envelope, make] of Object.entries(envelopes)) {
    for (const [detailName, detail] of Object.entries(details)) {
      it(`reads every catalogue message from the ${envelope} envelope with ${detailName}, and decides what the full classification decides`, () => {
        let decided = 0;
        for (const code of withMessage) {
          const body = make(formatMessage(code, VALUES), detail);
          expect(compactFailureMessage(body)).toBe(formatMessage(code, VALUES));
          for (const status of [CATALOGUE[code].status, 200, 500]) {
            const compact = compactOutcome(status, body, SUCCESS_SHAPES.offer);
            if (compact === undefined) continue;
            decided++;
            expect(compact.outcome, `${code} at ${status}`).toBe(
              classifyResponse({ status, body, contentType: 'application/json' }).outcome,
            );
          }
        }
        // a success message in a failure envelope is left to the full classification (unexpected): every other decided
        expect(decided).toBe(withMessage.filter((c) => CATALOGUE[c].outcomeClass !== 'success').length * 3);
        expect(decided).toBeGreaterThan(80);
      });
    }
  }

  const notRecognised: Record<string, string> = {
    'a message with an escaped quote': envelopes.error('Agent \\"x\\" is not available', null),
    'a detail with an escape': envelopes.error(CATALOGUE.agent_unavailable.template, 'a\\b'),
    'a body cut off in its detail': envelopes.error(CATALOGUE.agent_unavailable.template, 'abc}}').slice(0, -21),
    'a detail that is an object': JSON.stringify({
      error: { message: CATALOGUE.agent_unavailable.template, detail: { a: 1 } },
      status: 'failure',
    }),
    'spaces between tokens': JSON.stringify(
      { error: { message: CATALOGUE.agent_unavailable.template, detail: null }, status: 'failure' },
      null,
      1,
    ),
    'another key after the detail': JSON.stringify({
      error: { message: CATALOGUE.agent_unavailable.template, detail: null, code: 7 },
      status: 'failure',
    }),
  };
  for (const [name, body] of Object.entries(notRecognised)) {
    it(`does not recognise ${name}`, () => expect(compactFailureMessage(body)).toBeUndefined());
  }

  it('leaves an unknown message and a 202 to the full classification', () => {
    expect(compactOutcome(409, envelopes.error('Something new happened', null), SUCCESS_SHAPES.offer)).toBeUndefined();
    expect(
      compactOutcome(202, envelopes.error(CATALOGUE.agent_unavailable.template, null), SUCCESS_SHAPES.offer),
    ).toBeUndefined();
    expect(compactOutcome(200, documented(), SUCCESS_SHAPES.record)).toBeUndefined();
  });
});

describe('the simulator answers the recognised forms', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(
      simConfig({ ...QUIET, fixtures: { agents: 10, queues: 2, documents: 10, awayShare: 0, offlineShare: 0 } }, ENV),
    );
  });
  afterAll(async () => sim.close());

  it('so the compact path is what a run against it measures: a success with its work item, then a conflict', async () => {
    const fx = publicFixtures(sim.engine.world);
    const d = fx.documents[0]!;
    const offer = (agent: number) =>
      call(sim.url, `/api/now/awa/documents/${d.table}/${d.sys_id}/offer`, {
        body: {
          queue_id: fx.queues[0]!.sys_id,
          external_segment_id: 'segment_x',
          assignment: { agent_sys_id: fx.agents[agent]!.sys_id },
        },
      });
    const first = await offer(0);
    expect(first.status).toBe(200);
    expect(compactOutcome(first.status, first.text, SUCCESS_SHAPES.offer)).toEqual({
      outcome: 'success',
      workItem: first.json.result.work_item.sys_id,
    });
    const again = await offer(1);
    const full = classifyResponse({ status: again.status, body: again.text, contentType: again.contentType }).outcome;
    expect(full).toBe('already_assigned');
    expect(compactOutcome(again.status, again.text, SUCCESS_SHAPES.offer)).toEqual({
      outcome: full,
      workItem: undefined,
    });
  });
});

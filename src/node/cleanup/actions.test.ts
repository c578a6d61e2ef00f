import { describe, expect, it } from 'vitest';
import { describeAction, planActions, presenceBody } from './actions.js';
import type { Leftovers } from './find.js';

const id = (c: string): string => c.repeat(32);
const item = (sys_id: string, state: string, document_id: string, assigned_to = id('a')) => ({
  sys_id,
  state,
  assigned_to,
  document_table: 'interaction',
  document_id,
});

describe('planActions', () => {
  it("closes the run's interactions first and leaves their work items to end with them", () => {
    const left: Leftovers = {
      interactions: [id('1')],
      workItems: [item(id('w'), 'pending_accept', id('1'))],
      agents: [],
    };
    expect(planActions(left)).toEqual([{ kind: 'close_interaction', sys_id: id('1') }]);
  });

  it('rejects a pending work item on a document the run did not create, and leaves queued and accepted ones', () => {
    const left: Leftovers = {
      interactions: [],
      workItems: [
        item(id('p'), 'pending_accept', id('9')),
        item(id('q'), 'queued', id('8'), ''),
        item(id('c'), 'accepted', id('7')),
      ],
      agents: [],
    };
    const actions = planActions(left);
    expect(actions.map((a) => a.kind)).toEqual(['reject_work_item', 'leave_work_item', 'leave_work_item']);
    expect(actions[0]).toEqual({ kind: 'reject_work_item', sys_id: id('p'), agent: id('a') });
    expect(describeAction(actions[1]!)).toMatch(/queued on a document the run did not create/);
  });

  it('restores only the agents whose presence differs from what the run found', () => {
    const away = { state: id('2'), channels: [[id('c'), false]] as const };
    const available = { state: id('3'), channels: [[id('c'), true]] as const };
    const left: Leftovers = {
      interactions: [],
      workItems: [],
      agents: [
        { agent: id('a'), previous: available, current: away },
        { agent: id('b'), previous: available, current: available },
        { agent: id('d'), previous: available, current: { state: id('3'), channels: [[id('c'), false]] } },
      ],
    };
    expect(planActions(left)).toEqual([
      { kind: 'restore_presence', agent: id('a'), to: available },
      { kind: 'restore_presence', agent: id('d'), to: available },
    ]);
  });

  it('plans nothing when nothing is left, so a second cleanup changes nothing', () => {
    expect(planActions({ interactions: [], workItems: [], agents: [] })).toEqual([]);
  });
});

describe('presenceBody', () => {
  it("is the Agent API's documented PUT body, with the channels only when they were read", () => {
    expect(presenceBody({ state: id('s'), channels: [] })).toEqual({ presence: { sys_id: id('s') } });
    expect(presenceBody({ state: id('s'), channels: [[id('c'), true]] })).toEqual({
      presence: { sys_id: id('s'), channels: [{ sys_id: id('c'), available: true }] },
    });
  });
});

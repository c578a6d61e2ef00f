import { describe, expect, it } from 'vitest';
import { readRecordLog, recordLine, runSegment, runSegmentQuery, RECORD_FORMAT } from './run-records.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const S = '1'.repeat(32);
const C = 'c'.repeat(32);

describe('the record log', () => {
  it('reads back every kind of record as k6 wraps it in its text log format', () => {
    const lines = [
      recordLine({ kind: 'interaction', sys_id: A }),
      recordLine({ kind: 'work_item', sys_id: B }),
      recordLine({ kind: 'presence', agent: A, previous: { state: S, channels: [[C, true]] } }),
    ].map((l) => `time="2026-12-01T11:23:17Z" level=info msg="${l}" source=console`);
    const log = readRecordLog(lines.join('\n'));
    expect(log.interactions).toEqual([A]);
    expect(log.workItems).toEqual([B]);
    expect(log.presence.get(A)).toEqual({ state: S, channels: [[C, true]] });
    expect(log.malformed).toBe(0);
  });

  it('reads k6 JSON log lines and bare lines the same way', () => {
    const line = recordLine({ kind: 'interaction', sys_id: A });
    expect(readRecordLog(`{"level":"info","msg":"${line}","time":"x"}\n${line}`).interactions).toEqual([A]);
  });

  it("keeps the first presence of an agent: later records saw the run's own change", () => {
    const first = recordLine({ kind: 'presence', agent: A, previous: { state: S, channels: [] } });
    const later = recordLine({ kind: 'presence', agent: A, previous: { state: C, channels: [] } });
    expect(readRecordLog(`${first}\n${later}`).presence.get(A)).toEqual({ state: S, channels: [] });
  });

  it("counts a line cut off mid-write as malformed and ignores k6's own messages", () => {
    const log = readRecordLog(
      `${RECORD_FORMAT} interaction ${A.slice(0, 10)}\nlevel=warning msg="something else"\n${RECORD_FORMAT} presence ${A} ${S}`,
    );
    expect(log).toMatchObject({ interactions: [], workItems: [], malformed: 2 });
  });

  it('writes a value with unsafe characters as "?", which reads back as malformed, never as another id', () => {
    const line = recordLine({ kind: 'work_item', sys_id: 'x" y' });
    expect(line).toBe(`${RECORD_FORMAT} work_item ?`);
    expect(readRecordLog(line).malformed).toBe(1);
  });

  it('drops duplicate ids', () => {
    const line = recordLine({ kind: 'work_item', sys_id: B });
    expect(readRecordLog(`${line}\n${line}`).workItems).toEqual([B]);
  });
});

describe('the run segment', () => {
  it('puts the testid before the CCaaS segment id, and the query finds that prefix', () => {
    expect(runSegment('run-1', 'CA0123')).toBe('run-1:CA0123');
    expect(runSegmentQuery('run-1')).toBe('external_segment_idSTARTSWITHrun-1:');
  });
});

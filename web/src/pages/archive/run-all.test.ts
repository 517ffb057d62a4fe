import { describe, expect, it } from 'vitest';
import { archiveAll, STALLED_ROUNDS, type RoundReport } from './run-all';

type O = { caseNo: string; outcome: string };

/** A server with `n` eligible cases that archives `perRound` per request, as the 20-second budget does. */
function server(n: number, perRound: number, stuck: string[] = []) {
  const left = Array.from({ length: n }, (_, i) => `XF-2026-${String(i + 1).padStart(6, '0')}`);
  let calls = 0;
  const round = async (): Promise<RoundReport<O, never>> => {
    calls++;
    const cases: O[] = [...stuck.map((caseNo) => ({ caseNo, outcome: 'failed' }))];
    for (const caseNo of left.splice(0, perRound)) cases.push({ caseNo, outcome: 'archived' });
    return { startedAt: `s${calls}`, finishedAt: `f${calls}`, cases, disposals: [], more: left.length > 0 || stuck.length > 0 };
  };
  return { round, calls: () => calls };
}

describe('archiveAll (全部归档 to the end)', () => {
  it('asks again while the server says more, past the 29 cases one request gets through, with progress', async () => {
    const s = server(75, 29);
    const progress: number[] = [];
    const report = await archiveAll(s.round, (archived) => progress.push(archived));
    expect(s.calls()).toBe(3);
    expect(progress).toEqual([29, 58, 75]);
    expect(report.more).toBe(false);
    expect(report.cases.filter((c) => c.outcome === 'archived')).toHaveLength(75);
    expect(report.startedAt).toBe('s1');
  });

  it('stops when rounds archive nothing although the server still says more (a case that keeps failing)', async () => {
    const s = server(3, 29, ['XF-2026-000900']);
    const report = await archiveAll(s.round, () => undefined);
    expect(s.calls()).toBe(1 + STALLED_ROUNDS);
    expect(report.more).toBe(true);
    expect(report.cases.filter((c) => c.outcome === 'archived')).toHaveLength(3);
    expect(report.cases.filter((c) => c.outcome === 'failed')).toHaveLength(1);
  });
});

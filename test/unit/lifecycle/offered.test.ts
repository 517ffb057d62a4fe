/**
 * The offered actions come from the same checks as the transition (holdOf): no dead ends, and a
 * withheld action says why and from when, in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, availableActions, withheldActions } from '../../../shared/domain/lifecycle';
import { RuleViolationError } from '../../../shared/domain/errors';
import { clerk, ctx, director, hrss, opinion, registered, run } from './fixtures';

const assigned = run(registered(), [
  ['accept', director, '2026-03-05', {}],
  ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
]);
const delivered = run(assigned, [
  ['answer', hrss, '2026-03-20', opinion],
  ['approve-reply', director, '2026-03-21', {}],
  ['deliver', clerk, '2026-03-23', { deliveredOn: '2026-03-23' }],
]);

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuleViolationError) return err.details.reason;
    throw err;
  }
  return 'succeeded';
}

describe('the actions a case offers', () => {
  it('offers 中止计时 on a running clock but not 恢复计时, which says nothing is paused', () => {
    expect(availableActions(assigned, director, '2026-03-10')).toContain('pause-clock');
    expect(availableActions(assigned, director, '2026-03-10')).not.toContain('resume-clock');
    expect(withheldActions(assigned, director, '2026-03-10')).toContainEqual({ action: 'resume-clock', reason: '没有已中止的计时可以恢复' });
    expect(reasonOf(() => applyAction(assigned, 'resume-clock', { clock: 'handling' }, ctx(director, '2026-03-10')))).toBe('没有已中止的计时可以恢复');
  });

  it('offers 恢复计时 and not 中止计时 once the only clocks are paused', () => {
    const paused = run(assigned, [
      ['pause-clock', director, '2026-03-10', { clock: 'handling', reason: '听证' }],
      ['pause-clock', director, '2026-03-10', { clock: 'departmentDue', reason: '听证' }],
    ]);
    expect(availableActions(paused, director, '2026-03-12')).toContain('resume-clock');
    expect(availableActions(paused, director, '2026-03-12')).not.toContain('pause-clock');
  });

  it('withholds 中止计时 when every running clock is overdue, as the clock engine would refuse it', () => {
    const overdue = assigned.clocks.handling!.due;
    const after = `2026-0${Number(overdue.slice(5, 7)) + 1}-10`;
    expect(availableActions(assigned, director, after)).not.toContain('pause-clock');
    expect(reasonOf(() => applyAction(assigned, 'pause-clock', { clock: 'handling', reason: '听证' }, ctx(director, after)))).toBe(
      '正在计时的期限均已届满，不能中止计时',
    );
  });

  it('withholds 办结 on a delivered case while the review window is open, saying until when, and offers it the day after', () => {
    const due = delivered.clocks.reviewRequestWindow!.due;
    expect(due).toBe('2026-04-22');
    expect(availableActions(delivered, clerk, due)).not.toContain('close');
    expect(withheldActions(delivered, clerk, due)).toEqual([
      { action: 'close', reason: '复查申请期限至2026年4月22日届满后可办结', availableFrom: '2026-04-23' },
    ]);
    expect(reasonOf(() => applyAction(delivered, 'close', {}, ctx(clerk, due)))).toBe('复查申请期限至2026年4月22日届满后可办结');
    expect(availableActions(delivered, clerk, '2026-04-23')).toContain('close');
  });

  it('withholds 延期 once the handling period has ended (the extension notice goes out before it)', () => {
    const due = assigned.clocks.handling!.due;
    expect(availableActions(assigned, director, due)).toContain('extend');
    const after = `2026-0${Number(due.slice(5, 7)) + 1}-10`;
    expect(availableActions(assigned, director, after)).not.toContain('extend');
    expect(reasonOf(() => applyAction(assigned, 'extend', { days: 10, reason: '需要调查' }, ctx(director, after)))).toMatch(/^办理期限已于.*届满，不能再延期$/);
  });
});

/**
 * Who is told what: the addressees of each milestone, the Chinese text of the notices, and the
 * supervision record's conversation (answers, escalation, settling).
 */
import { describe, expect, it } from 'vitest';
import {
  answerSupervision,
  flagSupervision,
  isUnanswered,
  noticeIdOf,
  openSupervision,
  parseSupervisionId,
  resolveSupervision,
} from '../../../shared/domain/supervision';
import { composeNotice, recipientsFor, type NoticeContext } from '../../../shared/domain/sweep';
import { msUntilNextHour, SWEEP_HOUR_SHANGHAI } from '../../../local/daily';

const msUntilNextSweep = (now: Date) => msUntilNextHour(now, SWEEP_HOUR_SHANGHAI);

const assigned = { caseNo: 'XF-2026-000042', subject: '请求协调解决拖欠工资问题', status: 'assigned' as const, deptCode: 'HRSS' };
const names: Record<string, string> = { HRSS: '人力资源和社会保障局' };

const base = (over: Partial<NoticeContext>): NoticeContext => ({
  c: assigned,
  kind: 'handling',
  label: '办理期限',
  due: '2026-05-06',
  milestone: 'remind-5',
  to: { kind: 'department', deptCode: 'HRSS' },
  today: '2026-04-24',
  organName: '江川市信访局',
  departmentName: (code) => names[code] ?? code,
  ...over,
});

describe('the addressees', () => {
  it('of a handling clock are the department holding the case, and the director for a supervision', () => {
    expect(recipientsFor('handling', 'remind-5', assigned)).toEqual([{ kind: 'department', deptCode: 'HRSS' }]);
    expect(recipientsFor('handling', 'supervision', assigned)).toEqual([{ kind: 'department', deptCode: 'HRSS' }, { kind: 'director' }]);
    // Answered and waiting for the director's approval: the office holds it.
    expect(recipientsFor('handling', 'remind-1', { status: 'answered', deptCode: 'HRSS' })).toEqual([{ kind: 'director' }]);
    expect(recipientsFor('handling', 'flagged', { status: 'accepted', deptCode: undefined })).toEqual([{ kind: 'director' }]);
  });

  it('of the office’s clocks are the clerk and the director', () => {
    expect(recipientsFor('notify', 'remind-1', { status: 'registered', deptCode: undefined })).toEqual([{ kind: 'clerk' }]);
    expect(recipientsFor('notify', 'overdue', { status: 'registered', deptCode: undefined })).toEqual([{ kind: 'clerk' }, { kind: 'director' }]);
    expect(recipientsFor('departmentDue', 'overdue', assigned)).toEqual([{ kind: 'department', deptCode: 'HRSS' }, { kind: 'clerk' }]);
    expect(recipientsFor('reviewRequestWindow', 'close', { status: 'delivered', deptCode: 'HRSS' })).toEqual([{ kind: 'clerk' }]);
  });
});

describe('a notice', () => {
  it('names the case, the clock, the due date and what to do', () => {
    const n = composeNotice(base({ workingDaysLeft: 5 }));
    expect(n.subject).toBe('【期限提醒】XF-2026-000042 办理期限将于2026年5月6日届满');
    expect(n.body).toBe(
      [
        '人力资源和社会保障局：',
        '你单位承办的信访事项“请求协调解决拖欠工资问题”（案件编号：XF-2026-000042）的办理期限将于2026年5月6日届满，距今还有5个工作日。请抓紧办理，在期限内将办理结果和答复意见报送本机关。',
        '江川市信访局',
        '2026年4月24日',
      ].join('\n'),
    );
  });

  it('of a supervision cites the 督办单 and the reply date; the director’s copy names the department', () => {
    const supervision = { documentNo: '江信督〔2026〕3号', replyBy: '2026-05-14', deptCode: 'HRSS' };
    const dept = composeNotice(base({ milestone: 'supervision', today: '2026-05-07', supervision }));
    expect(dept.subject).toBe('【督办】XF-2026-000042 办理期限已超期1日');
    expect(dept.body).toContain(
      '已于2026年5月6日届满，至今未办结，已超期1日。根据《信访工作条例》的有关规定，现予以督办（督办单江信督〔2026〕3号）。请于2026年5月14日前将办理情况和结果书面报送本机关。',
    );
    const director = composeNotice(base({ milestone: 'flagged', today: '2026-05-17', to: { kind: 'director' }, supervision }));
    expect(director.subject).toBe('【挂牌督办】XF-2026-000042 办理期限已超期11日');
    expect(director.body).toMatch(/^负责同志：\n人力资源和社会保障局承办的信访事项/);
    expect(director.body).toContain('现予以挂牌督办（督办单江信督〔2026〕3号），列入督办通报。请督促承办单位落实，并跟踪办理结果。');
  });

  it('of an overdue office clock and of a closing says so', () => {
    const overdue = composeNotice(
      base({
        kind: 'notify',
        label: '受理告知期限',
        due: '2026-03-17',
        milestone: 'overdue',
        today: '2026-03-18',
        to: { kind: 'clerk' },
        c: { ...assigned, status: 'registered' },
      }),
    );
    expect(overdue.body).toContain('受理告知期限已于2026年3月17日届满，现已超期1日。请及时作出受理、不予受理或者转送的决定');
    const closed = composeNotice(
      base({ kind: 'reviewRequestWindow', label: '复查申请期限', due: '2026-04-03', milestone: 'close', today: '2026-04-04', to: { kind: 'clerk' } }),
    );
    expect(closed.body).toContain('复查申请期限已于2026年4月3日届满，信访人未在期限内申请复查。案件已于2026年4月4日依规办结，可以归档。');
  });

  it('has a deterministic id, so it is written once', () => {
    expect(
      noticeIdOf({
        caseNo: 'XF-2026-000042',
        clock: 'handling',
        due: '2026-05-06',
        milestone: 'supervision',
        recipient: { kind: 'department', deptCode: 'HRSS' },
      }),
    ).toBe('XF-2026-000042#handling#2026-05-06#supervision#dept-HRSS');
  });
});

describe('a supervision', () => {
  const opened = openSupervision({
    caseNo: 'XF-2026-000042',
    kind: 'handling',
    due: '2026-05-06',
    deptCode: 'HRSS',
    subject: '请求协调解决拖欠工资问题',
    level: 'supervision',
    today: '2026-05-07',
  });

  it('is unanswered until the department answers its current level, and again once flagged', () => {
    expect(opened).toMatchObject({ supervisionId: 'handling.2026-05-06', status: 'open', level: 'supervision' });
    expect(isUnanswered(opened)).toBe(true);
    const answered = answerSupervision(
      opened,
      { text: '正在办理', documentIds: ['d1', 'd1'] },
      { username: 'hrss1', displayName: '周强', deptCode: 'HRSS' },
      new Date('2026-05-08T02:00:00Z'),
    );
    expect(answered.answers).toEqual([
      { text: '正在办理', documentIds: ['d1'], level: 'supervision', by: 'hrss1', byName: '周强', deptCode: 'HRSS', at: '2026-05-08T02:00:00.000Z' },
    ]);
    expect(isUnanswered(answered)).toBe(false);
    const flagged = flagSupervision(answered, '2026-05-17');
    expect(isUnanswered(flagged)).toBe(true);
    expect(isUnanswered(resolveSupervision(flagged, '2026-05-20', '已办理'))).toBe(false);
    expect(() =>
      answerSupervision(resolveSupervision(flagged, '2026-05-20', '已办理'), { text: 'x', documentIds: [] }, { username: 'hrss1' }, new Date()),
    ).toThrow(/settled/);
  });

  it('has an id naming its clock and due date', () => {
    expect(parseSupervisionId('handling.2026-05-06')).toEqual({ kind: 'handling', due: '2026-05-06' });
    expect(parseSupervisionId('nothing.2026-05-06')).toBeNull();
  });
});

describe('the local schedule', () => {
  it('runs at 08:00 in Beijing, which is midnight UTC', () => {
    expect(msUntilNextSweep(new Date('2026-05-06T23:59:00Z'))).toBe(60_000);
    expect(msUntilNextSweep(new Date('2026-05-07T00:00:00Z'))).toBe(86_400_000);
    expect(msUntilNextSweep(new Date('2026-05-07T01:00:00Z'))).toBe(23 * 3_600_000);
  });
});

/**
 * The deadline sweep's rules (DESIGN §5), pure: which milestones a clock has, on which dates,
 * which one the sweep acts on today, who is told, and what the notice says. No I/O; the
 * adapters store the result of `nextSweepAction` as the clock item's index keys, and the sweep
 * use case (shared/app/sweep.ts) acts on what `sweepStep` decides. See docs/sweeps.md.
 *
 * A clock's milestones, in date order:
 *   resolve      housekeeping: an extended handling clock settles supervisions of its old due date
 *   remind-<n>   a reminder n working days before the due date (policy: 5 and 1)
 *   overdue      the day after the due date: an overdue notice (clocks the office answers for)
 *   supervision  the day after the due date: supervision (督办) of a handling clock
 *   flagged      overdue by more than `flaggedAfterDays` (10): flagged supervision (挂牌督办)
 *   close        a request window passed without a request: the case is closed
 * A stopped handling clock that was overdue has one milestone, `resolve` on the day it stopped:
 * its supervision is settled. A paused clock has none (it is frozen and never overdue).
 */
import { z } from 'zod';
import type { Case } from './case';
import type { ClockKind, ClockState, HolidayCalendar } from './clocks';
import { bodyDate } from './chinese-date';
import { addDays, daysBetween } from './time';

// ---------------------------------------------------------------------------------------------
// Policy

/** The office's sweep policy (OFFICE_CONFIG `sweep`); defaults are DESIGN §5's. */
export const SweepPolicySchema = z.object({
  /** Reminders this many working days before a due date (largest first when sent). */
  reminderWorkingDays: z.array(z.number().int().min(1).max(30)).max(5).default([5, 1]),
  /** Overdue by more than this many days: flagged supervision (挂牌督办). */
  flaggedAfterDays: z.number().int().min(1).max(90).default(10),
  /** A supervision notice (督办单) asks for a written report within this many working days. */
  replyWorkingDays: z.number().int().min(1).max(30).default(5),
  /**
   * Days after a request window's last day before the sweep closes the case: time for a request
   * sent in time by post to reach the clerk (a request dated within the window is valid).
   */
  windowGraceDays: z.number().int().min(0).max(30).default(0),
  /** A closed case becomes eligible for archiving this many days after it closed. */
  archiveAfterDays: z.number().int().min(0).max(3650).default(0),
});
export type SweepPolicy = z.infer<typeof SweepPolicySchema>;
export const DEFAULT_SWEEP_POLICY: SweepPolicy = Object.freeze(SweepPolicySchema.parse({}));

// ---------------------------------------------------------------------------------------------
// Milestones

/** `archive` is not a clock's: it is the entry of a closed case to be marked eligible for archiving. */
export type MilestoneName = `remind-${number}` | 'overdue' | 'supervision' | 'flagged' | 'close' | 'resolve' | 'archive';
export const MILESTONE_PATTERN = /^(remind-\d{1,2}|overdue|supervision|flagged|close|resolve|archive)$/;

export interface Milestone {
  name: MilestoneName;
  date: string;
}

type OverdueRule = 'supervise' | 'notice' | 'close';

/**
 * What the sweep does for each kind of clock. Request windows are the petitioner's time, not
 * the office's: no reminders, and when one passes the case closes.
 */
export const CLOCK_SWEEP_RULES: Readonly<Record<ClockKind, { remind: boolean; overdue: OverdueRule }>> = {
  notify: { remind: true, overdue: 'notice' },
  transferObjection: { remind: true, overdue: 'notice' },
  handling: { remind: true, overdue: 'supervise' },
  departmentDue: { remind: true, overdue: 'notice' },
  reviewRequestWindow: { remind: false, overdue: 'close' },
  reviewDecision: { remind: true, overdue: 'notice' },
  rereviewRequestWindow: { remind: false, overdue: 'close' },
  rereviewDecision: { remind: true, overdue: 'notice' },
};

/** The working day `n` working days before `date` (`n` ≥ 1). */
export function workingDaysBefore(date: string, n: number, calendar: Pick<HolidayCalendar, 'isWorkingDay'>): string {
  let day = date;
  for (let left = n; left > 0;) {
    day = addDays(day, -1);
    if (calendar.isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** The day after `date` plus `n` working days: the reply date of a supervision notice. */
export function workingDaysAfter(date: string, n: number, calendar: Pick<HolidayCalendar, 'isWorkingDay'>): string {
  let day = date;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** Every milestone of a clock as it stands, in date order (empty: the sweep has nothing to do). */
export function sweepMilestones(kind: ClockKind, clock: ClockState, policy: SweepPolicy, calendar: Pick<HolidayCalendar, 'isWorkingDay'>): Milestone[] {
  const rule = CLOCK_SWEEP_RULES[kind];
  if (clock.status === 'paused') return [];
  if (clock.status === 'stopped') {
    const stoppedOn = clock.stoppedOn;
    return rule.overdue === 'supervise' && stoppedOn !== undefined && stoppedOn > clock.due ? [{ name: 'resolve', date: stoppedOn }] : [];
  }
  const out: Milestone[] = [];
  // An extended handling clock may have been supervised under its old due date.
  if (rule.overdue === 'supervise' && clock.extendedBy !== undefined) out.push({ name: 'resolve', date: clock.startedOn });
  if (rule.remind) {
    for (const n of [...new Set(policy.reminderWorkingDays)].sort((a, b) => b - a)) {
      const date = workingDaysBefore(clock.due, n, calendar);
      // A reminder the clock started too late for would only repeat what starting it said.
      if (date > clock.startedOn) out.push({ name: `remind-${n}`, date });
    }
  }
  const dayAfter = addDays(clock.due, 1);
  if (rule.overdue === 'close') out.push({ name: 'close', date: addDays(dayAfter, policy.windowGraceDays) });
  else if (rule.overdue === 'notice') out.push({ name: 'overdue', date: dayAfter });
  else out.push({ name: 'supervision', date: dayAfter }, { name: 'flagged', date: addDays(clock.due, policy.flaggedAfterDays + 1) });
  return out;
}

/**
 * The next thing the sweep must do for this clock: its first milestone, or null. Stored as the
 * clock item's `bySweep` index keys whenever the clock item is written, so the sweep reads only
 * the clocks it must act on.
 */
export function nextSweepAction(kind: ClockKind, clock: ClockState, policy: SweepPolicy, calendar: Pick<HolidayCalendar, 'isWorkingDay'>): Milestone | null {
  return sweepMilestones(kind, clock, policy, calendar)[0] ?? null;
}

export interface SweepStep {
  /** Settle supervisions that no longer apply (housekeeping, no notice). */
  resolve: boolean;
  /**
   * The milestone to act on: the latest one due by today. Earlier ones still pending are
   * superseded by it (a sweep that did not run for a week sends the supervision, not the
   * reminders it missed).
   */
  act: Milestone | undefined;
  /** The first milestone after today; null when the clock needs the sweep no more. */
  next: Milestone | null;
}

/**
 * What to do today with a clock whose index entry says `from`: the milestones from `from` (or
 * from the first, if the clock changed since the entry was written) up to today.
 */
export function sweepStep(milestones: readonly Milestone[], today: string, from?: Milestone): SweepStep {
  const at = from ? milestones.findIndex((m) => m.name === from.name && m.date === from.date) : -1;
  const rest = milestones.slice(Math.max(at, 0));
  const pending = rest.filter((m) => m.date <= today);
  return {
    resolve: pending.some((m) => m.name === 'resolve'),
    act: pending.filter((m) => m.name !== 'resolve').at(-1),
    next: rest.find((m) => m.date > today) ?? null,
  };
}

/** When a closed case becomes eligible for archiving. */
export function archiveEligibleDate(c: Pick<Case, 'status' | 'closed'>, policy: SweepPolicy, closedOn: string): string | null {
  if (c.status !== 'closed' || !c.closed) return null;
  return addDays(closedOn, policy.archiveAfterDays);
}

// ---------------------------------------------------------------------------------------------
// Who is told

export type Recipient =
  | { kind: 'department'; deptCode: string }
  | { kind: 'director' }
  | { kind: 'clerk' }
  /** The petitioner, by SMS to their mobile (shared/domain/online.ts). */
  | { kind: 'petitioner'; phone: string };

export function recipientKey(r: Recipient): string {
  return r.kind === 'department' ? `dept-${r.deptCode}` : r.kind;
  // The petitioner's key is the kind alone: the notice's id never carries the phone number.
}

/** The department that holds the case now, if any: the addressee of its reminders and supervision. */
export function holdingDepartment(c: Pick<Case, 'status' | 'deptCode'>): string | undefined {
  return c.status === 'assigned' ? c.deptCode : undefined;
}

/**
 * Addressees of a milestone's notices: the department for what it holds (and the director for a
 * supervision, DESIGN §5); the office for its own clocks — the clerk for the notify clock and the
 * closing, the director for decisions.
 */
export function recipientsFor(kind: ClockKind, milestone: MilestoneName, c: Pick<Case, 'status' | 'deptCode'>): Recipient[] {
  const dept = holdingDepartment(c);
  const department: Recipient[] = dept ? [{ kind: 'department', deptCode: dept }] : [];
  const reminder = milestone.startsWith('remind-');
  switch (kind) {
    case 'handling':
      if (milestone === 'supervision' || milestone === 'flagged') return [...department, { kind: 'director' }];
      return department.length > 0 ? department : [{ kind: 'director' }];
    case 'departmentDue':
      if (!c.deptCode) return [{ kind: 'clerk' }];
      return reminder ? [{ kind: 'department', deptCode: c.deptCode }] : [{ kind: 'department', deptCode: c.deptCode }, { kind: 'clerk' }];
    case 'notify':
      return reminder ? [{ kind: 'clerk' }] : [{ kind: 'clerk' }, { kind: 'director' }];
    case 'transferObjection':
    case 'reviewDecision':
    case 'rereviewDecision':
      return reminder ? [{ kind: 'director' }] : [{ kind: 'director' }, { kind: 'clerk' }];
    case 'reviewRequestWindow':
    case 'rereviewRequestWindow':
      return [{ kind: 'clerk' }];
  }
}

// ---------------------------------------------------------------------------------------------
// What the notice says

export const CLOCK_LABELS: Readonly<Record<ClockKind, string>> = {
  notify: '受理告知期限',
  transferObjection: '转送交办异议期限',
  handling: '办理期限',
  departmentDue: '承办单位办理期限',
  reviewRequestWindow: '复查申请期限',
  reviewDecision: '复查期限',
  rereviewRequestWindow: '复核申请期限',
  rereviewDecision: '复核期限',
};

/** What the addressee is asked to do, per clock. */
function whatToDo(kind: ClockKind, c: Pick<Case, 'status'>, to: Recipient): string {
  switch (kind) {
    case 'notify':
      return '请及时作出受理、不予受理或者转送的决定，并书面告知信访人（《信访工作条例》第二十二条、第二十三条）。';
    case 'transferObjection':
      return '如认为该事项不属于本机关职权范围，请在期限内向交办机关提出异议（《信访工作条例》第二十三条）。';
    case 'handling':
      if (to.kind === 'department') return '请抓紧办理，在期限内将办理结果和答复意见报送本机关。';
      if (c.status === 'accepted') return '该事项尚未交办，请尽快交办承办单位，确保按期办结。';
      return '请抓紧审核办理结果，按期出具信访处理意见书并送达信访人。';
    case 'departmentDue':
      return to.kind === 'department'
        ? '请在期限内将办理结果和答复意见报送本机关；确需延期的，请在期限届满前提出延期申请。'
        : '请督促承办单位尽快报送办理结果。';
    case 'reviewDecision':
      return '请按期作出复查意见并送达信访人（《信访工作条例》第三十五条）。';
    case 'rereviewDecision':
      return '请按期作出复核意见并送达信访人（《信访工作条例》第三十六条）。';
    case 'reviewRequestWindow':
    case 'rereviewRequestWindow':
      return '';
  }
}

export interface NoticeContext {
  c: Pick<Case, 'caseNo' | 'subject' | 'status' | 'deptCode'>;
  kind: ClockKind;
  /** The clock's label (its derivation's), e.g. 办理期限. */
  label: string;
  due: string;
  milestone: MilestoneName | 'answered';
  to: Recipient;
  today: string;
  /** The issuing office, e.g. 江川市信访局. */
  organName: string;
  departmentName: (code: string) => string;
  /** Working days left (reminders). */
  workingDaysLeft?: number;
  /** For supervision notices: the 督办单's number and the reply date. */
  supervision?: { documentNo?: string; replyBy?: string; deptCode?: string };
}

export interface NoticeText {
  subject: string;
  body: string;
}

function addressee(ctx: NoticeContext): string {
  return ctx.to.kind === 'department' ? ctx.departmentName(ctx.to.deptCode) : ctx.to.kind === 'director' ? '负责同志' : '信访工作人员';
}

/**
 * The Chinese notice of a milestone: it names the case, the clock, the due date and what to do.
 * Plain text (the email body and the outbox JSON); the supervision notice itself is the 督办单 PDF.
 */
export function composeNotice(ctx: NoticeContext): NoticeText {
  const { c, label, due, today } = ctx;
  const item = `信访事项“${c.subject}”（案件编号：${c.caseNo}）`;
  const dueText = bodyDate(due);
  const late = daysBetween(due, today);
  const todo = whatToDo(ctx.kind, c, ctx.to);
  const sup = ctx.supervision;
  const supDept = sup?.deptCode ? ctx.departmentName(sup.deptCode) : undefined;
  const own = ctx.to.kind === 'department' ? `你单位承办的${item}` : supDept ? `${supDept}承办的${item}` : item;
  let subject: string;
  let text: string;
  if (ctx.milestone === 'answered') {
    subject = `【督办回复】${c.caseNo} ${supDept ?? '承办单位'}已书面报告办理情况`;
    text = `${supDept ?? '承办单位'}已就${item}的督办事项（${label}${dueText}届满）书面报告办理情况，请及时审阅。`;
  } else if (ctx.milestone.startsWith('remind-')) {
    subject = `【期限提醒】${c.caseNo} ${label}将于${dueText}届满`;
    const left = ctx.workingDaysLeft !== undefined && ctx.workingDaysLeft > 0 ? `，距今还有${ctx.workingDaysLeft}个工作日` : '';
    text = `${own}的${label}将于${dueText}届满${left}。${todo}`;
  } else if (ctx.milestone === 'overdue') {
    subject = `【超期提示】${c.caseNo} ${label}已于${dueText}届满`;
    text = `${own}的${label}已于${dueText}届满，现已超期${late}日。${todo}`;
  } else if (ctx.milestone === 'supervision' || ctx.milestone === 'flagged') {
    const flagged = ctx.milestone === 'flagged';
    subject = `【${flagged ? '挂牌督办' : '督办'}】${c.caseNo} ${label}已超期${late}日`;
    const letter = sup?.documentNo ? `（督办单${sup.documentNo}）` : '';
    const reply = sup?.replyBy ? `请于${bodyDate(sup.replyBy)}前将办理情况和结果书面报送本机关` : '请立即采取措施，尽快办结';
    const how = flagged ? `现予以挂牌督办${letter}，列入督办通报。` : `根据《信访工作条例》的有关规定，现予以督办${letter}。`;
    text = `${own}的${label}已于${dueText}届满，至今未办结，已超期${late}日。${how}${ctx.to.kind === 'department' ? reply : '请督促承办单位落实，并跟踪办理结果'}。`;
  } else if (ctx.milestone === 'close') {
    subject = `【办结】${c.caseNo} ${label}届满，案件已办结`;
    const what = ctx.kind === 'reviewRequestWindow' ? '复查' : '复核';
    text = `${item}的${label}已于${dueText}届满，信访人未在期限内申请${what}。案件已于${bodyDate(today)}依规办结，可以归档。`;
  } else {
    subject = `${c.caseNo} ${label}`;
    text = `${item}的${label}：${dueText}。`;
  }
  return { subject, body: `${addressee(ctx)}：\n${text}\n${ctx.organName}\n${bodyDate(today)}` };
}

// ---------------------------------------------------------------------------------------------
// The dashboard's week

/** The Sunday ending the (Monday to Sunday) week of `date`. */
export function weekEnd(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, day === 0 ? 0 : 7 - day);
}

/** Clocks the dashboard counts: the office's and the departments' deadlines, not the petitioner's windows. */
export const DASHBOARD_CLOCKS: readonly ClockKind[] = ['notify', 'transferObjection', 'handling', 'departmentDue', 'reviewDecision', 'rereviewDecision'];

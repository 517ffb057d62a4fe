/**
 * The sweep's pure rules: next-action dates on the official calendar (holiday blocks, make-up
 * working days), the milestone sequence of each kind of clock, and which milestone a run acts on.
 * Dates are worked by hand from the 2026 State Council notice (shared/domain/clocks/data).
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar, extendClock, pauseClock, startClock, stopClock, type ClockState } from '../../../shared/domain/clocks';
import {
  DEFAULT_SWEEP_POLICY,
  nextSweepAction,
  SweepPolicySchema,
  sweepMilestones,
  sweepStep,
  weekEnd,
  workingDaysAfter,
  workingDaysBefore,
  type Milestone,
} from '../../../shared/domain/sweep';

const cal = defaultCalendar;
const policy = DEFAULT_SWEEP_POLICY;

/** A handling clock of a 申诉求决类 item accepted on `on`. */
const handling = (on: string): ClockState => startClock('handling', on, { itemType: 'request-appeal', calendar: cal });
const names = (ms: Milestone[]) => ms.map((m) => `${m.name}@${m.date}`);

describe('workingDaysBefore', () => {
  it.each([
    // due        n  date        why
    ['2026-05-06', 1, '2026-04-30', 'Labour Day 05-01..05-05 is skipped'],
    ['2026-05-06', 5, '2026-04-24', 'the weekend 04-25/26 too'],
    ['2026-10-09', 1, '2026-10-08', 'the day before'],
    ['2026-10-09', 2, '2026-09-30', 'National Day 10-01..10-07 is skipped'],
    ['2026-10-09', 5, '2026-09-24', 'and Mid-Autumn 09-25..09-27'],
    ['2026-10-12', 1, '2026-10-10', 'Saturday 10-10 is a make-up working day'],
    ['2026-02-25', 2, '2026-02-14', 'Spring Festival 02-15..02-23, and Saturday 02-14 is a working day'],
    ['2026-02-25', 5, '2026-02-11', 'then 02-13, 02-12, 02-11'],
  ])('%s minus %i working days is %s (%s)', (due, n, expected) => {
    expect(workingDaysBefore(due, n, cal)).toBe(expected);
  });

  it('counts forward the same way for a reply date', () => {
    expect(workingDaysAfter('2026-04-30', 1, cal)).toBe('2026-05-06');
    expect(workingDaysAfter('2026-10-09', 1, cal)).toBe('2026-10-10');
  });
});

describe('the milestones of a clock', () => {
  it('are two reminders, supervision the day after the due date and flagged supervision past 10 days, for a handling clock', () => {
    const clock = handling('2026-03-04');
    expect(clock.due).toBe('2026-05-06');
    expect(names(sweepMilestones('handling', clock, policy, cal))).toEqual([
      'remind-5@2026-04-24',
      'remind-1@2026-04-30',
      'supervision@2026-05-07',
      'flagged@2026-05-17',
    ]);
    expect(nextSweepAction('handling', clock, policy, cal)).toEqual({ name: 'remind-5', date: '2026-04-24' });
  });

  it('follow the office policy', () => {
    const custom = SweepPolicySchema.parse({ reminderWorkingDays: [1, 3, 3], flaggedAfterDays: 5 });
    expect(names(sweepMilestones('handling', handling('2026-03-04'), custom, cal))).toEqual([
      'remind-3@2026-04-28',
      'remind-1@2026-04-30',
      'supervision@2026-05-07',
      'flagged@2026-05-12',
    ]);
  });

  it('skip a reminder the clock started too late for', () => {
    const late = startClock('transferObjection', '2026-03-02', { calendar: cal });
    expect(late.due).toBe('2026-03-09');
    // Five working days before 03-09 is the start day itself: no reminder then.
    expect(names(sweepMilestones('transferObjection', late, policy, cal))).toEqual(['remind-1@2026-03-06', 'overdue@2026-03-10']);
  });

  it('are reminders and an overdue notice for the office’s own clocks', () => {
    const notify = startClock('notify', '2026-03-02', { calendar: cal });
    expect(names(sweepMilestones('notify', notify, policy, cal))).toEqual(['remind-5@2026-03-10', 'remind-1@2026-03-16', 'overdue@2026-03-18']);
  });

  it('is the closing the day after a request window, after the grace days if the office set some', () => {
    const window = startClock('reviewRequestWindow', '2026-03-04', { calendar: cal });
    expect(window.due).toBe('2026-04-03');
    expect(names(sweepMilestones('reviewRequestWindow', window, policy, cal))).toEqual(['close@2026-04-04']);
    expect(names(sweepMilestones('reviewRequestWindow', window, SweepPolicySchema.parse({ windowGraceDays: 7 }), cal))).toEqual(['close@2026-04-11']);
  });

  it('are none for a paused clock (frozen, never overdue) or a clock stopped in time', () => {
    const clock = handling('2026-03-04');
    expect(sweepMilestones('handling', pauseClock(clock, '2026-04-01', '听证', { calendar: cal }), policy, cal)).toEqual([]);
    expect(sweepMilestones('handling', stopClock(clock, '2026-05-06'), policy, cal)).toEqual([]);
    expect(nextSweepAction('handling', stopClock(clock, '2026-05-06'), policy, cal)).toBeNull();
  });

  it('settle the supervision of a handling clock stopped late, or extended', () => {
    const clock = handling('2026-03-04');
    expect(names(sweepMilestones('handling', stopClock(clock, '2026-05-09'), policy, cal))).toEqual(['resolve@2026-05-09']);
    // Only the handling clock is supervised: a late department clock has nothing to settle.
    const dept = startClock('departmentDue', '2026-03-04', { calendar: cal, handlingDue: clock.due });
    expect(sweepMilestones('departmentDue', stopClock(dept, '2026-05-09'), policy, cal)).toEqual([]);
    const extended = extendClock(clock, 30, '需要补充调查', { calendar: cal });
    expect(extended.due).toBe('2026-06-02'); // 90 days from 03-04
    expect(names(sweepMilestones('handling', extended, policy, cal))).toEqual([
      'resolve@2026-03-04',
      'remind-5@2026-05-26',
      'remind-1@2026-06-01',
      'supervision@2026-06-03',
      'flagged@2026-06-13',
    ]);
  });
});

describe('a run acts on', () => {
  const seq = sweepMilestones('handling', handling('2026-03-04'), policy, cal);
  const first = seq[0];

  it('the milestone due today, and moves the entry to the next one', () => {
    expect(sweepStep(seq, '2026-04-24', first)).toEqual({
      resolve: false,
      act: { name: 'remind-5', date: '2026-04-24' },
      next: { name: 'remind-1', date: '2026-04-30' },
    });
  });

  it('nothing before the first date', () => {
    expect(sweepStep(seq, '2026-04-23', first)).toEqual({ resolve: false, act: undefined, next: first });
  });

  it('only the latest of several missed milestones (a supervision supersedes the reminders)', () => {
    expect(sweepStep(seq, '2026-05-08', first)).toEqual({
      resolve: false,
      act: { name: 'supervision', date: '2026-05-07' },
      next: { name: 'flagged', date: '2026-05-17' },
    });
    expect(sweepStep(seq, '2026-06-01', first)).toMatchObject({ act: { name: 'flagged' }, next: null });
  });

  it('from the entry on, not what came before it', () => {
    const flagged = seq[3];
    expect(sweepStep(seq, '2026-05-20', flagged)).toMatchObject({ act: { name: 'flagged' }, next: null });
    // An entry that no longer matches the clock (it changed since): from the first milestone.
    expect(sweepStep(seq, '2026-04-30', { name: 'overdue', date: '2026-01-01' })).toMatchObject({ act: { name: 'remind-1' } });
  });

  it('housekeeping on the way, besides the milestone', () => {
    const extended = sweepMilestones('handling', extendClock(handling('2026-03-04'), 30, '需要补充调查', { calendar: cal }), policy, cal);
    expect(sweepStep(extended, '2026-05-08', extended[0])).toEqual({ resolve: true, act: undefined, next: { name: 'remind-5', date: '2026-05-26' } });
  });
});

describe('the dashboard week', () => {
  it.each([
    ['2026-05-06', '2026-05-10'],
    ['2026-05-10', '2026-05-10'],
    ['2026-05-11', '2026-05-17'],
  ])('of %s ends on Sunday %s', (day, end) => expect(weekEnd(day)).toBe(end));
});

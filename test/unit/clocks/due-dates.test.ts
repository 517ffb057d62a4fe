/**
 * Due dates worked out by hand against the State Council calendars for 2025 and 2026, NOT by the
 * code under test. Each row's comment is the count: "+15 → X" means the 15th day after the start
 * (the start day is not counted), then the roll off rest days / holidays, if any.
 *
 * Calendar facts used (from the notices; weekday in brackets):
 * 2025  New Year 01-01 · Spring Festival 01-28..02-04, make-up 01-26 (Sun) 02-08 (Sat) ·
 *       Qingming 04-04..04-06 · Labour Day 05-01..05-05, make-up 04-27 (Sun) · Dragon Boat
 *       05-31..06-02 · National Day + Mid-Autumn 10-01..10-08, make-up 09-28 (Sun) 10-11 (Sat)
 * 2026  New Year 01-01..01-03, make-up 01-04 (Sun) · Spring Festival 02-15..02-23, make-up
 *       02-14 (Sat) 02-28 (Sat) · Qingming 04-04..04-06 · Labour Day 05-01..05-05, make-up
 *       05-09 (Sat) · Dragon Boat 06-19..06-21 · Mid-Autumn 09-25..09-27, make-up 09-20 (Sun) ·
 *       National Day 10-01..10-07, make-up 10-10 (Sat)
 */
import { describe, expect, it } from 'vitest';
import {
  computeDepartmentDue,
  computeDue,
  defaultCalendar as calendar,
  extendClock,
  startClock,
  type DayUnit,
  type Pause,
} from '../../../shared/domain/clocks';

interface Row {
  name: string;
  start: string;
  length: number;
  unit: DayUnit;
  pauses?: Pause[];
  policy?: { startDayCounted?: boolean; rollForward?: boolean };
  due: string;
  /** Rest days / holidays rolled over (calendar days) or not counted (working days). */
  skipped: number;
}

const hearing = (from: string, to: string): Pause => ({ from, to, reason: '听证' });

const ROWS: Row[] = [
  // ── Spring Festival 2025 ─────────────────────────────────────────────────────────────────
  // +15 → 01-30 (Thu, holiday); 01-31..02-04 holidays; 02-05 (Wed) works. Skipped 01-30..02-04 = 6.
  { name: 'notify crossing Spring Festival 2025', start: '2025-01-15', length: 15, unit: 'calendarDays', due: '2025-02-05', skipped: 6 },
  // +15 → 01-26, a Sunday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Sunday 2025-01-26', start: '2025-01-11', length: 15, unit: 'calendarDays', due: '2025-01-26', skipped: 0 },
  // 7 days to 01-31, 8 more → 02-08, a Saturday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Saturday 2025-02-08', start: '2025-01-24', length: 15, unit: 'calendarDays', due: '2025-02-08', skipped: 0 },
  // 01-25 Sat rest; 01-26 Sun make-up (1); 01-27 (2); 01-28..02-04 holidays; 02-05 (3) 02-06 (4) 02-07 (5). Skipped 1 + 8 = 9.
  {
    name: '5 working days across Spring Festival 2025 counting the make-up Sunday',
    start: '2025-01-24',
    length: 5,
    unit: 'workingDays',
    due: '2025-02-07',
    skipped: 9,
  },
  // 01-28..02-04 holidays; 02-05 (1) 02-06 (2) 02-07 (3) 02-08 Sat make-up (4); 02-09 Sun rest; 02-10 Mon (5). Skipped 8 + 1 = 9.
  { name: '5 working days counting the make-up Saturday 2025-02-08', start: '2025-01-27', length: 5, unit: 'workingDays', due: '2025-02-10', skipped: 9 },
  // 28 days to 01-31, 2 more → 02-02 (Sun, holiday); 02-03, 02-04 holidays; 02-05 (Wed). Skipped 3.
  { name: '30 days ending inside Spring Festival 2025', start: '2025-01-03', length: 30, unit: 'calendarDays', due: '2025-02-05', skipped: 3 },

  // ── New Year 2026 and Spring Festival 2026 ───────────────────────────────────────────────
  // 14 days to 12-31, +1 → 2026-01-01 (holiday); 01-02, 01-03 holidays; 01-04 Sun is a make-up working day. Skipped 3.
  {
    name: 'notify rolling across New Year 2026 onto the make-up Sunday 2026-01-04',
    start: '2025-12-17',
    length: 15,
    unit: 'calendarDays',
    due: '2026-01-04',
    skipped: 3,
  },
  // 12-31 Wed (1); 01-01..01-03 holidays; 01-04 Sun make-up (2); 01-05 (3) 01-06 (4) 01-07 (5). Skipped 3.
  { name: '5 working days across the year end 2025/2026', start: '2025-12-30', length: 5, unit: 'workingDays', due: '2026-01-07', skipped: 3 },
  // 14 days to 12-31, 31 in January (45), 15 in February → 02-15 (Sun, holiday); 02-16..02-23 holidays; 02-24 (Tue). Skipped 02-15..02-23 = 9.
  { name: '60 days ending on the first day of Spring Festival 2026', start: '2025-12-17', length: 60, unit: 'calendarDays', due: '2026-02-24', skipped: 9 },
  // 1 day to 01-31, 14 more → 02-14, a Saturday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Saturday 2026-02-14', start: '2026-01-30', length: 15, unit: 'calendarDays', due: '2026-02-14', skipped: 0 },
  // +15 → 02-28, a Saturday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Saturday 2026-02-28', start: '2026-02-13', length: 15, unit: 'calendarDays', due: '2026-02-28', skipped: 0 },
  // +15 → 02-20 (Fri, holiday); 02-21..02-23 holidays; 02-24 (Tue). Skipped 4.
  { name: 'notify ending inside Spring Festival 2026', start: '2026-02-05', length: 15, unit: 'calendarDays', due: '2026-02-24', skipped: 4 },
  // 02-12 (1) 02-13 (2) 02-14 Sat make-up (3); 02-15..02-23 holidays; 02-24 (4) 02-25 (5). Skipped 9.
  {
    name: '5 working days across Spring Festival 2026 counting the make-up Saturday 02-14',
    start: '2026-02-11',
    length: 5,
    unit: 'workingDays',
    due: '2026-02-25',
    skipped: 9,
  },
  // 02-25 (1) 02-26 (2) 02-27 (3) 02-28 Sat make-up (4); 03-01 Sun rest; 03-02 Mon (5). Skipped 1.
  { name: '5 working days counting the make-up Saturday 02-28', start: '2026-02-24', length: 5, unit: 'workingDays', due: '2026-03-02', skipped: 1 },
  // 11 days to 01-31, 19 more → 02-19 (Thu, holiday); 02-20..02-23 holidays; 02-24. Skipped 5.
  { name: '30 days ending inside Spring Festival 2026', start: '2026-01-20', length: 30, unit: 'calendarDays', due: '2026-02-24', skipped: 5 },
  // 18 days to 02-28, 31 in March (49), 11 in April → 04-11 (Sat); 04-12 Sun; 04-13 (Mon). Skipped 2.
  { name: '60 days ending on an ordinary weekend (the DESIGN example)', start: '2026-02-10', length: 60, unit: 'calendarDays', due: '2026-04-13', skipped: 2 },

  // ── Qingming ─────────────────────────────────────────────────────────────────────────────
  // 11 days to 03-31, 4 more → 2025-04-04 (Fri, holiday); 04-05, 04-06 holidays; 04-07 (Mon). Skipped 3.
  { name: 'notify ending on Qingming 2025', start: '2025-03-20', length: 15, unit: 'calendarDays', due: '2025-04-07', skipped: 3 },
  // 26 days to 03-31, 4 more → 2026-04-04 (Sat, holiday); 04-05, 04-06 holidays; 04-07 (Tue). Skipped 3.
  { name: '30 days ending on Qingming 2026', start: '2026-03-05', length: 30, unit: 'calendarDays', due: '2026-04-07', skipped: 3 },
  // 04-02 (1) 04-03 (2); 04-04..04-06 holidays; 04-07 (3) 04-08 (4) 04-09 (5). Skipped 3.
  { name: '5 working days across Qingming 2026', start: '2026-04-01', length: 5, unit: 'workingDays', due: '2026-04-09', skipped: 3 },

  // ── Labour Day ───────────────────────────────────────────────────────────────────────────
  // +15 → 2025-04-27, a Sunday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Sunday 2025-04-27', start: '2025-04-12', length: 15, unit: 'calendarDays', due: '2025-04-27', skipped: 0 },
  // 29 days to 04-30, +1 → 2025-05-01 (holiday); 05-02..05-05 holidays; 05-06 (Tue). Skipped 5.
  { name: '30 days ending on Labour Day 2025', start: '2025-04-01', length: 30, unit: 'calendarDays', due: '2025-05-06', skipped: 5 },
  // 04-26 Sat rest; 04-27 Sun make-up (1); 04-28 (2) 04-29 (3) 04-30 (4); 05-01..05-05 holidays; 05-06 (5). Skipped 1 + 5 = 6.
  { name: '5 working days across Labour Day 2025', start: '2025-04-25', length: 5, unit: 'workingDays', due: '2025-05-06', skipped: 6 },
  // 6 days to 04-30, 9 more → 2026-05-09, a Saturday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Saturday 2026-05-09', start: '2026-04-24', length: 15, unit: 'calendarDays', due: '2026-05-09', skipped: 0 },
  // 28 days to 03-31, 30 in April (58), 2 more → 2026-05-02 (Sat, holiday); 05-03..05-05 holidays; 05-06 (Wed). Skipped 4.
  { name: '60-day handling ending on Labour Day 2026', start: '2026-03-03', length: 60, unit: 'calendarDays', due: '2026-05-06', skipped: 4 },

  // ── Dragon Boat ──────────────────────────────────────────────────────────────────────────
  // 29 days to 05-31, +1 → 2025-06-01 (Sun, holiday); 06-02 holiday; 06-03 (Tue). Skipped 2.
  { name: '30 days ending on Dragon Boat 2025', start: '2025-05-02', length: 30, unit: 'calendarDays', due: '2025-06-03', skipped: 2 },
  // +15 → 2026-06-19 (Fri, holiday); 06-20, 06-21 holidays; 06-22 (Mon). Skipped 3.
  { name: 'notify ending on Dragon Boat 2026', start: '2026-06-04', length: 15, unit: 'calendarDays', due: '2026-06-22', skipped: 3 },
  // 06-17 (1) 06-18 (2); 06-19..06-21 holidays; 06-22 (3) 06-23 (4) 06-24 (5). Skipped 3.
  { name: '5 working days across Dragon Boat 2026', start: '2026-06-16', length: 5, unit: 'workingDays', due: '2026-06-24', skipped: 3 },

  // ── Mid-Autumn / National Day 2025 ───────────────────────────────────────────────────────
  // +15 → 2025-09-28, a Sunday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Sunday 2025-09-28', start: '2025-09-13', length: 15, unit: 'calendarDays', due: '2025-09-28', skipped: 0 },
  // 10 days to 09-30, 5 more → 10-05 (Sun, holiday); 10-06..10-08 holidays; 10-09 (Thu). Skipped 4.
  { name: 'notify ending inside National Day 2025', start: '2025-09-20', length: 15, unit: 'calendarDays', due: '2025-10-09', skipped: 4 },
  // 19 days to 09-30, 11 more → 10-11, a Saturday but a make-up working day: no roll.
  { name: '30 days landing on the make-up Saturday 2025-10-11', start: '2025-09-11', length: 30, unit: 'calendarDays', due: '2025-10-11', skipped: 0 },
  // 09-27 Sat rest; 09-28 Sun make-up (1); 09-29 (2) 09-30 (3); 10-01..10-08 holidays; 10-09 (4) 10-10 (5). Skipped 1 + 8 = 9.
  { name: '5 working days across National Day 2025', start: '2025-09-26', length: 5, unit: 'workingDays', due: '2025-10-10', skipped: 9 },
  // 29 days to 08-31, 30 in September (59), +1 → 10-01 (holiday); 10-02..10-08 holidays; 10-09. Skipped 8.
  { name: '60 days ending on National Day 2025', start: '2025-08-02', length: 60, unit: 'calendarDays', due: '2025-10-09', skipped: 8 },

  // ── Mid-Autumn / National Day 2026 ───────────────────────────────────────────────────────
  // +15 → 2026-09-20, a Sunday but a make-up working day: no roll.
  { name: 'notify landing on the make-up Sunday 2026-09-20', start: '2026-09-05', length: 15, unit: 'calendarDays', due: '2026-09-20', skipped: 0 },
  // +15 → 09-25 (Fri, Mid-Autumn); 09-26, 09-27 holidays; 09-28 (Mon). Skipped 3.
  { name: 'notify ending on Mid-Autumn 2026', start: '2026-09-10', length: 15, unit: 'calendarDays', due: '2026-09-28', skipped: 3 },
  // 20 days to 09-30, 10 more → 10-10, a Saturday but a make-up working day: no roll.
  { name: '30 days landing on the make-up Saturday 2026-10-10', start: '2026-09-10', length: 30, unit: 'calendarDays', due: '2026-10-10', skipped: 0 },
  // 10 days to 09-30, 5 more → 10-05 (Mon, holiday); 10-06, 10-07 holidays; 10-08 (Thu). Skipped 3.
  { name: 'notify ending inside National Day 2026', start: '2026-09-20', length: 15, unit: 'calendarDays', due: '2026-10-08', skipped: 3 },
  // 09-23 (1) 09-24 (2); 09-25..09-27 holidays; 09-28 (3) 09-29 (4) 09-30 (5). Skipped 3.
  { name: '5 working days across Mid-Autumn 2026', start: '2026-09-22', length: 5, unit: 'workingDays', due: '2026-09-30', skipped: 3 },
  // 09-30 (1); 10-01..10-07 holidays; 10-08 (2) 10-09 (3) 10-10 Sat make-up (4); 10-11 Sun rest; 10-12 (5). Skipped 7 + 1 = 8.
  {
    name: '5 working days across National Day 2026 counting the make-up Saturday',
    start: '2026-09-29',
    length: 5,
    unit: 'workingDays',
    due: '2026-10-12',
    skipped: 8,
  },
  // 09-18 Fri (1); 09-19 Sat rest; 09-20 Sun make-up (2); 09-21 (3) 09-22 (4) 09-23 (5). Skipped 1.
  { name: '5 working days counting the make-up Sunday 2026-09-20', start: '2026-09-17', length: 5, unit: 'workingDays', due: '2026-09-23', skipped: 1 },

  // ── Ordinary weekends and policy switches ────────────────────────────────────────────────
  // +15 → 2025-03-16 (Sun); 03-17 (Mon). Skipped 1.
  { name: 'notify ending on an ordinary Sunday', start: '2025-03-01', length: 15, unit: 'calendarDays', due: '2025-03-17', skipped: 1 },
  // Same clock with rollForward off: 03-16 stays (still reported, nothing rolled).
  {
    name: 'notify on a Sunday without rolling when the office turns rolling off',
    start: '2025-03-01',
    length: 15,
    unit: 'calendarDays',
    policy: { rollForward: false },
    due: '2025-03-16',
    skipped: 0,
  },
  // Start day counted: 09-13 is day 1, so day 15 is 09-27 (Sat rest); 09-28 Sun make-up works. Skipped 1.
  {
    name: 'notify with the start day counted, rolling onto a make-up Sunday',
    start: '2025-09-13',
    length: 15,
    unit: 'calendarDays',
    policy: { startDayCounted: true },
    due: '2025-09-28',
    skipped: 1,
  },

  // ── Pauses ───────────────────────────────────────────────────────────────────────────────
  // Pause 07-10 → 07-20 takes 07-11..07-20 (10 days) out. Counted: 07-02..07-10 (9), 07-21..07-31 (20),
  // August (51), 09-01..09-09 (60) → 09-09 (Tue). Without the pause it would be 08-30 (Sat) → 09-01.
  {
    name: '60-day handling with a 10-day pause',
    start: '2025-07-01',
    length: 60,
    unit: 'calendarDays',
    pauses: [hearing('2025-07-10', '2025-07-20')],
    due: '2025-09-09',
    skipped: 0,
  },
  // Pause 09-05 → 09-08 takes 09-06..09-08 out. Counted: 09-02..09-05 (4), 09-09..09-30 (26), 10-01..10-04 (30)
  // → 10-04 (Sat, holiday); 10-05..10-08 holidays; 10-09. Skipped 5.
  {
    name: '30 days with a 3-day pause pushed into National Day 2025',
    start: '2025-09-01',
    length: 30,
    unit: 'calendarDays',
    pauses: [hearing('2025-09-05', '2025-09-08')],
    due: '2025-10-09',
    skipped: 5,
  },
  // Re-review decision, hearing 01-20 → 02-03 (14 days, Art. 36 excludes it). Counted: 01-06..01-20 (15),
  // 02-04..02-18 (30) → 02-18 (Wed, holiday); 02-19..02-23 holidays; 02-24. Skipped 6.
  {
    name: 're-review decision with the hearing time excluded, pushed into Spring Festival 2026',
    start: '2026-01-05',
    length: 30,
    unit: 'calendarDays',
    pauses: [hearing('2026-01-20', '2026-02-03')],
    due: '2026-02-24',
    skipped: 6,
  },
  // Working days with pause 03-03 → 03-05 (03-04, 03-05 out): 03-03 (1); 03-06 (2); 03-07/08 weekend;
  // 03-09 (3) 03-10 (4) 03-11 (5). Skipped (weekend) 2.
  {
    name: '5 working days with a 2-day pause',
    start: '2026-03-02',
    length: 5,
    unit: 'workingDays',
    pauses: [hearing('2026-03-03', '2026-03-05')],
    due: '2026-03-11',
    skipped: 2,
  },
  // Two pauses, 06-03 → 06-05 (06-04, 06-05 out) and 06-10 → 06-11 (06-11 out). Counted: 06-02..06-03 (2),
  // 06-06..06-10 (7), 06-12..06-19 (15) → 06-19 (Fri, Dragon Boat); 06-20, 06-21 holidays; 06-22. Skipped 3.
  {
    name: '15 days with two pauses, pushed into Dragon Boat 2026',
    start: '2026-06-01',
    length: 15,
    unit: 'calendarDays',
    pauses: [hearing('2026-06-03', '2026-06-05'), hearing('2026-06-10', '2026-06-11')],
    due: '2026-06-22',
    skipped: 3,
  },
];

describe('computeDue against hand-worked dates', () => {
  it('has at least 30 hand-worked rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(ROWS)('$name: from $start, $length $unit → $due', (row) => {
    // Prepare
    const input = { start: row.start, length: row.length, unit: row.unit, calendar, pauses: row.pauses ?? [], policy: row.policy ?? {} };

    // Act
    const { due, derivation } = computeDue(input);

    // Assess
    expect(due).toBe(row.due);
    expect(derivation.due).toBe(row.due);
    expect(derivation.holidaysSkipped).toHaveLength(row.skipped);
  });
});

interface DepartmentRow {
  name: string;
  handlingDue: string;
  assignedOn: string;
  due: string;
}

const DEPARTMENT_ROWS: DepartmentRow[] = [
  // 04-13 − 10 → 04-03 (Fri), a working day.
  { name: 'a working day needs no move', handlingDue: '2026-04-13', assignedOn: '2026-02-12', due: '2026-04-03' },
  // 10-16 − 10 → 10-06 (Mon, holiday); back over 10-05..10-01 (holidays) to 09-30 (Tue).
  { name: 'moves back out of National Day 2025', handlingDue: '2025-10-16', assignedOn: '2025-08-20', due: '2025-09-30' },
  // 02-27 − 10 → 02-17 (Tue, holiday); back over 02-16, 02-15 to 02-14, a make-up Saturday (working).
  { name: 'moves back out of Spring Festival 2026 onto the make-up Saturday', handlingDue: '2026-02-27', assignedOn: '2026-01-05', due: '2026-02-14' },
  // 05-11 − 10 → 05-01 (Fri, holiday); back to 04-30 (Thu).
  { name: 'moves back out of Labour Day 2026', handlingDue: '2026-05-11', assignedOn: '2026-03-20', due: '2026-04-30' },
  // 03-18 − 10 → 03-08 (Sun); back over 03-07 (Sat) to 03-06 (Fri).
  { name: 'moves back off an ordinary weekend', handlingDue: '2026-03-18', assignedOn: '2026-01-20', due: '2026-03-06' },
  // 10-09 − 10 → 09-29 (Mon), working (2025-09-28 is the make-up Sunday, not needed).
  { name: 'lands just before National Day 2025', handlingDue: '2025-10-09', assignedOn: '2025-08-15', due: '2025-09-29' },
];

describe('computeDepartmentDue against hand-worked dates', () => {
  it.each(DEPARTMENT_ROWS)('$name: handling due $handlingDue → department due $due', (row) => {
    // Prepare
    const input = { handlingDue: row.handlingDue, assignedOn: row.assignedOn, calendar, leadDays: 10 };

    // Act
    const { due, derivation } = computeDepartmentDue(input);

    // Assess
    expect(due).toBe(row.due);
    expect(derivation.leadApplied).toBe(true);
  });
});

interface ExtensionRow {
  name: string;
  acceptedOn: string;
  extension: number;
  dueBefore: string;
  dueAfter: string;
}

const EXTENSION_ROWS: ExtensionRow[] = [
  // 60: → 04-11 (Sat) → 04-13. 90: 18 days to 02-28, March (49), April (79), 11 more → 05-11 (Mon).
  { name: '30-day extension of the DESIGN example', acceptedOn: '2026-02-10', extension: 30, dueBefore: '2026-04-13', dueAfter: '2026-05-11' },
  // 60: 28 days to 07-31, August (59), +1 → 09-01 (Mon). 90: September (89), +1 → 10-01 (holiday) → 10-09.
  { name: '30-day extension ending on National Day 2025', acceptedOn: '2025-07-03', extension: 30, dueBefore: '2025-09-01', dueAfter: '2025-10-09' },
  // 60: 11 days to 03-31, April (41), 19 more → 05-19 (Tue). 75: 31 in May (72), +3 → 06-03 (Wed).
  { name: '15-day extension', acceptedOn: '2026-03-20', extension: 15, dueBefore: '2026-05-19', dueAfter: '2026-06-03' },
  // 60: 28 days to 12-31, January (59), +1 → 2026-02-01 (Sun) → 02-02 (Mon). 90: 02-02..02-28 (87), +3 → 03-03 (Tue).
  { name: '30-day extension from before New Year 2026', acceptedOn: '2025-12-03', extension: 30, dueBefore: '2026-02-02', dueAfter: '2026-03-03' },
];

describe('extendClock against hand-worked dates', () => {
  it.each(EXTENSION_ROWS)('$name: $dueBefore → $dueAfter', (row) => {
    // Prepare
    const handling = startClock('handling', row.acceptedOn, { itemType: 'request-appeal' });

    // Act
    const extended = extendClock(handling, row.extension, '情况复杂，经负责人批准');

    // Assess
    expect(handling.due).toBe(row.dueBefore);
    expect(extended.due).toBe(row.dueAfter);
  });
});

/**
 * The dashboard's tallies (shared/domain/dashboard.ts): summed over any cases and read on any day,
 * they give exactly the counts of the cases themselves — a case counted once per group and tile
 * however many of its clocks are in it, once in the totals however many groups it is in.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/domain/case';
import type { ClockKind, ClockState } from '../../../shared/domain/clocks';
import {
  ALL_GROUP,
  clockTallies,
  countCases,
  countTallies,
  dashboardClocks,
  groupOf,
  supervisionTallies,
  type TileCounts,
} from '../../../shared/domain/dashboard';
import type { Supervision } from '../../../shared/domain/supervision';
import { DASHBOARD_CLOCKS, weekEnd } from '../../../shared/domain/sweep';
import { addDays } from '../../../shared/domain/time';
import { registered } from '../lifecycle/fixtures';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const template = registered();
const base = template.clocks.notify as ClockState;
const DEPTS = ['HRSS', 'HOUSING', undefined];
const STATUSES = ['accepted', 'assigned', 'answered'] as const;

function randomCase(rnd: () => number, i: number): Case {
  const clocks: Case['clocks'] = {};
  for (const kind of [...DASHBOARD_CLOCKS, 'requestReview' as ClockKind]) {
    if (rnd() < 0.5) continue;
    const status = rnd() < 0.75 ? 'running' : rnd() < 0.5 ? 'paused' : 'stopped';
    // Due days clustered around the days read, some far away, some on the same day.
    clocks[kind] = { ...base, kind, status, due: addDays('2026-05-01', Math.floor(rnd() * 40) - 10) };
  }
  return {
    ...template,
    caseNo: `XF-2026-${String(i).padStart(6, '0')}`,
    status: STATUSES[Math.floor(rnd() * STATUSES.length)] as Case['status'],
    deptCode: DEPTS[Math.floor(rnd() * DEPTS.length)],
    clocks,
  };
}

/** The dashboard's counts the way it counted before the tallies: every running clock read, cases collected in sets. */
function bruteForce(cases: Case[], supervisions: Supervision[], today: string, end: string): Map<string, TileCounts> {
  const sets = new Map<string, Record<keyof TileCounts, Set<string>>>();
  const add = (g: string, tile: keyof TileCounts, caseNo: string) => {
    const s = sets.get(g) ?? { dueThisWeek: new Set(), overdue: new Set(), underSupervision: new Set(), flagged: new Set() };
    s[tile].add(caseNo);
    sets.set(g, s);
  };
  for (const c of cases) {
    for (const k of dashboardClocks(c)) {
      if (k.due > end) continue;
      const tile = k.due < today ? 'overdue' : 'dueThisWeek';
      add(groupOf(k.deptCode), tile, c.caseNo);
      add(ALL_GROUP, tile, c.caseNo);
    }
  }
  for (const s of supervisions.filter((x) => x.status === 'open')) {
    for (const g of [groupOf(s.deptCode), ALL_GROUP]) {
      add(g, 'underSupervision', s.caseNo);
      if (s.level === 'flagged') add(g, 'flagged', s.caseNo);
    }
  }
  return new Map(
    [...sets].map(([g, s]) => [
      g,
      { dueThisWeek: s.dueThisWeek.size, overdue: s.overdue.size, underSupervision: s.underSupervision.size, flagged: s.flagged.size },
    ]),
  );
}

const nonZero = (m: Map<string, TileCounts>) =>
  Object.fromEntries([...m].filter(([, c]) => c.dueThisWeek + c.overdue + c.underSupervision + c.flagged > 0).sort(([a], [b]) => a.localeCompare(b)));

describe('dashboard tallies', () => {
  it('count exactly what the cases count, on every day of six weeks, over 300 random cases', () => {
    const rnd = random(13);
    const cases = Array.from({ length: 300 }, (_, i) => randomCase(rnd, i));
    const supervisions: Supervision[] = cases.flatMap((c) =>
      (['handling', 'departmentDue'] as const).flatMap((kind) =>
        rnd() < 0.3
          ? [
              {
                supervisionId: `${kind}.2026-04-20`,
                caseNo: c.caseNo,
                kind,
                due: '2026-04-20',
                deptCode: rnd() < 0.5 ? 'HRSS' : undefined,
                subject: c.subject,
                level: rnd() < 0.4 ? ('flagged' as const) : ('supervision' as const),
                openedOn: '2026-04-21',
                letters: [],
                answers: [],
                status: rnd() < 0.8 ? ('open' as const) : ('resolved' as const),
              },
            ]
          : [],
      ),
    );
    let checked = 0;
    for (let today = '2026-04-15'; today <= '2026-05-31'; today = addDays(today, 1)) {
      const end = weekEnd(today);
      const expected = nonZero(bruteForce(cases, supervisions, today, end));
      expect(nonZero(countCases(cases, supervisions, today, end)), today).toEqual(expected);
      checked += Object.keys(expected).length;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('count a case with two clocks in one group once, and in each of two groups once each (once in the totals)', () => {
    const c = randomCase(random(1), 1);
    const clock = (kind: ClockKind, due: string): ClockState => ({ ...base, kind, status: 'running', due });
    // Assigned to HRSS: handling and departmentDue are HRSS's, notify the office's.
    const two: Case = {
      ...c,
      status: 'assigned',
      deptCode: 'HRSS',
      clocks: { handling: clock('handling', '2026-05-04'), departmentDue: clock('departmentDue', '2026-05-06'), notify: clock('notify', '2026-05-01') },
    };
    const counts = countCases([two], [], '2026-05-04', weekEnd('2026-05-04'));
    expect(counts.get('HRSS')).toEqual({ dueThisWeek: 1, overdue: 0, underSupervision: 0, flagged: 0 });
    expect(counts.get('~OFFICE')).toEqual({ dueThisWeek: 0, overdue: 1, underSupervision: 0, flagged: 0 });
    expect(counts.get(ALL_GROUP)).toEqual({ dueThisWeek: 1, overdue: 1, underSupervision: 0, flagged: 0 });
    // A predecessor more than six days before a day is written `<`: a bounded number of tallies per day.
    const far: Case = { ...two, clocks: { handling: clock('handling', '2026-03-01'), departmentDue: clock('departmentDue', '2026-05-06') } };
    expect(clockTallies(far)).toContain('N#2026-05-06#HRSS#<');
    expect(countTallies([{ name: 'N#2026-05-06#HRSS#<', n: 3 }], '2026-05-04', '2026-05-10').get('HRSS')?.dueThisWeek).toBe(3);
  });

  it('count open supervisions by case and level, the resolved ones not at all', () => {
    const s = { deptCode: 'HRSS', level: 'flagged' as const, status: 'open' as const };
    expect(supervisionTallies([s, { ...s, level: 'supervision' }])).toEqual(['S#*#flagged', 'S#*#open', 'S#HRSS#flagged', 'S#HRSS#open']);
    expect(supervisionTallies([{ ...s, status: 'resolved' }])).toEqual([]);
  });
});

/**
 * The dashboard's counts as tallies (docs/sweeps.md, "The dashboard"): what each case adds to the
 * four tiles, as a set of named counters, so the dashboard reads a few counters instead of every
 * running clock and every open supervision.
 *
 * A tile counts cases, not clocks (a case with two clocks in a group counts once), and the
 * clock tiles depend on the day they are read (`today`, and the week's end). A case contributes,
 * per group (a department, the office itself, and `*` for the totals over every group), the
 * distinct due days d1 < d2 < … < dk of its running dashboard clocks in that group:
 *
 * - `F#<d1>#<group>` (first): overdue = Σ first tallies with d1 < today — the case is overdue
 *   in the group exactly when its earliest day is before today;
 * - `N#<di>#<group>#<p>` for i ≥ 2 with its predecessor p = d(i-1): the case is due this week when
 *   one of its days lies in [today, weekEnd]; the first such day is the only one whose predecessor
 *   is before today. So due this week = Σ first tallies with today ≤ d1 ≤ weekEnd + Σ next tallies
 *   with today ≤ di ≤ weekEnd and p < today. Since weekEnd ≤ today + 6, a predecessor more than 6
 *   days before di is always before today: it is written `<` (a bounded number of variants per day).
 *
 * And per group, while the case has an open supervision there (of any clock), `S#<group>#open`,
 * and `S#<group>#flagged` while one of them is flagged.
 *
 * A write moves the counters by the difference between the case's tallies before and after it, in
 * the same transaction (the adapters). Pure: no storage, no AWS SDK.
 */
import type { Case } from './case';
import type { ClockKind } from './clocks';
import type { Supervision } from './supervision';
import { DASHBOARD_CLOCKS, holdingDepartment } from './sweep';
import { addDays } from './time';

/** The group of the office's own clocks and supervisions (no department holds the case). */
export const OFFICE_GROUP = '~OFFICE';
/** The group of the totals: every case once, whatever its groups. */
export const ALL_GROUP = '*';

/** The department a clock of the dashboard belongs to (null: the office's own). */
export function dashboardDepartment(c: Pick<Case, 'status' | 'deptCode'>, kind: ClockKind): string | null {
  return (kind === 'departmentDue' ? c.deptCode : kind === 'handling' ? holdingDepartment(c) : undefined) ?? null;
}

export function groupOf(deptCode: string | null | undefined): string {
  return deptCode ?? OFFICE_GROUP;
}

export function deptOfGroup(group: string): string | null {
  return group === OFFICE_GROUP ? null : group;
}

export interface DashboardClock {
  kind: ClockKind;
  due: string;
  deptCode: string | null;
}

/** The running clocks of a case the dashboard counts, with their group. */
export function dashboardClocks(c: Pick<Case, 'status' | 'deptCode' | 'clocks'>): DashboardClock[] {
  return DASHBOARD_CLOCKS.flatMap((kind) => {
    const clock = c.clocks[kind];
    return clock && clock.status === 'running' ? [{ kind, due: clock.due, deptCode: dashboardDepartment(c, kind) }] : [];
  });
}

/** A predecessor this far before a day is before any `today` whose week contains the day. */
const WEEK_SPAN = 6;
const FAR = '<';

/** The clock tallies of a case (sorted, distinct). */
export function clockTallies(c: Pick<Case, 'status' | 'deptCode' | 'clocks'>): string[] {
  const days = new Map<string, Set<string>>();
  for (const k of dashboardClocks(c)) {
    for (const g of [groupOf(k.deptCode), ALL_GROUP]) {
      const set = days.get(g) ?? new Set<string>();
      set.add(k.due);
      days.set(g, set);
    }
  }
  const out: string[] = [];
  for (const [g, set] of days) {
    const sorted = [...set].sort();
    sorted.forEach((d, i) => {
      if (i === 0) out.push(`F#${d}#${g}`);
      else {
        const p = sorted[i - 1] as string;
        out.push(`N#${d}#${g}#${p < addDays(d, -WEEK_SPAN) ? FAR : p}`);
      }
    });
  }
  return out.sort();
}

/** The supervision tallies of a case from its supervisions (the open ones count). */
export function supervisionTallies(supervisions: readonly Pick<Supervision, 'status' | 'level' | 'deptCode'>[]): string[] {
  const out = new Set<string>();
  for (const s of supervisions) {
    if (s.status !== 'open') continue;
    for (const g of [groupOf(s.deptCode), ALL_GROUP]) {
      out.add(`S#${g}#open`);
      if (s.level === 'flagged') out.add(`S#${g}#flagged`);
    }
  }
  return [...out].sort();
}

/** The counter moves of a change: +1 for each tally gained, -1 for each lost. */
export function tallyDelta(before: readonly string[], after: readonly string[]): Map<string, number> {
  const delta = new Map<string, number>();
  const was = new Set(before);
  const now = new Set(after);
  for (const t of now) if (!was.has(t)) delta.set(t, 1);
  for (const t of was) if (!now.has(t)) delta.set(t, -1);
  return delta;
}

export function sameTallies(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
}

/** The sort-key ranges of the tallies the dashboard of `today` reads (first through the week's end, next within the week, supervisions). */
export const TALLY_RANGES = {
  first: (end: string) => ({ from: 'F#', to: `F#${end}#~` }),
  next: (today: string, end: string) => ({ from: `N#${today}`, to: `N#${end}#~` }),
  supervisions: () => ({ from: 'S#', to: 'S#~' }),
};

export interface TileCounts {
  dueThisWeek: number;
  overdue: number;
  underSupervision: number;
  flagged: number;
}

export function emptyCounts(): TileCounts {
  return { dueThisWeek: 0, overdue: 0, underSupervision: 0, flagged: 0 };
}

/**
 * The counts per group (and `*`, the totals) from the tallies read (name and count), for `today`
 * and the week's end. Tallies outside the day's ranges are ignored.
 */
export function countTallies(tallies: readonly { name: string; n: number }[], today: string, end: string): Map<string, TileCounts> {
  const out = new Map<string, TileCounts>();
  const add = (g: string, tile: keyof TileCounts, n: number) => {
    const c = out.get(g) ?? emptyCounts();
    c[tile] += n;
    out.set(g, c);
  };
  for (const { name, n } of tallies) {
    if (n === 0) continue;
    const parts = name.split('#');
    if (parts[0] === 'F' && parts.length === 3) {
      const [, d, g] = parts as [string, string, string];
      if (d < today) add(g, 'overdue', n);
      else if (d <= end) add(g, 'dueThisWeek', n);
    } else if (parts[0] === 'N' && parts.length === 4) {
      const [, d, g, p] = parts as [string, string, string, string];
      if (d >= today && d <= end && (p === FAR || p < today)) add(g, 'dueThisWeek', n);
    } else if (parts[0] === 'S' && parts.length === 3) {
      const [, g, level] = parts as [string, string, string];
      if (level === 'open') add(g, 'underSupervision', n);
      else if (level === 'flagged') add(g, 'flagged', n);
    }
  }
  return out;
}

/** The counts of the dashboard computed from the cases and their supervisions themselves (the oracle of the tallies). */
export function countCases(
  cases: readonly Pick<Case, 'status' | 'deptCode' | 'clocks'>[],
  supervisions: readonly Pick<Supervision, 'status' | 'level' | 'deptCode' | 'caseNo'>[],
  today: string,
  end: string,
): Map<string, TileCounts> {
  const tallies = new Map<string, number>();
  const add = (t: string) => tallies.set(t, (tallies.get(t) ?? 0) + 1);
  for (const c of cases) clockTallies(c).forEach(add);
  const byCase = new Map<string, Pick<Supervision, 'status' | 'level' | 'deptCode'>[]>();
  for (const s of supervisions) byCase.set(s.caseNo, [...(byCase.get(s.caseNo) ?? []), s]);
  for (const list of byCase.values()) supervisionTallies(list).forEach(add);
  return countTallies(
    [...tallies].map(([name, n]) => ({ name, n })),
    today,
    end,
  );
}

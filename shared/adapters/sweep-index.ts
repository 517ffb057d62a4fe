/**
 * The deadline sweep's index attributes of clock and case items: every time the repository
 * writes a clock item (a transition changed the clock) it asks here for the clock's next
 * milestone, computed by the pure domain (nextSweepAction), and stores it as the `bySweep` keys;
 * a clock with nothing left to do carries none. A closed case carries an `archive` entry until
 * the sweep marks it eligible for archiving. See docs/sweeps.md.
 */
import type { Case } from '../domain/case';
import { officeCalendar, type ClockKind, type ClockState, type HolidayCalendar } from '../domain/clocks';
import { archiveEligibleDate, DEFAULT_SWEEP_POLICY, nextSweepAction, type Milestone, type SweepPolicy } from '../domain/sweep';
import { shanghaiDate } from '../domain/time';
import { ARCHIVE_TARGET, sweepIndex, sweepShard } from '../storage/sweep-keys';

type Item = Record<string, unknown>;

/** The attributes of an item's sweep entry (`sweepMilestone` names what is due on the date). */
export function sweepEntryAttributes(caseNo: string, target: string, m: Milestone): Item {
  return {
    bySweepPk: sweepIndex.entries(sweepShard(caseNo)),
    bySweepSk: sweepIndex.entrySk(m.date, caseNo, target),
    sweepMilestone: m.name,
    sweepDate: m.date,
  };
}

export class SweepIndexer {
  constructor(
    readonly policy: SweepPolicy = DEFAULT_SWEEP_POLICY,
    readonly calendar: Pick<HolidayCalendar, 'isWorkingDay'> = officeCalendar,
  ) {}

  /** The sweep entry of a clock item, or nothing. */
  clock(caseNo: string, kind: ClockKind, clock: ClockState): Item {
    const next = nextSweepAction(kind, clock, this.policy, this.calendar);
    return next ? sweepEntryAttributes(caseNo, kind, next) : {};
  }

  /** The archive-eligibility entry of a closed case not yet marked, or nothing. */
  caseItem(c: Case): Item {
    if (c.status !== 'closed' || !c.closed || c.archiveEligibleOn !== undefined) return {};
    const date = archiveEligibleDate(c, this.policy, shanghaiDate(new Date(c.closed.at)));
    return date ? sweepEntryAttributes(c.caseNo, ARCHIVE_TARGET, { name: 'archive', date }) : {};
  }
}

export const defaultSweepIndexer = new SweepIndexer();

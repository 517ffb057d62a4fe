/**
 * The report fact of a case (DESIGN §8): the few fields of a case the statistics read, kept as a
 * small item of its own under the month of receipt (shared/storage/report-keys.ts), written in the
 * same transaction as every change of the case, so a report reads the facts of its months and
 * never the cases. `reportFactOf` derives it from the case alone; the deadline sweep adds the
 * supervision level it opened (a supervision is not part of the case record). Pure.
 */
import { z } from 'zod';
import { IsoDate, RATINGS, STATUSES, type Case } from '../case';
import { SUPERVISION_LEVELS } from '../supervision';
import { CHANNELS, ITEM_TYPES, PETITION_LEVELS } from '../taxonomy';
import { shanghaiDate } from '../time';

const ClockFact = z.object({ due: IsoDate, stoppedOn: IsoDate.optional() });

export const ReportFactSchema = z.object({
  caseNo: z.string(),
  receivedOn: IsoDate,
  channel: z.enum(CHANNELS),
  itemType: z.enum(ITEM_TYPES),
  category: z.string(),
  /** The handling department now (承办单位); absent before assignment. */
  deptCode: z.string().optional(),
  /** 问题属地: the locality code. */
  locality: z.string().optional(),
  /** The level a visit or referral reached. */
  level: z.enum(PETITION_LEVELS).optional(),
  persons: z.number().int().min(1),
  firstTime: z.boolean(),
  status: z.enum(STATUSES),
  /** 受理 / 不予受理 / 转送, and the day it was decided (office time). */
  decision: z.enum(['accept', 'decline', 'transfer']).optional(),
  decidedOn: IsoDate.optional(),
  /** Assigned to a department at least once (交办). */
  assigned: z.boolean(),
  /** The notify clock (告知, 15 days): its due date and the day it stopped. */
  notify: ClockFact.optional(),
  /** The handling clock (办理): its due date (extension included) and the day it stopped (the reply). */
  handling: ClockFact.optional(),
  /** The day the handling opinion was approved (答复). */
  repliedOn: IsoDate.optional(),
  /** The day it was delivered (送达): from then on it may be rated. */
  deliveredOn: IsoDate.optional(),
  rating: z.enum(RATINGS).optional(),
  /** 复查 requested, 复核 requested, 终结 (the re-review opinion delivered). */
  review: z.boolean(),
  rereview: z.boolean(),
  final: z.boolean(),
  /** The highest supervision level opened on the case (the deadline sweep writes it). */
  supervision: z.enum(SUPERVISION_LEVELS).optional(),
});
export type ReportFact = z.infer<typeof ReportFactSchema>;

/** The part of a fact the case determines (everything but the supervision level). */
export type CaseFact = Omit<ReportFact, 'supervision'>;

function clockFact(c: Case, kind: 'notify' | 'handling'): CaseFact['notify'] {
  const k = c.clocks[kind];
  return k ? { due: k.due, ...(k.stoppedOn ? { stoppedOn: k.stoppedOn } : {}) } : undefined;
}

/** The fact of a case as it is now. */
export function reportFactOf(c: Case): CaseFact {
  const fact: CaseFact = {
    caseNo: c.caseNo,
    receivedOn: c.receivedOn,
    channel: c.channel.type,
    itemType: c.itemType,
    category: c.category,
    deptCode: c.deptCode,
    locality: c.locality,
    level: c.level,
    persons: c.persons,
    firstTime: c.firstTime,
    status: c.status,
    decision: c.decision?.action,
    decidedOn: c.decision ? shanghaiDate(new Date(c.decision.at)) : undefined,
    assigned: c.departmentHistory.length > 0,
    notify: clockFact(c, 'notify'),
    handling: clockFact(c, 'handling'),
    repliedOn: c.reply ? shanghaiDate(new Date(c.reply.at)) : undefined,
    deliveredOn: c.delivery?.deliveredOn,
    rating: c.rating?.value,
    review: c.review !== undefined,
    rereview: c.rereview !== undefined,
    final: c.rereview?.opinion !== undefined,
  };
  for (const k of Object.keys(fact) as (keyof CaseFact)[]) if (fact[k] === undefined) delete fact[k];
  return fact;
}

/** Whether a write changes the case's fact (a write that does not leaves the fact alone). */
export function factChanged(before: Case | null, after: Case): boolean {
  return before === null || JSON.stringify(reportFactOf(before)) !== JSON.stringify(reportFactOf(after));
}

/**
 * Keys of the reports' items in the single table (DESIGN §8, §9), beside keys.ts.
 *
 *   item            pk                        sk              what
 *   report fact     RPT#<yyyy-mm>#<shard>     <caseNo>        the case's report fact, under the month of receipt (shared/domain/reports/facts.ts)
 *   frozen report   REPORT#FROZEN             <scope>#<period key>  a published period: its document key, SHA-256, when it was frozen
 *   backfill        REPORT#BACKFILL           progress        where `npm run reports:backfill` stands (month, position), while it runs
 *
 * A report reads the fact partitions of its months (one Query per month and shard), so what it
 * reads grows with the cases received in its period, never with the table. The shard is the case
 * number's byDue shard, so a month's facts spread over DUE_SHARDS partitions and concurrent
 * writes rarely meet. A case's month of receipt never changes, so its fact never moves.
 */
import { ALL_DUE_SHARDS, dueShard } from './keys';

const FACT_PREFIX = 'RPT#';
const FROZEN_PK = 'REPORT#FROZEN';

export const reportKey = {
  /** The fact of a case received on `receivedOn`. */
  fact: (caseNo: string, receivedOn: string) => ({ pk: factPartition(receivedOn.slice(0, 7), dueShard(caseNo)), sk: caseNo }),
  /** The record of a frozen (published) period of a scope (`office`, or a department's). */
  frozen: (scope: string, periodKey: string) => ({ pk: FROZEN_PK, sk: `${scope}#${periodKey}` }),
  /** The backfill's position (shared/app/report-backfill.ts). */
  backfill: () => ({ pk: 'REPORT#BACKFILL', sk: 'progress' }),
};

/** The fact partition of a month (`yyyy-mm`) and shard. */
export function factPartition(month: string, shard: number): string {
  return `${FACT_PREFIX}${month}#${shard}`;
}

/** Every fact partition of the months, in order: what a report Queries. */
export function factPartitions(months: readonly string[]): string[] {
  return months.flatMap((m) => ALL_DUE_SHARDS.map((s) => factPartition(m, s)));
}

/** The partition of the frozen periods' records. */
export const FROZEN_REPORTS_PARTITION = FROZEN_PK;

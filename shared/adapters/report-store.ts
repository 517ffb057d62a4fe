/**
 * The report facts and frozen periods over the single table (shared/storage/report-keys.ts).
 * A case's fact is written by `reportFactWrites` inside the transaction of every change of the
 * case (registration, transitions, the sweep's milestones, the archive's commit), and only when
 * the fact changes; the sweep sets the supervision level beside it. Reads are Queries on the fact
 * partitions of a report's months, counted from DynamoDB's answers (ScannedCount). No Scan.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { FrozenReportRecord, FrozenReportStore, ReportFactStore, ReportNotices } from '../app/report-ports';
import type { Notice } from '../domain/supervision';
import { noticeItem } from './notice-item';
import type { ReadStats } from '../app/sweep-ports';
import type { Case } from '../domain/case';
import { factChanged, reportFactOf, ReportFactSchema, type ReportFact } from '../domain/reports/facts';
import type { SupervisionLevel } from '../domain/supervision';
import { factPartitions, reportKey } from '../storage/report-keys';
import { isConditionFailure, type Item, type TransactItem } from './dynamo-support';

/**
 * The write of a case's fact when a change moves it (none when it does not), with the supervision
 * level a sweep milestone opened (`supervision`): one Update of the fact item, so both can go in
 * one transaction. The level the sweep set earlier is kept; a flagged supervision is never
 * lowered by a later ordinary one (of another clock).
 */
export function reportFactWrites(tableName: string, before: Case | null, after: Case, supervision?: SupervisionLevel): TransactItem[] {
  const changed = factChanged(before, after);
  if (!changed && supervision === undefined) return [];
  const set: string[] = [];
  const values: Record<string, unknown> = {};
  if (changed) {
    set.push('entity = :entity', 'caseNo = :caseNo', 'fact = :fact');
    Object.assign(values, { ':entity': 'report-fact', ':caseNo': after.caseNo, ':fact': reportFactOf(after) });
  }
  if (supervision !== undefined) {
    set.push(supervision === 'flagged' ? 'supervision = :level' : 'supervision = if_not_exists(supervision, :level)');
    values[':level'] = supervision;
  }
  return [
    {
      Update: {
        TableName: tableName,
        Key: reportKey.fact(after.caseNo, after.receivedOn),
        UpdateExpression: `SET ${set.join(', ')}`,
        ExpressionAttributeValues: values,
      },
    },
  ];
}

/**
 * A case's fact as a whole item, for bulk writes (the benchmark's seeding, the backfill's Puts):
 * the same key and attributes `reportFactWrites` sets.
 */
export function reportFactItem(c: Case): Item {
  return { ...reportKey.fact(c.caseNo, c.receivedOn), entity: 'report-fact', caseNo: c.caseNo, fact: reportFactOf(c) };
}

const FrozenRecordSchema = z.object({
  periodKey: z.string(),
  scope: z.string(),
  documentKey: z.string(),
  sha256: z.string(),
  frozenAt: z.string(),
  asOf: z.string(),
  renderings: z.array(z.object({ format: z.string(), documentKey: z.string(), sha256: z.string() })).optional(),
});

/** Partitions Queried at once. */
const PARALLEL = 8;

export class DynamoDbReportStore implements ReportFactStore, FrozenReportStore, ReportNotices {
  private stats: ReadStats = { items: 0, capacityUnits: 0, requests: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  readStats(): ReadStats {
    return { ...this.stats };
  }

  async facts(months: readonly string[]): Promise<ReportFact[]> {
    const partitions = factPartitions(months);
    const out: ReportFact[][] = [];
    let next = 0;
    const worker = async () => {
      while (next < partitions.length) {
        const i = next++;
        out[i] = await this.partition(partitions[i] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, partitions.length) }, worker));
    return out.flat();
  }

  private async partition(pk: string): Promise<ReportFact[]> {
    const facts: ReportFact[] = [];
    let startKey: Item | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ProjectionExpression: 'fact, supervision',
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.stats.items += res.ScannedCount ?? res.Items?.length ?? 0;
      this.stats.requests += 1;
      this.stats.capacityUnits += res.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const i of res.Items ?? []) {
        // A supervision set on a case that had no fact yet (written before facts existed) has no fact: skipped.
        if (i.fact === undefined) continue;
        facts.push(ReportFactSchema.parse({ ...(i.fact as object), ...(i.supervision ? { supervision: i.supervision } : {}) }));
      }
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    return facts;
  }

  async frozenRecord(periodKey: string, scope: string): Promise<FrozenReportRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: reportKey.frozen(scope, periodKey), ConsistentRead: true }));
    return out.Item ? FrozenRecordSchema.parse(out.Item.frozen) : null;
  }

  async recordFrozen(record: FrozenReportRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...reportKey.frozen(record.scope, record.periodKey), entity: 'frozen-report', frozen: FrozenRecordSchema.parse(record) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** The notice of a frozen period, put in the outbox once (the notice sender delivers it from the stream). */
  async notify(notice: Notice): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: noticeItem(notice), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

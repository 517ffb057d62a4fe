/**
 * The backfill's storage (shared/app/report-backfill.ts) over the single table: the cases of a
 * month from the byReceived index (a Query per month partition, the case record projected), the
 * supervisions from the case's partition, the fact written with UpdateItem unless the item has one
 * (keeping a supervision level the sweep set before the fact existed), and the position under
 * REPORT#BACKFILL. No Scan.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { BackfillProgress, ReportBackfillStore } from '../app/report-ports';
import { CaseSchema, type Case } from '../domain/case';
import { reportFactOf } from '../domain/reports/facts';
import { SupervisionSchema, type SupervisionLevel } from '../domain/supervision';
import { ipk, key } from '../storage/keys';
import { reportKey } from '../storage/report-keys';
import { sweepRange } from '../storage/sweep-keys';
import { decodeCursor, encodeCursor, isConditionFailure, type Item } from './dynamo-support';

const PROGRESS_KEY = reportKey.backfill();
const ProgressSchema = z.object({ month: z.string(), cursor: z.string().optional() });
const PAGE = 100;

export class DynamoDbReportBackfillStore implements ReportBackfillStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async casesReceived(month: string, cursor?: string): Promise<{ cases: Case[]; cursor?: string }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byReceived',
        KeyConditionExpression: 'byReceivedPk = :pk',
        ExpressionAttributeValues: { ':pk': ipk.received(month) },
        Limit: PAGE,
        ExclusiveStartKey: decodeCursor<Item>(cursor),
      }),
    );
    const cases = (out.Items ?? []).filter((i) => i.entity === 'case' && i.record !== undefined).map((i) => CaseSchema.parse(i.record));
    const next = encodeCursor(out.LastEvaluatedKey);
    return { cases, ...(next ? { cursor: next } : {}) };
  }

  async supervisionLevel(caseNo: string): Promise<SupervisionLevel | undefined> {
    const levels: SupervisionLevel[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': sweepRange.supervisionsOf() },
          ProjectionExpression: 'supervision',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const i of out.Items ?? []) levels.push(SupervisionSchema.parse(i.supervision).level);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return levels.includes('flagged') ? 'flagged' : levels[0];
  }

  async writeFactIfAbsent(c: Case, supervision?: SupervisionLevel): Promise<boolean> {
    const values: Record<string, unknown> = { ':entity': 'report-fact', ':caseNo': c.caseNo, ':fact': reportFactOf(c) };
    const set = ['entity = :entity', 'caseNo = :caseNo', 'fact = :fact'];
    if (supervision !== undefined) {
      set.push(supervision === 'flagged' ? 'supervision = :level' : 'supervision = if_not_exists(supervision, :level)');
      values[':level'] = supervision;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reportKey.fact(c.caseNo, c.receivedOn),
          UpdateExpression: `SET ${set.join(', ')}`,
          ExpressionAttributeValues: values,
          ConditionExpression: 'attribute_not_exists(fact)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async progress(): Promise<BackfillProgress | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: PROGRESS_KEY, ConsistentRead: true }));
    return out.Item ? ProgressSchema.parse(out.Item.progress) : null;
  }

  async saveProgress(p: BackfillProgress | null): Promise<void> {
    if (p === null) await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: PROGRESS_KEY }));
    else
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...PROGRESS_KEY, entity: 'report-backfill', progress: ProgressSchema.parse(p) } }),
      );
  }
}

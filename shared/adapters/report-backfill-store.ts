/**
 * The backfill's storage (shared/app/report-backfill.ts) over the single table: the cases of a
 * month from the byReceived index (a Query per month partition, the case record projected), the
 * supervisions from the case's partition, the fact written with UpdateItem unless the item has one
 * (keeping a supervision level the sweep set before the fact existed), the dashboard's counters of a
 * case not counted yet (one transaction, conditional on the case as read), and the position under
 * REPORT#BACKFILL. No Scan.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { BackfillProgress, ReportBackfillStore } from '../app/report-ports';
import { CaseSchema, type Case } from '../domain/case';
import { reportFactOf } from '../domain/reports/facts';
import { SupervisionSchema, type Supervision, type SupervisionLevel } from '../domain/supervision';
import { clockTallies, dashboardClocks, supervisionTallies } from '../domain/dashboard';
import { ipk, key } from '../storage/keys';
import { reportKey } from '../storage/report-keys';
import { sweepIndex, sweepKey, sweepRange } from '../storage/sweep-keys';
import { backoff, decodeCursor, encodeCursor, isConditionFailure, type Item, type TransactItem } from './dynamo-support';
import { clockEntryAttributes, readTallies, tallyWrites, type TallyChange, type TallyPart } from './dashboard-tally';

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

  async countForDashboard(caseNo: string): Promise<boolean> {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key.case(caseNo), ConsistentRead: true }));
      if (!out.Item) return false;
      const c = CaseSchema.parse(out.Item.record);
      const stored = await readTallies(this.db, this.tableName, caseNo);
      const supervisions = await this.supervisionsOf(caseNo);
      const parts: Partial<Record<TallyPart, TallyChange>> = {};
      if (stored.clock === null && clockTallies(c).length > 0) parts.clock = { stored: null, next: clockTallies(c) };
      if (stored.sup === null && supervisionTallies(supervisions).length > 0) parts.sup = { stored: null, next: supervisionTallies(supervisions) };
      const tallies = tallyWrites(this.tableName, caseNo, parts);
      // The list entries, written again from the case as it stands (a clock a later write left alone has none yet).
      const entries: TransactItem[] = [
        ...dashboardClocks(c).map(({ kind }) => {
          const a = clockEntryAttributes(c, kind);
          return {
            Update: {
              TableName: this.tableName,
              Key: key.clock(caseNo, kind),
              UpdateExpression: 'SET byDepartmentPk = :pk, byDepartmentSk = :sk, subject = :subject, caseStatus = :status, #label = :label',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#label': 'label' },
              ExpressionAttributeValues: {
                ':pk': a.byDepartmentPk,
                ':sk': a.byDepartmentSk,
                ':subject': a.subject,
                ':status': a.caseStatus,
                ':label': a.label,
              },
            },
          };
        }),
        ...supervisions
          .filter((s) => s.status === 'open' && s.level === 'flagged')
          .map((s) => ({
            Update: {
              TableName: this.tableName,
              Key: sweepKey.supervision(caseNo, s.kind, s.due),
              UpdateExpression: 'SET byDuePk = :fpk, byDueSk = bySweepSk',
              ConditionExpression: '#st = :open AND #lvl = :flagged',
              ExpressionAttributeNames: { '#st': 'state', '#lvl': 'level' },
              ExpressionAttributeValues: { ':fpk': sweepIndex.flaggedSupervisions(), ':open': 'open', ':flagged': 'flagged' },
            },
          })),
      ];
      if (tallies.length === 0 && entries.length === 0) return false;
      const check: TransactItem = {
        ConditionCheck: {
          TableName: this.tableName,
          Key: key.case(caseNo),
          ConditionExpression: 'version = :v AND auditSeq = :seq',
          ExpressionAttributeValues: { ':v': c.version, ':seq': Number(out.Item.auditSeq) },
        },
      };
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [check, ...tallies, ...entries] }));
        return tallies.length > 0;
      } catch (err) {
        // The case (or its supervisions, or its tallies) moved since it was read: read it again.
        if (!(err instanceof TransactionCanceledException)) throw err;
        await backoff(attempt);
      }
    }
    throw new Error(`${caseNo} kept changing while it was counted for the dashboard; run the backfill again`);
  }

  private async supervisionsOf(caseNo: string): Promise<Supervision[]> {
    const out: Supervision[] = [];
    let startKey: Item | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': sweepRange.supervisionsOf() },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(res.Items ?? []).map((i) => SupervisionSchema.parse(i.supervision)));
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    return out;
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

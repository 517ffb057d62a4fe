/**
 * What every DynamoDB adapter of the registry needs: retries with jitter, reading cancellation
 * reasons, paging, cursors, and appending a hash-chained audit event to a case together with
 * other conditional writes. One copy, used by the case, sweep and archive adapters.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventDraft } from '../app/ports';
import { chainEvent, type AuditEvent } from '../domain/audit';
import { ConflictError } from '../domain/errors';
import { key } from '../storage/keys';

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const APPEND_ATTEMPTS = 16;

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** The cancellation reason of each item of a cancelled transaction, in order ('None' where it passed). */
export function cancellationReasons(err: TransactionCanceledException): string[] {
  return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(res.Items ?? []));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** An opaque page cursor (base64url JSON); anything unreadable counts as "from the start". */
export function encodeCursor<T>(value: T | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends object>(s: string | undefined): T | undefined {
  if (!s) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}

export function auditItem(event: AuditEvent): Item {
  return { ...key.audit(event.caseNo, event.seq), entity: 'audit', event };
}

/**
 * Appends an audit event to a case's chain, with `extra` conditional writes in the same
 * transaction; retried when only the chain head moved (another event was appended meanwhile).
 * Returns null when one of `extra`'s conditions failed (nothing was written).
 */
export async function appendAuditEvent(db: DynamoDBDocumentClient, tableName: string, caseNo: string, draft: EventDraft, extra: TransactItem[] = []): Promise<AuditEvent | null> {
  for (let attempt = 1; ; attempt++) {
    const head = await db.send(new GetCommand({ TableName: tableName, Key: key.case(caseNo), ConsistentRead: true, ProjectionExpression: 'auditSeq, auditHead' }));
    if (!head.Item) throw new ConflictError(`No case ${caseNo}`);
    const seq = Number(head.Item.auditSeq);
    const event = chainEvent(seq > 0 ? { seq, hash: String(head.Item.auditHead) } : null, { ...draft, caseNo });
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: key.case(caseNo),
                UpdateExpression: 'SET auditSeq = :next, auditHead = :hash, #r.auditSeq = :next, #r.auditHead = :hash',
                ConditionExpression: 'auditSeq = :seq',
                ExpressionAttributeNames: { '#r': 'record' },
                ExpressionAttributeValues: { ':next': event.seq, ':hash': event.hash, ':seq': seq },
              },
            },
            { Put: { TableName: tableName, Item: auditItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...extra,
          ],
        }),
      );
      return event;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      if (cancellationReasons(err).slice(2).some((r) => r === 'ConditionalCheckFailed')) return null;
      if (attempt >= APPEND_ATTEMPTS) throw err;
      await backoff(attempt);
    }
  }
}

/**
 * What every DynamoDB adapter of the registry needs: retries with jitter, reading cancellation
 * reasons, paging, cursors, and appending a hash-chained audit event to a case together with
 * other conditional writes. One copy, used by the case, sweep and archive adapters.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventDraft } from '../app/ports';
import { chainEvent, type AuditEvent } from '../domain/audit';
import type { DocumentRecord } from '../domain/documents';
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

/**
 * The write that takes numbers `last + 1 … next` of a counter (a case-number or document-number
 * series): conditional on the counter still being at `last`, so a number is taken exactly once and
 * only by the transaction that stores what carries it. The counter's `next` attribute is the last
 * number taken (as the former atomic counters kept it).
 */
export function takeNumbers(tableName: string, counterKey: Item, last: number, next: number, entity: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: counterKey,
      UpdateExpression: 'SET #n = :next, entity = :entity',
      ConditionExpression: last === 0 ? 'attribute_not_exists(#n)' : '#n = :last',
      ExpressionAttributeNames: { '#n': 'next' },
      ExpressionAttributeValues: { ':next': next, ':entity': entity, ...(last === 0 ? {} : { ':last': last }) },
    },
  };
}

/**
 * The counter writes of the numbered letters among `documents`: per series, from the number before
 * the first to the last (the letters of one write take consecutive numbers of their series).
 */
export function documentNumberWrites(tableName: string, documents: DocumentRecord[]): TransactItem[] {
  const series = new Map<string, number[]>();
  for (const d of documents) if (d.numbering) series.set(d.numbering.series, [...(series.get(d.numbering.series) ?? []), d.numbering.seq]);
  return [...series].map(([name, seqs]) => {
    const sorted = [...seqs].sort((a, b) => a - b);
    if (sorted.some((n, i) => i > 0 && n !== (sorted[i - 1] ?? 0) + 1)) throw new Error(`The letters of one write must take consecutive numbers of ${name}`);
    return takeNumbers(tableName, key.documentNumberCounter(name), (sorted[0] ?? 1) - 1, sorted.at(-1) ?? 1, 'document-number-counter');
  });
}

/** The last number taken of a counter (0 when none), read consistently. */
export async function lastNumber(db: DynamoDBDocumentClient, tableName: string, counterKey: Item): Promise<number> {
  const out = await db.send(
    new GetCommand({ TableName: tableName, Key: counterKey, ConsistentRead: true, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'next' } }),
  );
  const n = Number(out.Item?.next ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export function auditItem(event: AuditEvent): Item {
  return { ...key.audit(event.caseNo, event.seq), entity: 'audit', event };
}

/**
 * Appends an audit event to a case's chain, with `extra` conditional writes in the same
 * transaction; retried when only the chain head moved (another event was appended meanwhile).
 * Returns null when one of `extra`'s conditions failed (nothing was written).
 */
export async function appendAuditEvent(
  db: DynamoDBDocumentClient,
  tableName: string,
  caseNo: string,
  draft: EventDraft,
  extra: TransactItem[] = [],
): Promise<AuditEvent | null> {
  for (let attempt = 1; ; attempt++) {
    const head = await db.send(
      new GetCommand({ TableName: tableName, Key: key.case(caseNo), ConsistentRead: true, ProjectionExpression: 'auditSeq, auditHead' }),
    );
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
      if (
        cancellationReasons(err)
          .slice(2)
          .some((r) => r === 'ConditionalCheckFailed')
      )
        return null;
      if (attempt >= APPEND_ATTEMPTS) throw err;
      await backoff(attempt);
    }
  }
}

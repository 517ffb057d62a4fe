/**
 * The OCR readings in the single table (keys in shared/storage/ocr-keys.ts): a status item per
 * document and an item per page, in the case's partition beside the document record, never in
 * the case item. Reads are Queries on the case partition; there is no Scan.
 *
 * Idempotent writes: the pages are Puts of the same items (a retry writes them again, the same),
 * the status moves with conditions — queued only where there is none, never back from done. A
 * queued document has a marker in `OCRQ#<shard>` (written with its status, deleted once its job
 * is done or failed), so the jobs not finished are found without a Scan.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { OcrStore, QueuedOcrJob } from '../app/ocr-ports';
import { OcrDocumentSchema, OcrPageSchema, type OcrDocument, type OcrPage, type OcrReading } from '../domain/ocr';
import { ALL_DUE_SHARDS } from '../storage/keys';
import { ocrKey, ocrQueuedPartition } from '../storage/ocr-keys';
import { cancellationReasons, isConditionFailure, queryAll, type Item } from './dynamo-support';

/** The status item: the document's OCR state without its pages (those are items of their own). */
const StatusItemSchema = OcrDocumentSchema.omit({ pages: true });

/** A queued job's marker (`OCRQ#<shard>`): `sentAt` once the scheduled re-queue has sent it again. */
const MarkerSchema = z.object({ caseNo: z.string(), documentId: z.string(), queuedAt: z.string(), sentAt: z.string().optional() });

const PageItemSchema = z.object({ documentId: z.string(), page: OcrPageSchema });

/** Pages written at once (each a Put: idempotent). */
const PAGE_WRITES = 8;

export class DynamoDbOcrStore implements OcrStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markQueued(caseNo: string, documentId: string, at: string): Promise<OcrDocument> {
    const item = { ...ocrKey.status(caseNo, documentId), entity: 'ocr-status', caseNo, documentId, status: 'queued', attempts: 0, queuedAt: at, updatedAt: at };
    try {
      // The status and the job's marker together: a queued document is always found by queuedJobs.
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: { ...ocrKey.queued(caseNo, documentId), entity: 'ocr-job', caseNo, documentId, queuedAt: at } } },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException) || cancellationReasons(err)[0] !== 'ConditionalCheckFailed') throw err;
      const existing = await this.get(caseNo, documentId);
      if (existing) return existing;
    }
    return { caseNo, documentId, status: 'queued', attempts: 0, queuedAt: at, updatedAt: at, pages: [] };
  }

  async queuedJobs(limit = 1000): Promise<QueuedOcrJob[]> {
    const out: QueuedOcrJob[] = [];
    for (const shard of ALL_DUE_SHARDS) {
      let startKey: Item | undefined;
      do {
        const res = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': ocrQueuedPartition(shard) },
            Limit: limit - out.length,
            ExclusiveStartKey: startKey,
          }),
        );
        out.push(
          ...(res.Items ?? []).map((i) => MarkerSchema.parse(i)).map((m) => ({ caseNo: m.caseNo, documentId: m.documentId, sentAt: m.sentAt ?? m.queuedAt })),
        );
        startKey = res.LastEvaluatedKey;
      } while (startKey && out.length < limit);
      if (out.length >= limit) break;
    }
    return out;
  }

  async markSent(caseNo: string, documentId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ocrKey.queued(caseNo, documentId),
          UpdateExpression: 'SET sentAt = :at',
          // Never recreates the marker of a job finished meanwhile.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async discard(caseNo: string, documentId: string): Promise<void> {
    try {
      // The status first, the marker after: a crash between leaves the marker, and the next
      // re-queue's job, skipped again, discards again.
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: ocrKey.status(caseNo, documentId),
          ConditionExpression: 'attribute_not_exists(#s) OR #s <> :done',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':done': 'done' },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // a reading done stays (and its marker is already gone)
    }
    await this.finishJob(caseNo, documentId);
  }

  /** The job is finished (done, or failed on its last attempt): its marker goes (idempotent). */
  private async finishJob(caseNo: string, documentId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: ocrKey.queued(caseNo, documentId) }));
  }

  async recordFailure(caseNo: string, documentId: string, input: { attempts: number; error: string; failed: boolean; at: string }): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ocrKey.status(caseNo, documentId),
          UpdateExpression:
            'SET #s = :s, attempts = :a, #e = :e, updatedAt = :at, entity = :entity, caseNo = :c, documentId = :d, queuedAt = if_not_exists(queuedAt, :at)',
          ConditionExpression: 'attribute_not_exists(#s) OR #s <> :done',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
          ExpressionAttributeValues: {
            ':s': input.failed ? 'failed' : 'queued',
            ':a': input.attempts,
            ':e': input.error,
            ':at': input.at,
            ':done': 'done',
            ':entity': 'ocr-status',
            ':c': caseNo,
            ':d': documentId,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // done meanwhile (another delivery of the job): the reading stands
      return;
    }
    if (input.failed) await this.finishJob(caseNo, documentId);
  }

  async saveReading(caseNo: string, documentId: string, reading: OcrReading, input: { attempts: number; at: string }): Promise<void> {
    const pages = [...reading.pages];
    for (let i = 0; i < pages.length; i += PAGE_WRITES) {
      await Promise.all(
        pages.slice(i, i + PAGE_WRITES).map((page) =>
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...ocrKey.page(caseNo, documentId, page.page), entity: 'ocr-page', caseNo, documentId, page },
            }),
          ),
        ),
      );
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ocrKey.status(caseNo, documentId),
        UpdateExpression:
          'SET #s = :s, attempts = :a, engine = :g, pageCount = :n, updatedAt = :at, entity = :entity, caseNo = :c, documentId = :d, queuedAt = if_not_exists(queuedAt, :at) REMOVE #e',
        ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
        ExpressionAttributeValues: {
          ':s': 'done',
          ':a': input.attempts,
          ':g': reading.engine,
          ':n': pages.length,
          ':at': input.at,
          ':entity': 'ocr-status',
          ':c': caseNo,
          ':d': documentId,
        },
      }),
    );
    await this.finishJob(caseNo, documentId);
  }

  async get(caseNo: string, documentId: string): Promise<OcrDocument | null> {
    const { pk, sk } = ocrKey.status(caseNo, documentId);
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': ocrKey.documentPrefix(documentId) },
      ConsistentRead: true,
    });
    const status = items.find((i) => i.sk === sk);
    if (!status) return null;
    return toDocument(status, pagesOf(items));
  }

  async readingsOf(caseNo: string): Promise<{ documentId: string; pages: OcrPage[] }[]> {
    const out = new Map<string, { done: boolean; pages: OcrPage[] }>();
    let startKey: Item | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': ocrKey.status(caseNo, '').pk, ':prefix': ocrKey.casePrefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of res.Items ?? []) {
        const documentId = String(item.documentId);
        const entry = out.get(documentId) ?? { done: false, pages: [] };
        out.set(documentId, entry);
        if (item.entity === 'ocr-status') entry.done = item.status === 'done';
        else if (item.entity === 'ocr-page') entry.pages.push(PageItemSchema.parse(item).page);
      }
      startKey = res.LastEvaluatedKey;
    } while (startKey);
    return [...out]
      .filter(([, e]) => e.done)
      .map(([documentId, e]) => ({ documentId, pages: e.pages.sort((a, b) => a.page - b.page) }))
      .sort((a, b) => a.documentId.localeCompare(b.documentId));
  }
}

function pagesOf(items: Item[]): OcrPage[] {
  return items
    .filter((i) => i.entity === 'ocr-page')
    .map((i) => PageItemSchema.parse(i).page)
    .sort((a, b) => a.page - b.page);
}

function toDocument(item: Item, pages: OcrPage[]): OcrDocument {
  const s = StatusItemSchema.parse(item);
  return {
    caseNo: s.caseNo,
    documentId: s.documentId,
    status: s.status,
    attempts: s.attempts,
    queuedAt: s.queuedAt,
    updatedAt: s.updatedAt,
    ...(s.engine !== undefined ? { engine: s.engine } : {}),
    ...(s.error !== undefined ? { error: s.error } : {}),
    pages: s.status === 'done' ? pages : [],
  };
}

/**
 * The CaseRepository over the single DynamoDB table. Every read is a GetItem, a Query on the
 * case partition or a Query on a named index; there is no Scan. Every change is one
 * TransactWriteItems whose first item is the case, conditional on the version the caller read.
 * Items read back are parsed with zod before they become domain objects.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  appendAuditEvent,
  auditItem,
  backoff,
  cancellationReasons,
  decodeCursor,
  documentNumberWrites,
  encodeCursor,
  isConditionFailure,
  lastNumber,
  queryAll,
  takeNumbers,
  type Item,
  type TransactItem,
} from './dynamo-support';
import { z } from 'zod';
import type { CaseQuery, CaseRepository, EventDraft, IdempotencyClaim, Page, TemplateOverride, TemplateStore } from '../app/ports';
import { AuditEventSchema, chainEvent, type AuditEvent } from '../domain/audit';
import { CaseSchema, type Case } from '../domain/case';
import { DocumentRecordSchema, type DocumentRecord } from '../domain/documents';
import { ConflictError, NumberTakenError } from '../domain/errors';
import { LETTER_TYPES, type LetterType } from '../domain/letter-types';
import { addDays } from '../domain/time';
import {
  ALL_DUE_SHARDS,
  awaitingPartition,
  CALENDAR_PARTITION,
  dueShard,
  indexKeys,
  ipk,
  key,
  SK_PREFIX,
  STATS_REGISTERED_PARTITION,
  TEMPLATES_PARTITION,
  through,
} from '../storage/keys';
import { StoredCalendarYearSchema, type StoredCalendarYear } from '../domain/calendar-change';
import type { ClockKind } from '../domain/clocks';
import { awaitingApproval } from '../domain/lifecycle';
import { defaultSweepIndexer, type SweepIndexer } from './sweep-index';
import { searchWrites, type DynamoDbSearchIndex } from './search-index';
import { reportFactWrites } from './report-store';
import { noticeItem } from './notice-item';
import {
  clockEntryAttributes,
  clockEntryChanges,
  clockTalliesChange,
  entryChangeUpdate,
  readTallies,
  tallyWrites,
  type StoredTallies,
} from './dashboard-tally';
import { clockTallies } from '../domain/dashboard';
import type { Notice, SupervisionLevel } from '../domain/supervision';

const IDEMPOTENCY_LEASE_MS = 30_000;
const IDEMPOTENCY_TTL_SEC = 24 * 3600;
const MAX_ATTEMPTS = 8;

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const TemplateOverrideSchema = z.object({
  type: z.enum(LETTER_TYPES),
  text: z.string().min(1),
  updatedBy: z.string(),
  updatedAt: z.string(),
  // Overrides stored before templates were versioned read as version 1.
  version: z.number().int().min(1).default(1),
});

export class DynamoDbCaseRepository implements CaseRepository, TemplateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The deadline sweep's index entries of clock and case items (the office's sweep policy). */
    private readonly sweep: SweepIndexer = defaultSweepIndexer,
    /** The search index, refreshed right after each write that changes what it holds (else it stays pending). */
    private readonly search?: DynamoDbSearchIndex,
  ) {}

  // ---- numbers and idempotency --------------------------------------------------------------

  lastCaseNumber(prefix: string, year: number): Promise<number> {
    return lastNumber(this.db, this.tableName, key.counter(prefix, year));
  }

  lastDocumentNumber(series: string): Promise<number> {
    return lastNumber(this.db, this.tableName, key.documentNumberCounter(series));
  }

  async claimIdempotency(idempotencyKey: string, requestHash: string, now: Date): Promise<IdempotencyClaim> {
    const token = randomUUID();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key.idempotency(idempotencyKey),
            entity: 'idempotency',
            requestHash,
            state: 'in-progress',
            token,
            leaseUntil: now.getTime() + IDEMPOTENCY_LEASE_MS,
            expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SEC,
          },
          // New, or an earlier attempt that died holding the lease.
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :inProgress AND leaseUntil < :now AND requestHash = :hash)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':now': now.getTime(), ':hash': requestHash },
        }),
      );
      return { state: 'claimed', token };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const existing = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key.idempotency(idempotencyKey), ConsistentRead: true }));
    const item = existing.Item;
    if (!item) return { state: 'in-progress' };
    if (item.requestHash !== requestHash) return { state: 'mismatch' };
    if (item.state === 'done') return { state: 'done', caseNo: String(item.caseNo), queryCode: String(item.queryCode ?? '') };
    return { state: 'in-progress' };
  }

  // ---- cases --------------------------------------------------------------------------------

  async createCase(input: {
    case: Case;
    caseNumber: { prefix: string; year: number; seq: number };
    event: EventDraft;
    documents: DocumentRecord[];
    sealedQueryCode?: string;
    idempotency?: { key: string; token: string; queryCode: string };
  }): Promise<Case> {
    const event = chainEvent(null, { ...input.event, caseNo: input.case.caseNo });
    const c: Case = { ...input.case, auditSeq: event.seq, auditHead: event.hash };
    const items: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: caseItem(withoutParts(c), this.sweep), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...casePartItems(this.tableName, null, c),
      ...searchWrites(this.tableName, null, c),
      ...reportFactWrites(this.tableName, null, c),
      // The dashboard's counters: the new case counted once, with it.
      ...tallyWrites(this.tableName, c.caseNo, { clock: { stored: null, next: clockTallies(c) } }),
      { Put: { TableName: this.tableName, Item: auditItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...c.petitionerKeys.map((identity) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...key.petitioner(c.caseNo, identity), entity: 'petitioner', caseNo: c.caseNo, ...indexKeys.petitioner(c.caseNo, identity, c.receivedOn) },
        },
      })),
      ...clockItems(c, null, this.sweep).map((Item) => ({ Put: { TableName: this.tableName, Item } })),
      ...input.documents.map((d) => ({ Put: { TableName: this.tableName, Item: documentItem(d), ConditionExpression: 'attribute_not_exists(pk)' } })),
    ];
    if (input.sealedQueryCode) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...key.queryCode(c.caseNo), entity: 'query-code', caseNo: c.caseNo, sealed: input.sealedQueryCode },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    // The case number and the numbers of its letters are taken here, with the case: gapless.
    const numbers = items.length;
    const { prefix, year, seq } = input.caseNumber;
    items.push(
      takeNumbers(this.tableName, key.counter(prefix, year), seq - 1, seq, 'case-number-counter'),
      ...documentNumberWrites(this.tableName, input.documents),
    );
    const numbersEnd = items.length;
    // The registrations-per-month counter, in the same transaction: counted once, with the case.
    items.push({
      Update: {
        TableName: this.tableName,
        Key: key.registrationsCounter(c.receivedOn.slice(0, 7), dueShard(c.caseNo)),
        UpdateExpression: 'ADD #n :one SET entity = :entity, #m = :month',
        ExpressionAttributeNames: { '#n': 'count', '#m': 'month' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'registrations-counter', ':month': c.receivedOn.slice(0, 7) },
      },
    });
    if (input.idempotency) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: key.idempotency(input.idempotency.key),
          UpdateExpression: 'SET #s = :done, caseNo = :caseNo, queryCode = :code',
          ConditionExpression: '#t = :token',
          ExpressionAttributeNames: { '#s': 'state', '#t': 'token' },
          ExpressionAttributeValues: { ':done': 'done', ':caseNo': c.caseNo, ':code': input.idempotency.queryCode, ':token': input.idempotency.token },
        },
      });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        await this.search?.refreshQuietly(c.caseNo);
        return c;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        // Only a collision with another transaction (two registrations adding to the same
        // month's counter at once) is worth repeating: nothing was written, the items are the same.
        const reasons = cancellationReasons(err);
        const idempotencyLost = input.idempotency !== undefined && reasons.at(-1) === 'ConditionalCheckFailed';
        // Another registration took the number (its counter moved, or its case exists): number again.
        if (!idempotencyLost && (reasons[0] === 'ConditionalCheckFailed' || reasons.slice(numbers, numbersEnd).includes('ConditionalCheckFailed'))) {
          throw new NumberTakenError(`${prefix}-${year}`, { cause: err });
        }
        const collided = reasons.includes('TransactionConflict') && !reasons.includes('ConditionalCheckFailed');
        if (!collided || attempt >= MAX_ATTEMPTS) {
          throw new ConflictError('The registration could not be saved (a concurrent retry won); retry with the same Idempotency-Key', {}, { cause: err });
        }
        await backoff(attempt);
      }
    }
  }

  async registrationsPerMonth(fromMonth: string, toMonth: string): Promise<{ month: string; count: number }[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': STATS_REGISTERED_PARTITION, ':from': fromMonth, ':to': through(toMonth) },
    });
    const counts = new Map<string, number>();
    for (const i of items) {
      const month = String(i.sk).slice(0, 7);
      counts.set(month, (counts.get(month) ?? 0) + Number(i.count ?? 0));
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([month, count]) => ({ month, count }));
  }

  /** The whole case: its item and the parts kept beside it (full text, returns), in one Query. */
  async getCase(caseNo: string): Promise<Case | null> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :case)',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':case': SK_PREFIX.case },
      ConsistentRead: true,
    });
    const item = items.find((i) => i.sk === key.case(caseNo).sk);
    return item ? assembleCase(item, items) : null;
  }

  async getSealedQueryCode(caseNo: string): Promise<string | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key.queryCode(caseNo), ConsistentRead: true }));
    const sealed = out.Item?.sealed;
    return typeof sealed === 'string' && sealed !== '' ? sealed : null;
  }

  async saveTransition(before: Case, after: Case, draft: EventDraft, extra: { documents?: DocumentRecord[]; notices?: Notice[] } = {}): Promise<Case> {
    let current = before;
    for (let attempt = 1; ; attempt++) {
      const event = chainEvent(current.auditSeq > 0 ? { seq: current.auditSeq, hash: current.auditHead } : null, { ...draft, caseNo: before.caseNo });
      const next: Case = { ...after, auditSeq: event.seq, auditHead: event.hash };
      const search = searchWrites(this.tableName, before, next);
      const tallies = clockTalliesChange(before, next) ? await readTallies(this.db, this.tableName, before.caseNo) : undefined;
      const items: TransactItem[] = [
        ...versionedCaseWrite(this.tableName, this.sweep, { before, next, event, auditSeq: current.auditSeq, tallies }),
        ...search,
        ...(extra.documents ?? []).map((d) => ({ Put: { TableName: this.tableName, Item: documentItem(d), ConditionExpression: 'attribute_not_exists(pk)' } })),
        // Notices of the transition (the petitioner's SMS): written once, with it.
        ...(extra.notices ?? []).map((n) => ({ Put: { TableName: this.tableName, Item: noticeItem(n), ConditionExpression: 'attribute_not_exists(pk)' } })),
      ];
      // The document numbers of the letters it issues are taken here, with the transition: gapless.
      const numbers = items.length;
      items.push(...documentNumberWrites(this.tableName, extra.documents ?? []));
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        if (search.length > 0) await this.search?.refreshQuietly(next.caseNo);
        return next;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const fresh = await this.getCase(before.caseNo);
        if (!fresh || fresh.version !== before.version) {
          throw new ConflictError(
            'The case was changed by someone else; reload and try again',
            { expected: before.version, current: fresh?.version },
            { cause: err },
          );
        }
        // A letter of the same series was issued meanwhile (on this case or another): number again.
        if (cancellationReasons(err).slice(numbers).includes('ConditionalCheckFailed')) throw new NumberTakenError('document number', { cause: err });
        // Same version: only the audit chain moved (a download was recorded) or transactions collided.
        if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The case is busy; try again', {}, { cause: err });
        current = fresh;
        await backoff(attempt);
      }
    }
  }

  async appendEvent(caseNo: string, draft: EventDraft): Promise<AuditEvent> {
    const event = await appendAuditEvent(this.db, this.tableName, caseNo, draft);
    if (!event) throw new ConflictError(`Could not record the event on ${caseNo}`);
    return event;
  }

  async listEvents(caseNo: string): Promise<AuditEvent[]> {
    return (await this.listRawEvents(caseNo)).map((e) => AuditEventSchema.parse(e) as AuditEvent);
  }

  /** The audit events exactly as stored, for verification (parsing would drop added fields). */
  async listRawEvents(caseNo: string): Promise<unknown[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': SK_PREFIX.audit },
      ConsistentRead: true,
    });
    return items.map((i) => i.event);
  }

  /** The chain head kept on the case item. */
  async auditHead(caseNo: string): Promise<{ seq: number; hash: string } | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key.case(caseNo), ConsistentRead: true, ProjectionExpression: 'auditSeq, auditHead' }),
    );
    return out.Item ? { seq: Number(out.Item.auditSeq), hash: String(out.Item.auditHead) } : null;
  }

  // ---- searching ----------------------------------------------------------------------------

  async findByPetitionerKeys(identities: string[]): Promise<Case[]> {
    const caseNos = new Set<string>();
    for (const identity of new Set(identities)) {
      const items = await this.queryAll({
        TableName: this.tableName,
        IndexName: 'byPetitioner',
        KeyConditionExpression: 'byPetitionerPk = :pk',
        ExpressionAttributeValues: { ':pk': ipk.petitioner(identity) },
        ProjectionExpression: 'caseNo',
      });
      items.forEach((i) => caseNos.add(String(i.caseNo)));
    }
    return this.getCases([...caseNos]);
  }

  async inbox(deptCode: string, limit: number, cursor?: string): Promise<Page<Case>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byDepartment',
        KeyConditionExpression: 'byDepartmentPk = :pk',
        ExpressionAttributeValues: { ':pk': ipk.departmentOpen(deptCode) },
        Limit: limit,
        ExclusiveStartKey: decodeCursor<Cursor>(cursor)?.k,
      }),
    );
    return { items: (out.Items ?? []).map(parseCase), cursor: encodeCursor(out.LastEvaluatedKey ? { k: out.LastEvaluatedKey } : undefined) };
  }

  async list(q: CaseQuery): Promise<Page<Case>> {
    const filter = (c: Case) =>
      (!q.status || c.status === q.status) &&
      (!q.channel || c.channel.type === q.channel) &&
      (!q.awaiting || awaitingApproval(c) === q.awaiting) &&
      (!q.category || c.category === q.category) &&
      (!q.deptCode || c.departmentHistory.includes(q.deptCode)) &&
      (!q.receivedFrom || c.receivedOn >= q.receivedFrom) &&
      (!q.receivedTo || c.receivedOn <= q.receivedTo) &&
      (!q.dueBefore || (c.clocks.handling !== undefined && c.clocks.handling.status !== 'stopped' && c.clocks.handling.due <= q.dueBefore));

    // Pick the most selective index for the query; the remaining filters apply to what it returns.
    if (q.petitionerKeys && q.petitionerKeys.length > 0) {
      return { items: (await this.findByPetitionerKeys(q.petitionerKeys)).filter(filter) };
    }
    if (q.deptCode) {
      return this.pagedLookup(q, filter, [
        {
          IndexName: 'byDepartment',
          KeyConditionExpression: 'byDepartmentPk = :pk',
          ExpressionAttributeValues: { ':pk': ipk.departmentAll(q.deptCode) },
          ScanIndexForward: false,
        },
      ]);
    }
    if (q.dueBefore) {
      return this.pagedLookup(
        q,
        filter,
        ALL_DUE_SHARDS.map((shard) => ({
          IndexName: 'byDue',
          KeyConditionExpression: 'byDuePk = :pk AND byDueSk <= :to',
          FilterExpression: 'kind = :kind',
          ExpressionAttributeValues: { ':pk': ipk.due(shard), ':to': through(q.dueBefore ?? ''), ':kind': 'handling' },
        })),
      );
    }
    if (q.awaiting) {
      // The director's queue: the marker items of what waits, never the whole status.
      return this.pagedLookup(q, filter, [{ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': awaitingPartition(q.awaiting) } }]);
    }
    if (q.status) {
      return this.pagedCases(q, filter, [
        { IndexName: 'byStatus', KeyConditionExpression: 'byStatusPk = :pk', ExpressionAttributeValues: { ':pk': ipk.status(q.status) } },
      ]);
    }
    const to = q.receivedTo ?? '9999-12-31';
    const from = q.receivedFrom ?? '0000-01-01';
    if (q.category) {
      const years = yearsBetween(q.receivedFrom, q.receivedTo);
      return this.pagedCases(
        q,
        filter,
        years.map((y) => ({
          IndexName: 'byCategory',
          KeyConditionExpression: 'byCategoryPk = :pk AND byCategorySk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': ipk.category(q.category ?? '', y), ':from': from, ':to': through(to) },
          ScanIndexForward: false,
        })),
      );
    }
    const months = monthsBetween(q.receivedFrom, q.receivedTo);
    return this.pagedCases(
      q,
      filter,
      months.map((m) => ({
        IndexName: 'byReceived',
        KeyConditionExpression: 'byReceivedPk = :pk AND byReceivedSk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': ipk.received(m), ':from': from, ':to': through(to) },
        ScanIndexForward: false,
      })),
    );
  }

  /** Pages through a list of index partitions, in order, whose items are case items. */
  private async pagedCases(q: CaseQuery, filter: (c: Case) => boolean, parts: Omit<QueryCommandInput, 'TableName'>[]): Promise<Page<Case>> {
    return this.paged(q, parts, async (items) => items.map(parseCase).filter(filter));
  }

  /** Same, for index items that point at cases (clocks, department history). */
  private async pagedLookup(q: CaseQuery, filter: (c: Case) => boolean, parts: Omit<QueryCommandInput, 'TableName'>[]): Promise<Page<Case>> {
    return this.paged(q, parts, async (items) => (await this.getCases([...new Set(items.map((i) => String(i.caseNo)))])).filter(filter));
  }

  private async paged(q: CaseQuery, parts: Omit<QueryCommandInput, 'TableName'>[], toCases: (items: Item[]) => Promise<Case[]>): Promise<Page<Case>> {
    const start = decodeCursor<Cursor>(q.cursor);
    let part = start?.p ?? 0;
    let startKey = start?.k;
    const out: Case[] = [];
    while (part < parts.length && out.length < q.limit) {
      const res = await this.db.send(new QueryCommand({ TableName: this.tableName, ...parts[part], Limit: q.limit - out.length, ExclusiveStartKey: startKey }));
      out.push(...(await toCases(res.Items ?? [])));
      if (res.LastEvaluatedKey) startKey = res.LastEvaluatedKey;
      else {
        part += 1;
        startKey = undefined;
      }
    }
    const more = part < parts.length;
    return { items: out, cursor: more ? encodeCursor({ p: part, k: startKey }) : undefined };
  }

  private async getCases(caseNos: string[]): Promise<Case[]> {
    const out: Case[] = [];
    for (let i = 0; i < caseNos.length; i += 100) {
      let keys: Item[] = caseNos.slice(i, i + 100).map((no) => key.case(no));
      for (let attempt = 1; keys.length > 0; attempt++) {
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        out.push(...(res.Responses?.[this.tableName] ?? []).map(parseCase));
        keys = (res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
        if (keys.length > 0) await backoff(attempt);
      }
    }
    const order = new Map(caseNos.map((no, i) => [no, i]));
    return out.sort((a, b) => (order.get(a.caseNo) ?? 0) - (order.get(b.caseNo) ?? 0));
  }

  private queryAll(input: QueryCommandInput): Promise<Item[]> {
    return queryAll(this.db, input);
  }

  // ---- documents ----------------------------------------------------------------------------

  async putDocument(doc: DocumentRecord, draft: EventDraft): Promise<void> {
    const event = await appendAuditEvent(this.db, this.tableName, doc.caseNo, draft, [
      { Put: { TableName: this.tableName, Item: documentItem(doc), ConditionExpression: 'attribute_not_exists(pk)' } },
    ]);
    if (!event) throw new ConflictError(`Document ${doc.documentId} of ${doc.caseNo} exists already`);
  }

  async getDocument(caseNo: string, documentId: string): Promise<DocumentRecord | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key.document(caseNo, documentId), ConsistentRead: true }));
    return out.Item ? DocumentRecordSchema.parse(out.Item.document) : null;
  }

  async listDocuments(caseNo: string): Promise<DocumentRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': SK_PREFIX.document },
      ConsistentRead: true,
    });
    return items.map((i) => DocumentRecordSchema.parse(i.document)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async recordDocumentCheck(doc: DocumentRecord, expectedStatus: DocumentRecord['status'], draft: EventDraft): Promise<boolean> {
    const event = await appendAuditEvent(this.db, this.tableName, doc.caseNo, draft, [
      {
        Put: {
          TableName: this.tableName,
          Item: documentItem(doc),
          ConditionExpression: '#s = :expected',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':expected': expectedStatus },
        },
      },
    ]);
    return event !== null;
  }

  async stalePendingUploads(before: string, limit: number, cursor?: string): Promise<Page<{ caseNo: string; documentId: string }>> {
    const parts = ALL_DUE_SHARDS.map((shard) => ({
      IndexName: 'bySweep',
      KeyConditionExpression: 'bySweepPk = :pk AND bySweepSk <= :to',
      ExpressionAttributeValues: { ':pk': ipk.pendingUploads(shard), ':to': through(before) },
      ProjectionExpression: 'pk, sk, bySweepPk, bySweepSk, #d.caseNo, #d.documentId',
      ExpressionAttributeNames: { '#d': 'document' },
    }));
    const start = decodeCursor<Cursor>(cursor);
    let part = start?.p ?? 0;
    let startKey = start?.k;
    const items: { caseNo: string; documentId: string }[] = [];
    while (part < parts.length && items.length < limit) {
      const res = await this.db.send(new QueryCommand({ TableName: this.tableName, ...parts[part], Limit: limit - items.length, ExclusiveStartKey: startKey }));
      for (const i of res.Items ?? []) {
        const d = i.document as { caseNo?: unknown; documentId?: unknown } | undefined;
        if (typeof d?.caseNo === 'string' && typeof d.documentId === 'string') items.push({ caseNo: d.caseNo, documentId: d.documentId });
      }
      if (res.LastEvaluatedKey) startKey = res.LastEvaluatedKey;
      else {
        part += 1;
        startKey = undefined;
      }
    }
    return { items, cursor: part < parts.length ? encodeCursor({ p: part, k: startKey }) : undefined };
  }

  // ---- letter templates of the office -------------------------------------------------------

  async listTemplateOverrides(): Promise<TemplateOverride[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': TEMPLATES_PARTITION, ':prefix': SK_PREFIX.template },
      ConsistentRead: true,
    });
    return items.map((i) => TemplateOverrideSchema.parse(i.template));
  }

  async putTemplateOverride(override: TemplateOverride): Promise<void> {
    const template = TemplateOverrideSchema.parse(override);
    const prev = template.version - 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key.template(template.type), entity: 'template', template },
          ...(prev === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : prev === 1
              ? {
                  ConditionExpression: 'template.version = :prev OR (attribute_exists(pk) AND attribute_not_exists(template.version))',
                  ExpressionAttributeValues: { ':prev': prev },
                }
              : { ConditionExpression: 'template.version = :prev', ExpressionAttributeValues: { ':prev': prev } }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new ConflictError('The template was changed by someone else; reload and try again', { type: template.type });
      throw err;
    }
  }

  // ---- the office's calendar years ----------------------------------------------------------

  async calendarYears(): Promise<StoredCalendarYear[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': CALENDAR_PARTITION.pk, ':prefix': CALENDAR_PARTITION.skPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => StoredCalendarYearSchema.parse(i.calendarYear));
  }

  async putCalendarYear(year: StoredCalendarYear): Promise<void> {
    const calendarYear = StoredCalendarYearSchema.parse(year);
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...key.calendarYear(calendarYear.year), entity: 'calendarYear', calendarYear } }));
  }

  async deleteTemplateOverride(type: LetterType, version?: number): Promise<boolean> {
    try {
      const out = await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key.template(type),
          ReturnValues: 'ALL_OLD',
          ...(version === undefined
            ? {}
            : version === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : version === 1
                ? {
                    ConditionExpression: 'template.version = :v OR (attribute_exists(pk) AND attribute_not_exists(template.version))',
                    ExpressionAttributeValues: { ':v': version },
                  }
                : { ConditionExpression: 'template.version = :v', ExpressionAttributeValues: { ':v': version } }),
        }),
      );
      return out.Attributes !== undefined;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new ConflictError('The template was changed by someone else; reload and try again', { type });
      throw err;
    }
  }
}

// ---- item mapping -----------------------------------------------------------------------------

export function caseItem(c: Case, sweep: SweepIndexer = defaultSweepIndexer): Item {
  const item: Item = {
    ...key.case(c.caseNo),
    entity: 'case',
    caseNo: c.caseNo,
    version: c.version,
    auditSeq: c.auditSeq,
    auditHead: c.auditHead,
    record: c,
    ...indexKeys.case(c),
  };
  Object.assign(item, sweep.caseItem(c));
  return item;
}

/**
 * Clock items for the clocks that changed; running clocks carry the byDue index keys, and a clock
 * the deadline sweep has a milestone for carries the bySweep keys (shared/adapters/sweep-index.ts).
 * A running dashboard clock carries its list entry (byDepartment `DASH#<group>#CLOCKS`, with the
 * case's subject and status); when only the entry changes, `clockEntryChanges` updates it alone.
 * `before`: the case as read (null: new).
 */
export function clockItems(c: Case, before: Case | null, sweep: SweepIndexer = defaultSweepIndexer): Item[] {
  return (Object.entries(c.clocks) as [ClockKind, Case['clocks'][ClockKind] & object][])
    .filter(([kind, clock]) => !before || JSON.stringify(before.clocks[kind]) !== JSON.stringify(clock))
    .map(([kind, clock]) => ({
      ...key.clock(c.caseNo, kind),
      entity: 'clock',
      caseNo: c.caseNo,
      kind,
      status: clock.status,
      due: clock.due,
      deptCode: c.deptCode,
      ...indexKeys.clock(c.caseNo, kind, clock),
      ...sweep.clock(c.caseNo, kind, clock),
      ...clockEntryAttributes(c, kind),
    }));
}

export function documentItem(d: DocumentRecord): Item {
  // A pending upload is on the reconciliation's index until its check settles it (keys.ts).
  return { ...key.document(d.caseNo, d.documentId), entity: 'document', status: d.status, document: d, ...indexKeys.document(d) };
}

function parseCase(item: Item): Case {
  return CaseSchema.parse(item.record);
}

/**
 * A case read from its item alone (lists, the sweep): the parts are not read, so a case written
 * before they moved out carries them inline and is marked so, and its next versioned write writes
 * them out instead of dropping them.
 */
export function caseFromItem(item: Item): Case {
  return assembleCase(item, []);
}

// ---- the parts of a case kept beside its item ---------------------------------------------------

/**
 * Cases read from an item that still holds its parts inline (written before they moved out): the
 * first transition writes them out. (A WeakSet: the registry passes the case it read as `before`.)
 */
const inlineParts = new WeakSet<Case>();

/** The case as its item stores it: the full text and the returns are items of their own. */
export function withoutParts(c: Case): Case {
  return { ...c, fullText: '', returns: [] };
}

/** The case from its item and the part items beside it (any item the item itself still holds inline counts too). */
function assembleCase(item: Item, partItems: Item[]): Case {
  const c = parseCase(item);
  const text = partItems.find((i) => i.entity === 'case-text' && i.field === 'fullText');
  const returns = partItems
    .filter((i) => i.entity === 'case-return')
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .map((i) => ReturnSchema.parse(i.return));
  const assembled: Case = { ...c, fullText: typeof text?.text === 'string' ? text.text : c.fullText, returns: returns.length > 0 ? returns : c.returns };
  if (c.fullText !== '' || c.returns.length > 0) inlineParts.add(assembled);
  return assembled;
}

const ReturnSchema = CaseSchema.shape.returns.element;

/**
 * The part items a write changes: the full text when it changed, and each return added (the
 * history only grows: an existing return is never rewritten).
 */
export function casePartItems(tableName: string, before: Case | null, after: Case): TransactItem[] {
  const inline = before !== null && inlineParts.has(before);
  const items: TransactItem[] = [];
  if ((inline || after.fullText !== (before?.fullText ?? '')) && (after.fullText !== '' || before !== null)) {
    items.push(
      after.fullText === ''
        ? { Delete: { TableName: tableName, Key: key.caseText(after.caseNo, 'fullText') } }
        : {
            Put: {
              TableName: tableName,
              Item: { ...key.caseText(after.caseNo, 'fullText'), entity: 'case-text', caseNo: after.caseNo, field: 'fullText', text: after.fullText },
            },
          },
    );
  }
  const from = inline ? 0 : (before?.returns.length ?? 0);
  if (after.returns.length < from) throw new Error(`The returns of ${after.caseNo} only grow`);
  after.returns.slice(from).forEach((r, i) => {
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...key.caseReturn(after.caseNo, from + i + 1), entity: 'case-return', caseNo: after.caseNo, n: from + i + 1, return: r },
        ...(inline ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    });
  });
  return items;
}

// ---- helpers ----------------------------------------------------------------------------------

interface Cursor {
  p?: number;
  k?: Item;
}

/** Months from `to` back to `from` (newest first), default the last 24 months. */
function monthsBetween(from: string | undefined, to: string | undefined): string[] {
  const end = (to ?? new Date().toISOString().slice(0, 10)).slice(0, 7);
  const start = (from ?? addDays(`${end}-01`, -730)).slice(0, 7);
  const months: string[] = [];
  let [y, m] = end.split('-').map(Number) as [number, number];
  while (months.length < 240) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month < start) break;
    months.push(month);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return months;
}

function yearsBetween(from: string | undefined, to: string | undefined): number[] {
  const end = Number((to ?? new Date().toISOString()).slice(0, 4));
  const start = Number((from ?? `${end - 1}`).slice(0, 4));
  const years: number[] = [];
  for (let y = end; y >= start && years.length < 50; y--) years.push(y);
  return years;
}

export { auditItem };

/** What each item of a versioned case write is, so a writer can tell which condition cancelled it. */
export type CaseWriteRole = 'case' | 'part' | 'fact' | 'audit' | 'clock' | 'entry' | 'department' | 'awaiting' | 'tally';

export interface VersionedCaseWrite {
  before: Case;
  /** The case after the change, its audit head already moved to `event` (when there is one). */
  next: Case;
  event?: AuditEvent;
  /** The audit head the writer read (the case item's condition). */
  auditSeq: number;
  /** The supervision level the change opens or raises (the deadline sweep), kept on the report fact. */
  supervision?: SupervisionLevel;
  /**
   * The deadline sweep's entry it acted on: that clock's item is written only if the entry is
   * still the one the sweep claimed (`bySweepSk = token`), and is labelled `entry`.
   */
  entry?: { kind: string; token: string };
  /** The case's dashboard tallies as the writer read them (`readTallies`): needed when they change. */
  tallies?: StoredTallies;
  /** The case's supervision tallies after this transaction, when it changes its supervisions (the deadline sweep). */
  supervisionTallies?: readonly string[];
}

/**
 * The one versioned write of a case (DESIGN §3): the case item, conditional on the version and the
 * audit head the writer read; the parts kept beside it (full text, returns); the case's report
 * fact when the change moves it; the audit event; the clock items that changed, with the office's
 * sweep entries (`sweep`); the departments it is newly assigned to; the director's-queue marker.
 * A registry transition (`saveTransition`), the archive's commit
 * (`DynamoDbArchiveRepository.commitArchive`) and the deadline sweep's milestone commit
 * (`DynamoDbSweepStore.commit`) write a case through this, each adding its own items to the same
 * transaction; nothing else puts a case item but the registration (`createCase`: a new case).
 * Each item is labelled with its role. And the dashboard's counters when the case's clock tallies
 * change (`tallies`: as the writer read them, `readTallies`; with the supervision tallies of the
 * same transaction, `supervisionTallies`, in the one update of the case's tally item).
 */
export function versionedCaseWriteItems(tableName: string, sweep: SweepIndexer, w: VersionedCaseWrite): { role: CaseWriteRole; item: TransactItem }[] {
  const { before, next } = w;
  const as = (role: CaseWriteRole) => (item: TransactItem) => ({ role, item });
  let tallies: TransactItem[] = [];
  if (clockTalliesChange(before, next) || w.supervisionTallies) {
    if (!w.tallies) throw new Error(`The dashboard tallies of ${next.caseNo} change: read them first (readTallies)`);
    tallies = tallyWrites(tableName, next.caseNo, {
      ...(clockTalliesChange(before, next) ? { clock: { stored: w.tallies.clock, next: clockTallies(next) } } : {}),
      ...(w.supervisionTallies ? { sup: { stored: w.tallies.sup, next: w.supervisionTallies } } : {}),
    });
  }
  return [
    as('case')({
      Put: {
        TableName: tableName,
        Item: caseItem(withoutParts(next), sweep),
        ConditionExpression: 'version = :v AND auditSeq = :seq',
        ExpressionAttributeValues: { ':v': before.version, ':seq': w.auditSeq },
      },
    }),
    ...casePartItems(tableName, before, next).map(as('part')),
    // The report fact, when the change moves a figure (shared/adapters/report-store.ts).
    ...reportFactWrites(tableName, before, next, w.supervision).map(as('fact')),
    ...(w.event ? [as('audit')({ Put: { TableName: tableName, Item: auditItem(w.event), ConditionExpression: 'attribute_not_exists(pk)' } })] : []),
    ...clockItems(next, before, sweep).map((Item) =>
      w.entry && Item.kind === w.entry.kind
        ? as('entry')({
            Put: { TableName: tableName, Item, ConditionExpression: 'bySweepSk = :token', ExpressionAttributeValues: { ':token': w.entry.token } },
          })
        : as('clock')({ Put: { TableName: tableName, Item } }),
    ),
    // The list entries of clocks that stay as they were (the case changed department, status or
    // subject); the sweep's entry clock is left to the sweep's own update of it.
    ...clockEntryChanges(next, before)
      .filter((change) => change.kind !== w.entry?.kind)
      .map((change) => as('clock')(entryChangeUpdate(tableName, next.caseNo, change))),
    ...next.departmentHistory
      .filter((d) => !before.departmentHistory.includes(d))
      .map((deptCode) =>
        as('department')({
          Put: {
            TableName: tableName,
            Item: {
              ...key.departmentHistory(next.caseNo, deptCode),
              entity: 'department-history',
              caseNo: next.caseNo,
              deptCode,
              ...indexKeys.departmentHistory(next.caseNo, deptCode, next.receivedOn),
            },
          },
        }),
      ),
    ...awaitingItems(tableName, before, next).map(as('awaiting')),
    // The dashboard's counters, moved by the difference (shared/adapters/dashboard-tally.ts).
    ...tallies.map(as('tally')),
  ];
}

/** The versioned write's items (`versionedCaseWriteItems`), for a writer that needs no roles. */
export function versionedCaseWrite(tableName: string, sweep: SweepIndexer, w: VersionedCaseWrite): TransactItem[] {
  return versionedCaseWriteItems(tableName, sweep, w).map((i) => i.item);
}

/**
 * The awaiting-approval marker of a transition: removed when the case stops waiting for the
 * director, written when it starts (or waits for something else), in the same transaction.
 */
function awaitingItems(tableName: string, before: Case, after: Case): TransactItem[] {
  const was = awaitingApproval(before);
  const now = awaitingApproval(after);
  if (was === now) return [];
  const items: TransactItem[] = [];
  if (was) items.push({ Delete: { TableName: tableName, Key: key.awaiting(was, before.caseNo) } });
  if (now)
    items.push({
      Put: { TableName: tableName, Item: { ...key.awaiting(now, after.caseNo), entity: 'awaiting', kind: now, caseNo: after.caseNo, since: after.updatedAt } },
    });
  return items;
}

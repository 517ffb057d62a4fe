/**
 * The search index in the single DynamoDB table (docs/search.md; keys in
 * shared/storage/search-keys.ts). Every read is a Query on a postings partition or a BatchGet of
 * known keys; there is no Scan.
 *
 * Writing, in two steps:
 * 1. The transaction that writes a case (registration, transition, archiving) also writes its
 *    search document — when its texts changed — and a pending marker — when anything the index
 *    depends on changed (searchWrites). So the case and what must be indexed commit together.
 * 2. The refresh (right after that transaction, in the same request; or later from the pending
 *    markers: the scheduled retry every 15 minutes, `retryPending`, and `npm run search:reindex`) reads the document and the case, and adds
 *    the case number to the postings block of every (scope, term): `ADD c :caseNo` on a string set,
 *    idempotent, so a refresh repeated or interrupted halfway is simply run again. The marker is
 *    then deleted on the condition that it is still the one read: a write that came meanwhile
 *    leaves its marker, and the case is refreshed again.
 *
 * Postings are only ever added: a term a case no longer holds (an edited text) stays in its
 * block, and the query drops the case when it checks the words on the document. A tokenizer
 * change starts a new key prefix (search-keys.ts) and a reindex.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SearchCost, SearchIndex } from '../app/search-ports';
import type { ScanTextIndex } from '../app/ocr-ports';
import { canonicalJson } from '../domain/audit';
import type { OfficeDirectory } from '../domain/accused';
import { CaseSchema, type Case } from '../domain/case';
import type { HashKey } from '../domain/pii';
import {
  documentTerms,
  SEARCH_FIELD_NAMES,
  searchDocument,
  searchScopes,
  searchStateHash,
  type SearchDocument,
  type SearchField as SearchFieldName,
  withScanText,
} from '../domain/search/document';
import { key } from '../storage/keys';
import { blockOf, pendingPartition, POSTINGS_VERSION, postingsPartition, searchKey } from '../storage/search-keys';
import { ALL_DUE_SHARDS } from '../storage/keys';
import { backoff, isConditionFailure, type Item, type TransactItem } from './dynamo-support';

/** Postings blocks read per Query page, per term. */
const PAGE_BLOCKS = 25;
/** Postings updates in flight at once during a refresh. */
const WRITE_CONCURRENCY = 16;
/** Postings items written in one transaction by refreshMany (TransactWriteItems takes up to 100). */
const POSTINGS_PER_WRITE = 100;
/** Cases finished in one transaction by refreshMany (two items each). */
const FINISH_PER_WRITE = 50;
/**
 * refreshMany's BatchGetItem calls and finishing transactions in flight at once: each is 100 items
 * for DynamoDB Local to handle in one request, and on a busy machine a few dozen at once outlast the
 * client's request timeout (shared/adapters/clients.ts).
 */
const BATCHES_AT_ONCE = 4;

/** An item's key as a string (pk and sk), to find a BatchGetItem's answers by key. */
const keyId = (item: Item): string => `${String(item.pk)}\u0000${String(item.sk)}`;

/** What a refresh of one pending case writes: its postings, then what was applied, then the marker goes. */
interface RefreshPlan {
  caseNo: string;
  marker: Item;
  postings: Posting[];
  applied?: { termsHash: string; scopes: string[] };
}

/** Runs `fn` over `items`, at most `concurrency` at once. */
async function inParallel<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** What the last refresh of a case applied: the hash of its terms, and the scopes they were posted in. */
const AppliedSchema = z.object({ termsHash: z.string(), scopes: z.array(z.string()) });

const DocumentItemSchema = z.object({
  caseNo: z.string(),
  receivedOn: z.string(),
  fields: z.partialRecord(z.enum(SEARCH_FIELD_NAMES as [SearchFieldName, ...SearchFieldName[]]), z.string()),
});

/**
 * The search writes of a case write, for its transaction: the search document when the texts
 * changed, the pending marker when anything the index depends on changed. `before` null: a new case.
 */
export function searchWrites(tableName: string, before: Case | null, after: Case): TransactItem[] {
  const hash = searchStateHash(after);
  if (before !== null && searchStateHash(before) === hash) return [];
  const doc = searchDocument(after);
  const items: TransactItem[] = [];
  if (before === null || canonicalJson(searchDocument(before)) !== canonicalJson(doc)) {
    items.push({ Put: { TableName: tableName, Item: documentItem(doc) } });
  }
  items.push({ Put: { TableName: tableName, Item: { ...searchKey.pending(after.caseNo), entity: 'search-pending', caseNo: after.caseNo, hash } } });
  return items;
}

export function documentItem(doc: SearchDocument): Item {
  return { ...searchKey.document(doc.caseNo), entity: 'search-document', caseNo: doc.caseNo, receivedOn: doc.receivedOn, fields: doc.fields };
}

/** One (scope, term) posting of a case. */
export interface Posting {
  scope: string;
  term: string;
}

/** What a scheduled retry of the pending cases did. */
export interface RetryReport {
  refreshed: number;
  /** The cases whose refresh failed again (they stay pending). */
  failed: string[];
  /** Stopped at the deadline with cases left. */
  more: boolean;
}

export interface SearchIndexOptions {
  piiKey: HashKey;
  /** The office's departments and locality, read at each refresh (an admin may change them). */
  office: OfficeDirectory | (() => OfficeDirectory);
  /** A refresh that failed after its case was saved: the marker stays, the case is refreshed later. */
  onRefreshError?: (caseNo: string, err: unknown) => void;
}

export class DynamoDbSearchIndex implements SearchIndex, ScanTextIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: SearchIndexOptions,
  ) {}

  // ---- writing ------------------------------------------------------------------------------

  /** The postings of a case: every term of its texts and personal numbers, in every scope it is found in. */
  postingsOf(doc: SearchDocument, c: Case): Posting[] {
    const terms = documentTerms(this.options.piiKey, doc, c.petitioners);
    const office = typeof this.options.office === 'function' ? this.options.office() : this.options.office;
    return searchScopes(c, office).flatMap((scope) => [...terms].map((term) => ({ scope, term })));
  }

  /**
   * Brings the index of a case up to date if it is marked pending; false when it was not, or when
   * a write came meanwhile (its marker stays for the next refresh).
   */
  async refresh(caseNo: string): Promise<boolean> {
    const plan = await this.planRefresh(caseNo);
    if (!plan) return false;
    await this.addPostings(caseNo, plan.postings);
    return this.finishRefresh(plan);
  }

  /**
   * Refreshes many pending cases at once (the demo's seeding, a bulk load): each case as
   * `refresh` does, but the postings of all of them merged per postings item, so a term many cases
   * share is one `ADD c :caseNos` instead of one update per case. The number refreshed.
   */
  async refreshMany(caseNos: readonly string[], concurrency = WRITE_CONCURRENCY): Promise<number> {
    // What refresh reads, a BatchGetItem of 100 keys at a time: the markers, then the pending cases' items.
    const unique = [...new Set(caseNos)];
    const markers = await this.consistentBatchGet(
      unique.map((no) => searchKey.pending(no)),
      BATCHES_AT_ONCE,
    );
    const pending = unique.flatMap((caseNo) => {
      const marker = markers.get(keyId(searchKey.pending(caseNo)));
      return marker ? [{ caseNo, marker }] : [];
    });
    const items = await this.consistentBatchGet(
      pending.flatMap(({ caseNo }) => [searchKey.document(caseNo), key.case(caseNo), searchKey.applied(caseNo), searchKey.scanText(caseNo)]),
      BATCHES_AT_ONCE,
    );
    const plans = pending.map(({ caseNo, marker }) =>
      this.planFrom(
        caseNo,
        marker,
        items.get(keyId(searchKey.document(caseNo))),
        items.get(keyId(key.case(caseNo))),
        items.get(keyId(searchKey.applied(caseNo))),
        items.get(keyId(searchKey.scanText(caseNo))),
      ),
    );
    const merged = new Map<string, { key: Item; cases: Set<string> }>();
    for (const plan of plans) {
      const block = blockOf(plan.caseNo);
      for (const p of plan.postings) {
        const id = `${p.scope}\u0000${p.term}\u0000${block}`;
        let entry = merged.get(id);
        if (!entry) merged.set(id, (entry = { key: searchKey.postings(p.scope, p.term, block), cases: new Set() }));
        entry.cases.add(plan.caseNo);
      }
    }
    // Up to POSTINGS_PER_WRITE postings items in one TransactWriteItems: each is still its own
    // `ADD c :caseNos` (idempotent, so a retried chunk adds nothing twice), but one round trip.
    const entries = [...merged.values()];
    const chunks: (typeof entries)[] = [];
    for (let i = 0; i < entries.length; i += POSTINGS_PER_WRITE) chunks.push(entries.slice(i, i + POSTINGS_PER_WRITE));
    await inParallel(chunks, concurrency, (chunk) => (chunk.length === 1 ? this.addToPostings(chunk[0]!.key, chunk[0]!.cases) : this.addToManyPostings(chunk)));
    // What was applied and the markers' deletion, FINISH_PER_WRITE cases a transaction; a case
    // written meanwhile (its marker changed) cancels it, and that chunk is finished case by case.
    let done = 0;
    const finishChunks: RefreshPlan[][] = [];
    for (let i = 0; i < plans.length; i += FINISH_PER_WRITE) finishChunks.push(plans.slice(i, i + FINISH_PER_WRITE));
    await inParallel(finishChunks, BATCHES_AT_ONCE, async (chunk) => {
      if (chunk.length > 1) {
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: chunk.flatMap((plan) => this.finishWrites(plan)) }));
          done += chunk.length;
          return;
        } catch (err) {
          if (!(err instanceof TransactionCanceledException)) throw err;
        }
      }
      for (const plan of chunk) if (await this.finishRefresh(plan)) done += 1;
    });
    return done;
  }

  /** Items by key, read consistently, 100 keys per BatchGetItem (what it leaves unprocessed read again). */
  private async consistentBatchGet(keys: readonly Item[], concurrency: number): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    const chunks: Item[][] = [];
    for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
    await inParallel(chunks, concurrency, async (chunk) => {
      let rest: Item[] = chunk;
      for (let attempt = 1; rest.length > 0; attempt++) {
        if (attempt > 1) await backoff(attempt);
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: rest, ConsistentRead: true } } }));
        for (const item of res.Responses?.[this.tableName] ?? []) found.set(keyId(item), item);
        rest = (res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
      }
    });
    return found;
  }

  /** What a refresh of a pending case adds (null: not pending). */
  private async planRefresh(caseNo: string): Promise<RefreshPlan | null> {
    const get = (Key: Item) => this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })).then((r) => r.Item);
    const marker = await get(searchKey.pending(caseNo));
    if (!marker) return null;
    const [docItem, caseItem, appliedItem, scanItem] = await Promise.all([
      get(searchKey.document(caseNo)),
      get(key.case(caseNo)),
      get(searchKey.applied(caseNo)),
      get(searchKey.scanText(caseNo)),
    ]);
    return this.planFrom(caseNo, marker, docItem, caseItem, appliedItem, scanItem);
  }

  /** The plan of a pending case from its marker, search document, case item, what was applied and its scan text (as read). */
  private planFrom(
    caseNo: string,
    marker: Item,
    docItem: Item | undefined,
    caseItem: Item | undefined,
    appliedItem: Item | undefined,
    scanItem: Item | undefined,
  ): RefreshPlan {
    if (!docItem || !caseItem) return { caseNo, marker, postings: [] };
    const doc = withScanText(DocumentItemSchema.parse(docItem) as SearchDocument, scanTextOf(scanItem));
    const c = CaseSchema.parse(caseItem.record);
    const terms = [...documentTerms(this.options.piiKey, doc, c.petitioners)].sort();
    const scopes = searchScopes(c, typeof this.options.office === 'function' ? this.options.office() : this.options.office);
    // The postings version is part of the hash: after a tokenizer change every case posts again under the new prefix.
    const termsHash = createHash('sha256')
      .update([POSTINGS_VERSION, ...terms].join('\u0000'))
      .digest('hex')
      .slice(0, 32);
    // What an earlier refresh applied: the same terms need only the scopes it did not have.
    const applied = AppliedSchema.safeParse(appliedItem);
    const done = applied.success && applied.data.termsHash === termsHash ? new Set(applied.data.scopes) : new Set<string>();
    const postings = scopes.filter((s) => !done.has(s)).flatMap((scope) => terms.map((term) => ({ scope, term })));
    return { caseNo, marker, postings, applied: { termsHash, scopes: [...new Set([...done, ...scopes])] } };
  }

  /** finishRefresh's writes, for a transaction: what was applied, and the marker deleted if it is still the one read. */
  private finishWrites(plan: RefreshPlan): TransactItem[] {
    const { caseNo, marker } = plan;
    return [
      ...(plan.applied && plan.postings.length > 0
        ? [{ Put: { TableName: this.tableName, Item: { ...searchKey.applied(caseNo), entity: 'search-applied', caseNo, ...plan.applied } } }]
        : []),
      {
        Delete: {
          TableName: this.tableName,
          Key: searchKey.pending(caseNo),
          ConditionExpression: '#h = :h',
          ExpressionAttributeNames: { '#h': 'hash' },
          ExpressionAttributeValues: { ':h': marker.hash },
        },
      },
    ];
  }

  /** After the postings are written: what was applied, then the marker deleted if it is still the one read. */
  private async finishRefresh(plan: RefreshPlan): Promise<boolean> {
    const { caseNo, marker } = plan;
    if (plan.applied && plan.postings.length > 0) {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...searchKey.applied(caseNo), entity: 'search-applied', caseNo, ...plan.applied } }),
      );
    }
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: searchKey.pending(caseNo),
          ConditionExpression: '#h = :h',
          ExpressionAttributeNames: { '#h': 'hash' },
          ExpressionAttributeValues: { ':h': marker.hash },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Indexes a case read whole (the backfill, `npm run search:reindex`): its search document and
   * marker written on the condition that the case is still at the version read (a write that
   * came meanwhile wrote its own), then refreshed. Safe to repeat.
   */
  async reindexCase(c: Case): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: key.case(c.caseNo),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': c.version },
              },
            },
            ...searchWrites(this.tableName, null, c),
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
    }
    await this.refresh(c.caseNo);
  }

  /** refresh, its failure reported (the case is saved; the marker keeps it pending). */
  async refreshQuietly(caseNo: string): Promise<void> {
    try {
      await this.refresh(caseNo);
    } catch (err) {
      (this.options.onRefreshError ?? ((no, e) => console.error(`search: refresh of ${no} failed; it stays pending`, e)))(caseNo, err);
    }
  }

  private async addPostings(caseNo: string, postings: Posting[]): Promise<void> {
    const block = blockOf(caseNo);
    await inParallel(postings, WRITE_CONCURRENCY, (p) => this.addToPostings(searchKey.postings(p.scope, p.term, block), new Set([caseNo])));
  }

  /** `ADD c :cases` on one postings item (a string set: idempotent), retried on throttling. */
  /** Several postings items' `ADD c :caseNos` in one transaction (refreshMany), retried on a conflict as addToPostings is. */
  private async addToManyPostings(entries: readonly { key: Item; cases: Set<string> }[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: entries.map(({ key: Key, cases }) => ({
              Update: {
                TableName: this.tableName,
                Key,
                UpdateExpression: 'ADD c :c SET entity = :e',
                ExpressionAttributeValues: { ':c': cases, ':e': 'search-postings' },
              },
            })),
          }),
        );
        return;
      } catch (err) {
        if (attempt >= 5 || !(err instanceof Error) || !/Throttl|TransactionConflict|TransactionCanceled/.test(err.name)) throw err;
        await backoff(attempt);
      }
    }
  }

  private async addToPostings(Key: Item, cases: Set<string>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'ADD c :c SET entity = :e',
            ExpressionAttributeValues: { ':c': cases, ':e': 'search-postings' },
          }),
        );
        return;
      } catch (err) {
        if (attempt >= 5 || !(err instanceof Error) || !/Throttl|TransactionConflict/.test(err.name)) throw err;
        await backoff(attempt);
      }
    }
  }

  /**
   * The postings items of many new cases at once, merged per block: for filling a table whose
   * blocks hold nothing yet (the bench, a rebuilt index). The same postings as refresh writes.
   */
  static bulkItems(entries: { caseNo: string; postings: Posting[] }[]): Item[] {
    const blocks = new Map<string, { scope: string; term: string; block: string; cases: Set<string> }>();
    for (const { caseNo, postings } of entries) {
      const block = blockOf(caseNo);
      for (const p of postings) {
        const id = `${p.scope}\u0000${p.term}\u0000${block}`;
        let entry = blocks.get(id);
        if (!entry) blocks.set(id, (entry = { ...p, block, cases: new Set() }));
        entry.cases.add(caseNo);
      }
    }
    return [...blocks.values()].map((b) => ({ ...searchKey.postings(b.scope, b.term, b.block), entity: 'search-postings', c: b.cases }));
  }

  /** The cases marked pending in the shards, up to `limit` (oldest markers first is not promised). */
  async pending(limit = 1000): Promise<string[]> {
    const out: string[] = [];
    for (const shard of ALL_DUE_SHARDS) {
      let startKey: Item | undefined;
      do {
        const res = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pendingPartition(shard) },
            ProjectionExpression: 'caseNo',
            Limit: limit - out.length,
            ExclusiveStartKey: startKey,
          }),
        );
        out.push(...(res.Items ?? []).map((i) => String(i.caseNo)));
        startKey = res.LastEvaluatedKey;
      } while (startKey && out.length < limit);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Refreshes every pending case (the reindex; stops at the first failure — the schedule uses retryPending); the number refreshed. */
  async drainPending(): Promise<number> {
    let done = 0;
    for (let round = 0; round < 1000; round++) {
      const batch = await this.pending(100);
      if (batch.length === 0) break;
      let progressed = false;
      for (const caseNo of batch) {
        if (!(await this.refresh(caseNo))) continue;
        done += 1;
        progressed = true;
      }
      if (!progressed) break;
    }
    return done;
  }

  /**
   * The scheduled retry (the `sweep` function's `search-refresh` task, every 15 minutes; the local
   * stack's schedule): refreshes every pending case — a refresh that failed after its case was
   * saved, a bulk load not yet refreshed — each at most once per run, one failure not stopping the
   * others. Stops at `deadline` (epoch ms); `more`: cases were left for the next run.
   */
  async retryPending(options: { deadline?: number; onError?: (caseNo: string, err: unknown) => void } = {}): Promise<RetryReport> {
    const tried = new Set<string>();
    const report: RetryReport = { refreshed: 0, failed: [], more: false };
    for (;;) {
      const batch = (await this.pending(tried.size + 100)).filter((no) => !tried.has(no));
      if (batch.length === 0) return report;
      for (const caseNo of batch) {
        if (options.deadline !== undefined && Date.now() >= options.deadline) return { ...report, more: true };
        tried.add(caseNo);
        try {
          if (await this.refresh(caseNo)) report.refreshed += 1;
        } catch (err) {
          report.failed.push(caseNo);
          options.onError?.(caseNo, err);
        }
      }
    }
  }

  // ---- reading ------------------------------------------------------------------------------

  async candidates(scope: string, terms: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<string[]> {
    if (terms.length === 0) return [];
    const states = [...new Set(terms)].map((term) => ({
      pk: postingsPartition(scope, term),
      blocks: new Map<string, Set<string>>(),
      done: false,
      startKey: undefined as Item | undefined,
    }));
    // Read every term's postings, newest blocks first, a page at a time, until one term is read
    // whole: the rarest terms bound the candidates, so the reads grow with them, not the table.
    while (!states.some((s) => s.done)) {
      await Promise.all(
        states.map(async (s) => {
          const res = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': s.pk },
              ScanIndexForward: false,
              Limit: PAGE_BLOCKS,
              ExclusiveStartKey: s.startKey,
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          count(cost, res.Count, res.ConsumedCapacity?.CapacityUnits);
          for (const item of res.Items ?? []) s.blocks.set(String(item.sk), toSet(item.c));
          s.startKey = res.LastEvaluatedKey;
          s.done = !res.LastEvaluatedKey;
        }),
      );
    }
    const size = (s: (typeof states)[number]) => [...s.blocks.values()].reduce((n, c) => n + c.size, 0);
    const [first, ...rest] = [...states].sort((a, b) => Number(b.done) - Number(a.done) || size(a) - size(b));
    let candidates = new Map([...(first as (typeof states)[number]).blocks].map(([block, set]) => [block, new Set(set)]));
    for (const s of rest) {
      if (!s.done) {
        // Blocks of the candidates this term has not reached yet: read exactly those.
        const lastRead = s.startKey ? String(s.startKey.sk) : '';
        const missing = [...candidates.keys()].filter((b) => !s.blocks.has(b) && b < lastRead);
        for (const [block, set] of await this.getBlocks(s.pk, missing, cost)) s.blocks.set(block, set);
      }
      const next = new Map<string, Set<string>>();
      for (const [block, set] of candidates) {
        const other = s.blocks.get(block);
        if (!other) continue;
        const both = new Set([...set].filter((c) => other.has(c)));
        if (both.size > 0) next.set(block, both);
      }
      candidates = next;
      if (candidates.size === 0) break;
    }
    return [...candidates.values()].flatMap((set) => [...set]).sort((a, b) => b.localeCompare(a));
  }

  private async getBlocks(pk: string, blocks: string[], cost: SearchCost): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const item of await this.batchGet(
      blocks.map((sk) => ({ pk, sk })),
      cost,
    ))
      out.set(String(item.sk), toSet(item.c));
    return out;
  }

  async documents(caseNos: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<SearchDocument[]> {
    // Each case's document and the text of its scans (docs/ocr.md), in one BatchGet.
    const items = await this.batchGet(
      caseNos.flatMap((no) => [searchKey.document(no), searchKey.scanText(no)]),
      cost,
    );
    const scans = new Map(items.filter((i) => i.sk === searchKey.scanText(String(i.caseNo)).sk).map((i) => [String(i.caseNo), scanTextOf(i)]));
    const byCase = new Map(
      items
        .filter((i) => i.sk === searchKey.document(String(i.caseNo)).sk)
        .map((i) => [String(i.caseNo), withScanText(DocumentItemSchema.parse(i) as SearchDocument, scans.get(String(i.caseNo)))]),
    );
    return caseNos.flatMap((no) => byCase.get(no) ?? []);
  }

  /**
   * The text of a case's scans (the OCR, docs/ocr.md): stored unless a text of more readings is
   * there already (readings are only added, so the larger count is the newer text), then the case
   * marked pending and refreshed. The scan text is written before the marker: a refresh that read
   * the text before it was written finds its marker changed and leaves the case pending.
   */
  async setScanText(caseNo: string, text: string, readings: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...searchKey.scanText(caseNo), entity: 'search-scan', caseNo, text, readings },
          ConditionExpression: 'attribute_not_exists(pk) OR readings <= :n',
          ExpressionAttributeValues: { ':n': readings },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return; // a text of more readings is stored: its own job marked and refreshed the case
    }
    const hash = `ocr:${readings}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}:${Date.now()}`;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...searchKey.pending(caseNo), entity: 'search-pending', caseNo, hash } }));
    await this.refreshQuietly(caseNo);
  }

  async cases(caseNos: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<Case[]> {
    const items = await this.batchGet(
      caseNos.map((no) => key.case(no)),
      cost,
    );
    const byCase = new Map(items.map((i) => [String(i.caseNo), CaseSchema.parse(i.record)]));
    return caseNos.flatMap((no) => byCase.get(no) ?? []);
  }

  private async batchGet(keys: Item[], cost: SearchCost): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let batch = keys.slice(i, i + 100);
      for (let attempt = 1; batch.length > 0; attempt++) {
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: batch } }, ReturnConsumedCapacity: 'TOTAL' }));
        const got = res.Responses?.[this.tableName] ?? [];
        count(
          cost,
          got.length,
          res.ConsumedCapacity?.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0),
        );
        out.push(...got);
        batch = (res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
        if (batch.length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  /** Writes items with BatchWriteItem, `concurrency` batches at once (the bulk path: bench, reindex of a fresh table). */
  async putAll(items: Item[], concurrency = 1): Promise<void> {
    const batches: Item[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let requests = (batches[next++] as Item[]).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 1; requests.length > 0; attempt++) {
          const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
          requests = (res.UnprocessedItems?.[this.tableName] as typeof requests | undefined) ?? [];
          if (requests.length > 0) await backoff(attempt);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }
}

function scanTextOf(item: Item | undefined): string | undefined {
  return typeof item?.text === 'string' ? item.text : undefined;
}

function count(cost: SearchCost, items: number | undefined, capacity: number | undefined): void {
  cost.items += items ?? 0;
  cost.capacity += capacity ?? 0;
}

function toSet(value: unknown): Set<string> {
  if (value instanceof Set) return new Set([...value].map(String));
  if (Array.isArray(value)) return new Set(value.map(String));
  return new Set();
}

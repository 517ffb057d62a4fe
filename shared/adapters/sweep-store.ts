/**
 * The deadline sweep's stores over the single table (shared/app/sweep-ports.ts): the sweep's
 * index entries, supervisions, the outbox. Every read is a GetItem, a BatchGetItem or a Query on
 * a key; there is no Scan. Every acted milestone is ONE TransactWriteItems: the entry's clock
 * item (conditional on the entry as read), the case (conditional on its version, or on its audit
 * head when only an event is appended), the audit event, the notices and the supervision
 * (conditional on not existing / on their state) and the 督办单's document record. So a sweep
 * that runs twice, or is killed half-way and run again, writes each of them exactly once.
 * Items read back are parsed with zod.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '../app/ports';
import type {
  ClaimResult,
  CommitResult,
  DashboardClockEntry,
  MilestoneCommit,
  OutboxEntry,
  OutboxStore,
  ReadStats,
  RunningClock,
  SweepEntry,
  SweepStore,
  SupervisionWrite,
  Tally,
  UndeliveredEntry,
} from '../app/sweep-ports';
import { chainEvent } from '../domain/audit';
import { CaseSchema, STATUSES, type Case, type CaseStatus } from '../domain/case';
import { CLOCK_KINDS, type ClockKind } from '../domain/clocks';
import {
  DeliverySchema,
  NoticeSchema,
  SupervisionSchema,
  supervisionId,
  type Delivery,
  type Notice,
  type NoticeStatus,
  type Supervision,
} from '../domain/supervision';
import { CLOCK_LABELS, MILESTONE_PATTERN, type Milestone, type MilestoneName } from '../domain/sweep';
import { ipk, key, through } from '../storage/keys';
import { ALL_SWEEP_SHARDS, ARCHIVE_TARGET, dashboardIndex, dashboardKey, sweepIndex, sweepKey, sweepRange, sweepShard } from '../storage/sweep-keys';
import { caseFromItem, documentItem, versionedCaseWriteItems, type CaseWriteRole } from './dynamodb-repository';
import {
  clockEntryChanges,
  clockTalliesChange,
  entryChangeExpression,
  readTallies,
  tallyWrites,
  type EntryChange,
  type StoredTallies,
} from './dashboard-tally';
import { supervisionTallies, TALLY_RANGES, groupOf } from '../domain/dashboard';
import { auditItem, backoff, decodeCursor, documentNumberWrites, encodeCursor, type Item } from './dynamo-support';
import { defaultSweepIndexer, sweepEntryAttributes, type SweepIndexer } from './sweep-index';
import { reportFactWrites } from './report-store';
import { noticeItem, noticeKey } from './notice-item';

export { noticeItem, noticeKey };

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
type Role = 'entry' | 'case' | 'audit' | 'notice' | 'supervision-open' | 'supervision' | 'document' | 'clock' | 'number' | 'fact' | 'tally';

/** How the versioned case write's items count here: a part that exists already means the case moved. */
const CASE_WRITE_ROLES: Record<CaseWriteRole, Role> = {
  case: 'case',
  part: 'case',
  fact: 'fact',
  audit: 'audit',
  clock: 'clock',
  entry: 'entry',
  department: 'clock',
  awaiting: 'clock',
  tally: 'tally',
};

const PAGE = 100;
const SWEEP_KEYS = 'bySweepPk, bySweepSk, sweepMilestone, sweepDate';

export class DynamoDbSweepStore implements SweepStore, OutboxStore {
  private stats: ReadStats = { items: 0, capacityUnits: 0, requests: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexer: SweepIndexer = defaultSweepIndexer,
  ) {}

  readStats(): ReadStats {
    return { ...this.stats };
  }

  shards(): readonly number[] {
    return ALL_SWEEP_SHARDS;
  }

  private count(items: number, consumed: { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined): void {
    this.stats.items += items;
    this.stats.requests += 1;
    for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) this.stats.capacityUnits += c.CapacityUnits ?? 0;
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueryCommandOutput> {
    const out = await this.db.send(new QueryCommand({ TableName: this.tableName, ReturnConsumedCapacity: 'TOTAL', ...input }));
    this.count(out.ScannedCount ?? out.Items?.length ?? 0, out.ConsumedCapacity);
    return out;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.query({ ...input, ExclusiveStartKey: startKey });
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  // ---- the sweep ----------------------------------------------------------------------------

  async dueEntries(shard: number, today: string, cursor?: string): Promise<{ entries: SweepEntry[]; cursor?: string }> {
    const out = await this.query({
      IndexName: 'bySweep',
      KeyConditionExpression: 'bySweepPk = :pk AND bySweepSk <= :to',
      ExpressionAttributeValues: { ':pk': sweepIndex.entries(shard), ':to': sweepIndex.entriesUpTo(today) },
      // The entry and what locates it; not the whole projected item (a case entry projects its record).
      ProjectionExpression: '#caseNo, #entity, #kind, #due, bySweepSk, sweepMilestone, sweepDate',
      ExpressionAttributeNames: { '#caseNo': 'caseNo', '#entity': 'entity', '#kind': 'kind', '#due': 'due' },
      Limit: PAGE,
      ExclusiveStartKey: decodeCursor<Item>(cursor),
    });
    const entries = (out.Items ?? []).flatMap((i) => {
      const entry = parseEntry(i);
      return entry ? [entry] : [];
    });
    return { entries, cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async getCase(caseNo: string): Promise<Case | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key.case(caseNo), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    this.count(out.Item ? 1 : 0, out.ConsumedCapacity);
    return out.Item ? caseFromItem(out.Item) : null;
  }

  async getCases(caseNos: string[]): Promise<Case[]> {
    const out: Case[] = [];
    const unique = [...new Set(caseNos)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Item[] = unique.slice(i, i + 100).map((no) => key.case(no));
      for (let attempt = 1; keys.length > 0; attempt++) {
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } }, ReturnConsumedCapacity: 'TOTAL' }));
        const items = res.Responses?.[this.tableName] ?? [];
        this.count(items.length, res.ConsumedCapacity);
        out.push(...items.map((item) => caseFromItem(item)));
        keys = (res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
        if (keys.length > 0) await backoff(attempt);
      }
    }
    return out;
  }

  async advance(entry: SweepEntry, next: Milestone | null): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.tableName, ...entryUpdate(entry, next) }));
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async commit(w: MilestoneCommit): Promise<CommitResult> {
    const items: { role: Role; item: TransactItem }[] = [];
    const put = (role: Role, Item: Item, condition?: Condition) =>
      items.push({
        role,
        item: {
          Put: {
            TableName: this.tableName,
            Item,
            ...(condition ? { ConditionExpression: condition.expression } : {}),
            ...(condition?.values ? { ExpressionAttributeValues: condition.values } : {}),
            ...(condition?.names ? { ExpressionAttributeNames: condition.names } : {}),
          },
        },
      });

    const c = w.before;
    const event = w.event ? chainEvent(c.auditSeq > 0 ? { seq: c.auditSeq, hash: c.auditHead } : null, { ...w.event, caseNo: c.caseNo }) : undefined;
    const head = event ? { auditSeq: event.seq, auditHead: event.hash } : { auditSeq: c.auditSeq, auditHead: c.auditHead };
    const saved: Case = { ...(w.after ?? c), ...head };

    // The supervision level this milestone opens or raises (kept on the report fact).
    const level = w.supervisions.some((s) => s.op === 'flag' || (s.op === 'open' && s.record.level === 'flagged'))
      ? 'flagged'
      : w.supervisions.some((s) => s.op === 'open')
        ? 'supervision'
        : undefined;
    // The dashboard's counters: the clock tallies the transition moves, and the supervision tallies
    // the supervisions change (from the case's supervisions as they stand: every change of them
    // moves the audit head this transaction is conditional on).
    const clockMoves = w.after !== undefined && clockTalliesChange(c, saved);
    const supMoves = w.supervisions.some((x) => x.op !== 'answer');
    let tallies: StoredTallies | undefined;
    let supTallies: string[] | undefined;
    if (clockMoves || supMoves) {
      tallies = await readTallies(this.db, this.tableName, c.caseNo);
      if (supMoves) {
        const open = new Map((await this.supervisionsOf(c.caseNo)).map((x) => [x.supervisionId, x]));
        for (const x of w.supervisions) {
          if (x.op === 'flag') {
            const current = open.get(supervisionId(x.kind, x.due));
            if (current) open.set(current.supervisionId, { ...current, level: 'flagged' });
          } else open.set(x.record.supervisionId, x.record);
        }
        supTallies = supervisionTallies([...open.values()]);
      }
    }
    if (w.after) {
      // A transition: the registry's one versioned case write (the case with the version check,
      // its report fact, its audit event, the clock items it changed with their sweep entries, the
      // dashboard's counters), the clock of the entry acted on conditional on the entry still being
      // the one claimed (with its list entry's change in the same update, when only that changed).
      const entry = w.entry && w.entry.target !== ARCHIVE_TARGET ? w.entry : undefined;
      const written = versionedCaseWriteItems(this.tableName, this.indexer, {
        before: c,
        next: saved,
        ...(event ? { event } : {}),
        auditSeq: c.auditSeq,
        ...(level ? { supervision: level } : {}),
        ...(entry ? { entry: { kind: entry.target, token: entry.token } } : {}),
        ...(tallies ? { tallies } : {}),
        ...(supTallies ? { supervisionTallies: supTallies } : {}),
      });
      for (const { role, item } of written) items.push({ role: CASE_WRITE_ROLES[role], item });
      if (entry && !written.some((i) => i.role === 'entry')) {
        const own = clockEntryChanges(saved, c).find((change) => change.kind === entry.target);
        items.push({ role: 'entry', item: { Update: { TableName: this.tableName, ...withEntryChange(entryUpdate(entry, w.next ?? null), own) } } });
      }
    } else {
      if (w.entry && w.entry.target !== ARCHIVE_TARGET)
        items.push({ role: 'entry', item: { Update: { TableName: this.tableName, ...entryUpdate(w.entry, w.next ?? null) } } });
      if (event) {
        items.push({
          role: 'case',
          item: {
            Update: {
              TableName: this.tableName,
              Key: key.case(c.caseNo),
              UpdateExpression: 'SET auditSeq = :next, auditHead = :hash, #r.auditSeq = :next, #r.auditHead = :hash',
              ConditionExpression: 'auditSeq = :seq',
              ExpressionAttributeNames: { '#r': 'record' },
              ExpressionAttributeValues: { ':next': head.auditSeq, ':hash': head.auditHead, ':seq': c.auditSeq },
            },
          },
        });
        put('audit', auditItem(event), { expression: 'attribute_not_exists(pk)' });
      }
      // The report fact: only the supervision level moves (the case itself does not change).
      for (const item of reportFactWrites(this.tableName, saved, saved, level)) items.push({ role: 'fact', item });
      if (tallies && supTallies)
        for (const item of tallyWrites(this.tableName, c.caseNo, { sup: { stored: tallies.sup, next: supTallies } })) items.push({ role: 'tally', item });
    }
    const notExists: Condition = { expression: 'attribute_not_exists(pk)' };
    for (const n of w.notices) put('notice', noticeItem(n), notExists);
    for (const s of w.supervisions) {
      if (s.op === 'flag') items.push({ role: 'supervision', item: { Update: { TableName: this.tableName, ...flagUpdate(s) } } });
      else put(s.op === 'open' ? 'supervision-open' : 'supervision', supervisionItem(s.record), supervisionCondition(s));
    }
    for (const d of w.documents) put('document', documentItem(d), notExists);
    // The document numbers of its 督办单 are taken here, with the milestone: gapless.
    for (const item of documentNumberWrites(this.tableName, w.documents)) items.push({ role: 'number', item });
    if (items.length === 0) return { ok: true, case: saved };

    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      const failed = new Set(reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [items[i]?.role] : [])));
      // A conflict with a concurrent transaction, or throttling: read again and retry.
      if (reasons.some((r) => r.Code && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed') || failed.size === 0)
        return { ok: false, reason: 'case-moved' };
      if (failed.has('entry')) return { ok: false, reason: 'entry-moved' };
      if (failed.has('number') && !failed.has('case') && !failed.has('audit')) return { ok: false, reason: 'number-taken' };
      if (failed.has('case') || failed.has('audit')) return { ok: false, reason: 'case-moved' };
      if (failed.has('notice') || failed.has('supervision-open')) return { ok: false, reason: 'duplicate' };
      // The tallies moved since they were read (a concurrent write, or the backfill counted the case): read again.
      if (failed.has('tally') && !failed.has('supervision')) return { ok: false, reason: 'case-moved' };
      return { ok: false, reason: 'supervision-state' };
    }
    return { ok: true, case: saved };
  }

  // ---- supervisions ---------------------------------------------------------------------------

  async supervisionsOf(caseNo: string, kind?: ClockKind): Promise<Supervision[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': sweepRange.supervisionsOf(kind) },
      ConsistentRead: true,
    });
    return items.map((i) => SupervisionSchema.parse(i.supervision));
  }

  async getSupervision(caseNo: string, supervisionId: string): Promise<Supervision | null> {
    const [kind, due] = supervisionId.split('.');
    if (!kind || !due) return null;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: sweepKey.supervision(caseNo, kind, due), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(out.Item ? 1 : 0, out.ConsumedCapacity);
    return out.Item ? SupervisionSchema.parse(out.Item.supervision) : null;
  }

  async openSupervisions(deptCode?: string | null): Promise<Supervision[]> {
    const prefix = deptCode === undefined ? undefined : sweepRange.openSupervisionsOf(deptCode);
    const items = await this.queryAll({
      IndexName: 'bySweep',
      KeyConditionExpression: prefix ? 'bySweepPk = :pk AND begins_with(bySweepSk, :prefix)' : 'bySweepPk = :pk',
      ExpressionAttributeValues: { ':pk': sweepIndex.openSupervisions(), ...(prefix ? { ':prefix': prefix } : {}) },
    });
    return items.map((i) => SupervisionSchema.parse(i.supervision));
  }

  async runningClocks(upTo: string, kinds: readonly ClockKind[]): Promise<RunningClock[]> {
    const wanted = new Set<string>(kinds);
    const parts = await Promise.all(
      ALL_SWEEP_SHARDS.map((shard) =>
        this.queryAll({
          IndexName: 'byDue',
          KeyConditionExpression: 'byDuePk = :pk AND byDueSk <= :to',
          ExpressionAttributeValues: { ':pk': ipk.due(shard), ':to': through(upTo) },
          ProjectionExpression: '#caseNo, #kind, #due',
          ExpressionAttributeNames: { '#caseNo': 'caseNo', '#kind': 'kind', '#due': 'due' },
        }),
      ),
    );
    return parts.flat().flatMap((i) => {
      const kind = String(i.kind);
      return wanted.has(kind) && (CLOCK_KINDS as readonly string[]).includes(kind)
        ? [{ caseNo: String(i.caseNo), kind: kind as ClockKind, due: String(i.due) }]
        : [];
    });
  }

  async dashboardTallies(today: string, end: string): Promise<Tally[]> {
    const ranges = [TALLY_RANGES.first(end), TALLY_RANGES.next(today, end), TALLY_RANGES.supervisions()];
    const parts = await Promise.all(
      ranges.map((r) =>
        this.queryAll({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': dashboardKey.tallyPartition, ':from': r.from, ':to': r.to },
          ProjectionExpression: 'sk, #n',
          ExpressionAttributeNames: { '#n': 'n' },
        }),
      ),
    );
    return parts.flat().map((i) => ({ name: String(i.sk), n: Number(i.n ?? 0) }));
  }

  async dashboardClocks(deptCode: string | null, from: string | null, until: string, limit: number): Promise<DashboardClockEntry[]> {
    const out: DashboardClockEntry[] = [];
    let startKey: Item | undefined;
    do {
      const res = await this.query({
        IndexName: 'byDepartment',
        KeyConditionExpression:
          from === null ? 'byDepartmentPk = :pk AND byDepartmentSk < :until' : 'byDepartmentPk = :pk AND byDepartmentSk BETWEEN :from AND :until',
        ExpressionAttributeValues: {
          ':pk': dashboardIndex.clocks(groupOf(deptCode)),
          ':until': dashboardIndex.before(until),
          ...(from === null ? {} : { ':from': from }),
        },
        ProjectionExpression: '#caseNo, #kind, #due, subject, caseStatus, #label',
        ExpressionAttributeNames: { '#caseNo': 'caseNo', '#kind': 'kind', '#due': 'due', '#label': 'label' },
        Limit: limit - out.length,
        ExclusiveStartKey: startKey,
      });
      for (const i of res.Items ?? []) {
        const entry = parseClockEntry(i);
        if (entry) out.push(entry);
      }
      startKey = res.LastEvaluatedKey;
    } while (startKey && out.length < limit);
    return out;
  }

  async openSupervisionsOf(deptCode: string | null, q: { flagged?: boolean; limit: number }): Promise<Supervision[]> {
    const index = q.flagged ? { name: 'byDue', pk: 'byDuePk', sk: 'byDueSk', value: sweepIndex.flaggedSupervisions() } : undefined;
    const out: Supervision[] = [];
    let startKey: Item | undefined;
    do {
      const res = await this.query({
        IndexName: index?.name ?? 'bySweep',
        KeyConditionExpression: `${index?.pk ?? 'bySweepPk'} = :pk AND begins_with(${index?.sk ?? 'bySweepSk'}, :prefix)`,
        ExpressionAttributeValues: { ':pk': index?.value ?? sweepIndex.openSupervisions(), ':prefix': sweepRange.openSupervisionsOf(deptCode) },
        Limit: q.limit - out.length,
        ExclusiveStartKey: startKey,
      });
      out.push(...(res.Items ?? []).map((i) => SupervisionSchema.parse(i.supervision)));
      startKey = res.LastEvaluatedKey;
    } while (startKey && out.length < q.limit);
    return out;
  }

  /**
   * Open clocks (running and paused) due on or after `from`, from the byDue index (the DUE# and
   * PAUSED# partitions of every shard): what a calendar year loaded by the office may move.
   */
  async openClocksFrom(from: string): Promise<RunningClock[]> {
    const partitions = ALL_SWEEP_SHARDS.flatMap((shard) => [ipk.due(shard), ipk.paused(shard)]);
    const parts = await Promise.all(
      partitions.map((pk) =>
        this.queryAll({
          IndexName: 'byDue',
          KeyConditionExpression: 'byDuePk = :pk AND byDueSk >= :from',
          ExpressionAttributeValues: { ':pk': pk, ':from': from },
          ProjectionExpression: '#caseNo, #kind, #due',
          ExpressionAttributeNames: { '#caseNo': 'caseNo', '#kind': 'kind', '#due': 'due' },
        }),
      ),
    );
    return parts.flat().flatMap((i) => {
      const kind = String(i.kind);
      return (CLOCK_KINDS as readonly string[]).includes(kind) ? [{ caseNo: String(i.caseNo), kind: kind as ClockKind, due: String(i.due) }] : [];
    });
  }

  /**
   * Maintenance (`npm run sweep -- --rekey`): writes the sweep entries of every running clock and
   * every closed case again, from the records, with this store's policy — after a policy change,
   * or on a table written before the sweep existed. Queries byDue and byStatus; no scan.
   */
  async rekey(): Promise<{ clocks: number; cases: number }> {
    const running = await this.runningClocks('9999-12-31', CLOCK_KINDS);
    const cases = new Map((await this.getCases(running.map((r) => r.caseNo))).map((c) => [c.caseNo, c]));
    let clocks = 0;
    for (const r of running) {
      const clock = cases.get(r.caseNo)?.clocks[r.kind];
      if (!clock) continue;
      await this.writeEntry(key.clock(r.caseNo, r.kind), this.indexer.clock(r.caseNo, r.kind, clock));
      clocks += 1;
    }
    const closed = (
      await this.queryAll({ IndexName: 'byStatus', KeyConditionExpression: 'byStatusPk = :pk', ExpressionAttributeValues: { ':pk': ipk.status('closed') } })
    ).map((i) => CaseSchema.parse(i.record));
    for (const c of closed) await this.writeEntry(key.case(c.caseNo), this.indexer.caseItem(c));
    return { clocks, cases: closed.length };
  }

  private async writeEntry(k: { pk: string; sk: string }, attrs: Item): Promise<void> {
    const set = Object.entries(attrs);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: k,
        ...(set.length > 0
          ? {
              UpdateExpression: `SET ${set.map(([n]) => `${n} = :${n}`).join(', ')}`,
              ExpressionAttributeValues: Object.fromEntries(set.map(([n, v]) => [`:${n}`, v])),
            }
          : { UpdateExpression: `REMOVE ${SWEEP_KEYS}` }),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  // ---- the outbox ---------------------------------------------------------------------------

  async outbox(date: string, q: { status?: NoticeStatus; limit: number; cursor?: string }): Promise<Page<OutboxEntry>> {
    const out = await this.query({
      IndexName: 'bySweep',
      KeyConditionExpression: 'bySweepPk = :pk',
      ExpressionAttributeValues: { ':pk': sweepIndex.outbox(date), ...(q.status ? { ':status': q.status } : {}) },
      ...(q.status ? { FilterExpression: 'delivery.#s = :status', ExpressionAttributeNames: { '#s': 'status' } } : {}),
      Limit: q.limit,
      ExclusiveStartKey: decodeCursor<Item>(q.cursor),
    });
    return { items: (out.Items ?? []).map(parseOutboxEntry), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async getNotice(caseNo: string, noticeKeySk: string): Promise<OutboxEntry | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.case(caseNo).pk, sk: noticeKeySk }, ConsistentRead: true }));
    return out.Item ? parseOutboxEntry(out.Item) : null;
  }

  async claimNotice(notice: Notice, now: Date, leaseMs: number): Promise<ClaimResult> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: noticeKey(notice),
          // The retry entry moves to the lease's end: if this sender dies, the retry run finds it then.
          UpdateExpression: 'SET delivery.#s = :sending, delivery.attempts = delivery.attempts + :one, leaseUntil = :lease, byDuePk = :rpk, byDueSk = :rsk',
          ConditionExpression: 'delivery.#s = :pending OR (delivery.#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':pending': 'pending',
            ':one': 1,
            ':lease': leaseUntil.getTime(),
            ':now': now.getTime(),
            ':rpk': sweepIndex.noticeRetry(sweepShard(notice.caseNo)),
            ':rsk': sweepIndex.noticeRetrySk(leaseUntil, notice.noticeId),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const attempts = Number((out.Attributes?.delivery as { attempts?: unknown } | undefined)?.attempts ?? 1);
      return { claimed: true, attempts };
    } catch (err) {
      if (!(err instanceof Error && err.name === 'ConditionalCheckFailedException')) throw err;
      const current = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: noticeKey(notice), ConsistentRead: true, ProjectionExpression: 'delivery' }),
      );
      const status = (current.Item?.delivery as { status?: unknown } | undefined)?.status;
      return { claimed: false, reason: status === 'sending' || status === 'pending' ? 'busy' : 'done' };
    }
  }

  async markNotice(notice: Notice, delivery: Omit<Delivery, 'attempts'>, next: { retryAt?: Date } = {}): Promise<void> {
    const fields: Record<string, unknown> = { status: delivery.status, channel: delivery.channel, sentAt: delivery.sentAt, error: delivery.error };
    const set = Object.entries(fields).filter(([, v]) => v !== undefined);
    const names: Record<string, string> = Object.fromEntries(set.map(([k]) => [`#${k}`, k]));
    const values: Record<string, unknown> = Object.fromEntries(set.map(([k, v]) => [`:${k}`, v]));
    const assignments = set.map(([k]) => `delivery.#${k} = :${k}`);
    let remove = 'leaseUntil';
    if (delivery.status === 'pending') {
      // A failed send: due again at retryAt (the stream retries sooner; the retry run then).
      assignments.push('byDuePk = :rpk', 'byDueSk = :rsk');
      values[':rpk'] = sweepIndex.noticeRetry(sweepShard(notice.caseNo));
      values[':rsk'] = sweepIndex.noticeRetrySk(next.retryAt ?? new Date(), notice.noticeId);
    } else if (delivery.status === 'failed') {
      assignments.push('byDuePk = :fpk', 'byDueSk = :fsk');
      values[':fpk'] = sweepIndex.noticesFailed();
      values[':fsk'] = sweepIndex.noticeRetrySk(next.retryAt ?? new Date(), notice.noticeId);
    } else {
      remove += ', byDuePk, byDueSk';
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: noticeKey(notice),
        UpdateExpression: `SET ${assignments.join(', ')} REMOVE ${remove}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async failNotice(entry: UndeliveredEntry, now: Date, error: string): Promise<boolean> {
    const { notice, delivery } = entry;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: noticeKey(notice),
          UpdateExpression: 'SET delivery.#s = :failed, delivery.#e = :error, byDuePk = :fpk, byDueSk = :fsk REMOVE leaseUntil',
          // Only as read: the same status and attempt count (no sender took it meanwhile).
          ConditionExpression: 'delivery.#s = :status AND delivery.attempts = :attempts',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':error': error.slice(0, 500),
            ':fpk': sweepIndex.noticesFailed(),
            ':fsk': sweepIndex.noticeRetrySk(now, notice.noticeId),
            ':status': delivery.status,
            ':attempts': delivery.attempts,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async dueNotices(shard: number, now: Date, q: { limit: number; cursor?: string }): Promise<Page<UndeliveredEntry>> {
    const out = await this.query({
      IndexName: 'byDue',
      KeyConditionExpression: 'byDuePk = :pk AND byDueSk <= :to',
      ExpressionAttributeValues: { ':pk': sweepIndex.noticeRetry(shard), ':to': sweepIndex.noticeRetryUpTo(now) },
      Limit: q.limit,
      ExclusiveStartKey: decodeCursor<Item>(q.cursor),
    });
    const items = (out.Items ?? []).map((i) => ({ ...parseOutboxEntry(i), ...(typeof i.leaseUntil === 'number' ? { leaseUntil: i.leaseUntil } : {}) }));
    return { items, cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async failedNoticeCount(): Promise<number> {
    let count = 0;
    let startKey: Item | undefined;
    do {
      const out = await this.query({
        IndexName: 'byDue',
        KeyConditionExpression: 'byDuePk = :pk',
        ExpressionAttributeValues: { ':pk': sweepIndex.noticesFailed() },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      });
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
}

// ---- item mapping -----------------------------------------------------------------------------

function parseClockEntry(i: Item): DashboardClockEntry | null {
  const kind = String(i.kind);
  const status = String(i.caseStatus);
  if (!(CLOCK_KINDS as readonly string[]).includes(kind) || !(STATUSES as readonly string[]).includes(status)) return null;
  return {
    caseNo: String(i.caseNo),
    kind: kind as ClockKind,
    due: String(i.due),
    subject: String(i.subject ?? ''),
    status: status as CaseStatus,
    label: String(i.label ?? CLOCK_LABELS[kind as ClockKind]),
  };
}

function parseEntry(i: Item): SweepEntry | null {
  const token = typeof i.bySweepSk === 'string' ? i.bySweepSk : undefined;
  const name = typeof i.sweepMilestone === 'string' ? i.sweepMilestone : undefined;
  const date = typeof i.sweepDate === 'string' ? i.sweepDate : undefined;
  if (!token || !name || !date || !MILESTONE_PATTERN.test(name)) return null;
  const caseNo = String(i.caseNo);
  const milestone: Milestone = { name: name as MilestoneName, date };
  if (i.entity === 'case') return { caseNo, target: ARCHIVE_TARGET, milestone, token };
  const kind = String(i.kind);
  if (!(CLOCK_KINDS as readonly string[]).includes(kind)) return null;
  return { caseNo, target: kind as ClockKind, milestone, due: typeof i.due === 'string' ? i.due : undefined, token };
}

/** Moves a clock entry to its next milestone (or removes it), only if it is still the one read. */
function entryUpdate(entry: SweepEntry, next: Milestone | null) {
  const k = entry.target === ARCHIVE_TARGET ? key.case(entry.caseNo) : key.clock(entry.caseNo, entry.target);
  if (!next) {
    return {
      Key: k,
      UpdateExpression: `REMOVE ${SWEEP_KEYS}`,
      ConditionExpression: 'bySweepSk = :token',
      ExpressionAttributeValues: { ':token': entry.token },
    };
  }
  const a = sweepEntryAttributes(entry.caseNo, entry.target, next);
  return {
    Key: k,
    UpdateExpression: 'SET bySweepPk = :pk, bySweepSk = :sk, sweepMilestone = :m, sweepDate = :d',
    ConditionExpression: 'bySweepSk = :token',
    ExpressionAttributeValues: { ':pk': a.bySweepPk, ':sk': a.bySweepSk, ':m': a.sweepMilestone, ':d': a.sweepDate, ':token': entry.token },
  };
}

/** A clock entry's move with its list entry's change in the same update (one operation per item in a transaction). */
function withEntryChange(
  u: ReturnType<typeof entryUpdate>,
  change: EntryChange | undefined,
): { Key: Item; UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Item; ExpressionAttributeNames?: Record<string, string> } {
  if (!change) return u;
  const e = entryChangeExpression(change);
  const [set, remove] = u.UpdateExpression.startsWith('REMOVE ') ? [[], [u.UpdateExpression.slice(7)]] : [[u.UpdateExpression.slice(4)], []];
  const sets = [...set, ...e.set];
  const removes = [...remove, ...e.remove];
  return {
    ...u,
    UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim(),
    ExpressionAttributeNames: e.names,
    ExpressionAttributeValues: { ...u.ExpressionAttributeValues, ...e.values },
  };
}

function parseOutboxEntry(i: Item): OutboxEntry {
  return { notice: NoticeSchema.parse(i.notice), delivery: DeliverySchema.parse(i.delivery) };
}

function supervisionItem(s: Supervision): Item {
  const record = SupervisionSchema.parse(s);
  return {
    ...sweepKey.supervision(record.caseNo, record.kind, record.due),
    entity: 'supervision',
    caseNo: record.caseNo,
    supervision: record,
    state: record.status,
    level: record.level,
    answers: record.answers.length,
    // Listed while open: the clerk's and the director's list, the dashboard.
    ...(record.status === 'open'
      ? { bySweepPk: sweepIndex.openSupervisions(), bySweepSk: sweepIndex.supervisionSk(record.deptCode, record.openedOn, record.caseNo, record.kind) }
      : {}),
    // And in the flagged ones' list (the dashboard) while open and flagged.
    ...(record.status === 'open' && record.level === 'flagged'
      ? { byDuePk: sweepIndex.flaggedSupervisions(), byDueSk: sweepIndex.supervisionSk(record.deptCode, record.openedOn, record.caseNo, record.kind) }
      : {}),
  };
}

interface Condition {
  expression: string;
  values?: Item;
  names?: Record<string, string>;
}

/** Raises an open supervision to flagged in place (its answers and first letter are kept). */
function flagUpdate(w: Extract<SupervisionWrite, { op: 'flag' }>) {
  return {
    Key: sweepKey.supervision(w.caseNo, w.kind, w.due),
    // Listed with the flagged ones, in the same order as with the open ones (its open-list sort key).
    UpdateExpression:
      'SET #lvl = :flagged, #s.#lvl = :flagged, #s.flaggedOn = :on, #s.letters = list_append(#s.letters, :letters), byDuePk = :fpk, byDueSk = bySweepSk',
    ConditionExpression: '#st = :open AND #lvl = :supervision',
    ExpressionAttributeNames: { '#st': 'state', '#lvl': 'level', '#s': 'supervision' },
    ExpressionAttributeValues: {
      ':flagged': 'flagged',
      ':on': w.on,
      ':letters': w.letters,
      ':open': 'open',
      ':supervision': 'supervision',
      ':fpk': sweepIndex.flaggedSupervisions(),
    },
  };
}

function supervisionCondition(w: Exclude<SupervisionWrite, { op: 'flag' }>): Condition {
  switch (w.op) {
    case 'open':
      return { expression: 'attribute_not_exists(pk)' };
    case 'resolve':
      return { expression: '#st = :open', values: { ':open': 'open' }, names: { '#st': 'state' } };
    case 'answer':
      return { expression: '#st = :open AND #n = :n', values: { ':open': 'open', ':n': w.answersBefore }, names: { '#st': 'state', '#n': 'answers' } };
  }
}

// ---- helpers ----------------------------------------------------------------------------------

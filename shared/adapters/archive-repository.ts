/**
 * ArchiveRepository over the single table (keys: shared/storage/archive-keys.ts). Every read is
 * a GetItem, a Query on a case partition or a Query on the byArchive index (no Scan). Every change
 * that touches a case is one TransactWriteItems that also appends the case's audit event,
 * conditional on the chain head, like the case repository's own writes. Items read back are
 * parsed with zod.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ArchiveJob, ArchiveRepository, ArchiveSearch, DisposalRecord, FixityPass, FixityProblem, FixityReportRecord, Loan } from '../app/archive-ports';
import { ARCHIVE_JOB_STATES } from '../app/archive-ports';
import type { EventDraft, Page } from '../app/ports';
import { ManifestFileSchema, RETENTION_CLASSES, RETENTION_INFO, type ArchiveSummary } from '../domain/archive';
import { chainEvent } from '../domain/audit';
import { CaseSchema, type Case } from '../domain/case';
import { ConflictError } from '../domain/errors';
import { ITEM_TYPES } from '../domain/taxonomy';
import { archiveIndex, archiveJobIndexKeys, archiveKey, archiveRange, archiveSearchEntries, archiveSeriesSk, ARCHIVE_SK_PREFIX } from '../storage/archive-keys';
import { ipk, key } from '../storage/keys';
import { versionedCaseWrite } from './dynamodb-repository';
import { clockTalliesChange, readTallies } from './dashboard-tally';
import { defaultSweepIndexer, type SweepIndexer } from './sweep-index';
import {
  appendAuditEvent,
  backoff,
  cancellationReasons,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  queryAll,
  type Item,
  type TransactItem,
} from './dynamo-support';

const MAX_ATTEMPTS = 8;

const SummarySchema = z.object({
  archiveNo: z.string(),
  caseNo: z.string(),
  year: z.number().int(),
  retention: z.enum(RETENTION_CLASSES),
  retentionLabel: z.string(),
  retentionEnds: z.string().optional(),
  subject: z.string(),
  category: z.string(),
  itemType: z.enum(ITEM_TYPES),
  departments: z.array(z.string()),
  petitioners: z.array(z.string()),
  receivedOn: z.string(),
  closedOn: z.string().optional(),
  archivedAt: z.string(),
}) satisfies z.ZodType<ArchiveSummary>;

const DisposalSchema = z.object({
  state: z.enum(['proposed', 'approved', 'destroyed']),
  reason: z.string(),
  proposedBy: z.string(),
  proposedAt: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  approvalComment: z.string().optional(),
  destroyedAt: z.string().optional(),
  destroyed: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number() })).optional(),
});

const JobSchema = z.object({
  caseNo: z.string(),
  archiveNo: z.string(),
  fonds: z.string(),
  year: z.number().int(),
  item: z.number().int(),
  retention: z.enum(RETENTION_CLASSES),
  retentionReason: z.string(),
  retentionSource: z.string(),
  override: z.object({ by: z.string(), reason: z.string() }).optional(),
  retentionEnds: z.string().optional(),
  lockUntil: z.string(),
  state: z.enum(ARCHIVE_JOB_STATES),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.number().int(),
  lastError: z.string().optional(),
  manifestSha256: z.string().optional(),
  files: z.array(ManifestFileSchema).optional(),
  summary: SummarySchema.optional(),
  archivedAt: z.string().optional(),
  purgedAt: z.string().optional(),
  disposal: DisposalSchema.optional(),
}) satisfies z.ZodType<ArchiveJob>;

const LoanSchema = z.object({
  caseNo: z.string(),
  archiveNo: z.string(),
  loanId: z.string(),
  username: z.string(),
  purpose: z.string(),
  until: z.string(),
  grantedBy: z.string(),
  grantedAt: z.string(),
}) satisfies z.ZodType<Loan>;

const FixityProblemSchema = z.object({
  archiveNo: z.string(),
  caseNo: z.string(),
  path: z.string(),
  problem: z.enum(['missing', 'mismatch']),
  expected: z.string().optional(),
  actual: z.string().optional(),
}) satisfies z.ZodType<FixityProblem>;

const FixityPassSchema = z.object({
  passId: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  cursor: z.string().optional(),
  state: z.enum(['open', 'done']),
  packages: z.number().int(),
  files: z.number().int(),
  problems: z.number().int(),
  problemList: z.array(FixityProblemSchema).optional(),
}) satisfies z.ZodType<FixityPass>;

const FixityReportSchema = z.object({
  reportId: z.string(),
  source: z.enum(['scheduled', 'command', 'manual']),
  requestedBy: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  state: z.enum(['open', 'done', 'incomplete']),
  refs: z.array(z.string()).optional(),
  notFound: z.array(z.string()).optional(),
  packages: z.number().int(),
  files: z.number().int(),
  problems: z.number().int(),
  problemList: z.array(FixityProblemSchema),
}) satisfies z.ZodType<FixityReportRecord>;

/** Entities of a case partition the archive handles by name; anything else goes to metadata.json as it is. */
const KNOWN_ENTITIES = new Set([
  'case',
  'case-text',
  'case-return',
  'audit',
  'clock',
  'document',
  'petitioner',
  'department-history',
  'query-code',
  'archive-job',
  'archive-index',
  'archive-loan',
]);

/** The job item: its state, and the byArchive keys while it has work left (or once destroyed, in the register). */
function jobItem(job: ArchiveJob): Item {
  const item: Item = {
    ...archiveKey.job(job.caseNo),
    entity: 'archive-job',
    caseNo: job.caseNo,
    archiveNo: job.archiveNo,
    state: job.state,
    job,
  };
  if (job.disposal) item.disposalState = job.disposal.state;
  return { ...item, ...archiveJobIndexKeys(job) };
}

/** The search entries of an archived case: one per access pattern (archive-keys.ts). */
function indexEntries(job: ArchiveJob): { entry: string; pk: string; sk: string }[] {
  if (!job.summary) throw new Error(`archive job of ${job.caseNo} has no summary`);
  return archiveSearchEntries(job.summary);
}

export class DynamoDbArchiveRepository implements ArchiveRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The deadline sweep's index entries of the case item it writes (the office's sweep policy), as the registry's. */
    private readonly sweep: SweepIndexer = defaultSweepIndexer,
  ) {}

  // ---- jobs ---------------------------------------------------------------------------------

  async closedCases(limit: number, cursor?: string): Promise<Page<Case>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byStatus',
        KeyConditionExpression: 'byStatusPk = :pk',
        ExpressionAttributeValues: { ':pk': ipk.status('closed') },
        Limit: limit,
        ExclusiveStartKey: decodeCursor<Item>(cursor),
      }),
    );
    return { items: (out.Items ?? []).map((i) => CaseSchema.parse(i.record)), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  async getJob(caseNo: string): Promise<ArchiveJob | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: archiveKey.job(caseNo), ConsistentRead: true }));
    return out.Item ? JobSchema.parse(out.Item.job) : null;
  }

  async createJob(partial: Omit<ArchiveJob, 'item' | 'archiveNo'>, formatNo: (item: number) => string): Promise<ArchiveJob> {
    const counterKey = archiveKey.counter(partial.fonds, partial.year, RETENTION_INFO[partial.retention].code);
    for (let attempt = 1; ; attempt++) {
      const existing = await this.getJob(partial.caseNo);
      if (existing) return existing;
      const counter = await this.db.send(new GetCommand({ TableName: this.tableName, Key: counterKey, ConsistentRead: true }));
      const current = counter.Item ? Number(counter.Item.next) : 0;
      const item = current + 1;
      const job: ArchiveJob = { ...partial, item, archiveNo: formatNo(item) };
      // The counter moves only together with the job that uses the number: no gaps, no reuse.
      const bump: TransactItem = counter.Item
        ? {
            Update: {
              TableName: this.tableName,
              Key: counterKey,
              UpdateExpression: 'SET #n = :next',
              ConditionExpression: '#n = :current',
              ExpressionAttributeNames: { '#n': 'next' },
              ExpressionAttributeValues: { ':next': item, ':current': current },
            },
          }
        : {
            Put: { TableName: this.tableName, Item: { ...counterKey, entity: 'archive-counter', next: item }, ConditionExpression: 'attribute_not_exists(pk)' },
          };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [bump, { Put: { TableName: this.tableName, Item: jobItem(job), ConditionExpression: 'attribute_not_exists(pk)' } }],
          }),
        );
        return job;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException) || attempt >= MAX_ATTEMPTS * 2) throw err;
        await backoff(attempt);
      }
    }
  }

  async claimJob(caseNo: string, token: string, until: string, now: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: archiveKey.job(caseNo),
          UpdateExpression: 'SET leaseToken = :t, leaseUntil = :until',
          ConditionExpression: '#s = :allocated AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseToken = :t)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':t': token, ':until': until, ':now': now, ':allocated': 'allocated' },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async recordFailure(caseNo: string, error: string, at: string, token: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: archiveKey.job(caseNo),
          UpdateExpression: 'SET #j.attempts = #j.attempts + :one, #j.lastError = :e, #j.updatedAt = :at REMOVE leaseToken, leaseUntil',
          // Only the run that holds the job (or a job nobody holds) records and releases.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(leaseToken) OR leaseToken = :t)',
          ExpressionAttributeNames: { '#j': 'job' },
          ExpressionAttributeValues: { ':one': 1, ':e': error.slice(0, 1000), ':at': at, ':t': token },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async commitArchive(before: Case, after: Case, draft: EventDraft, job: ArchiveJob, leaseToken: string): Promise<Case> {
    const entries = indexEntries(job);
    for (let attempt = 1; ; attempt++) {
      const event = chainEvent(before.auditSeq > 0 ? { seq: before.auditSeq, hash: before.auditHead } : null, { ...draft, caseNo: before.caseNo });
      const next: Case = { ...after, auditSeq: event.seq, auditHead: event.hash };
      // A closed case has no running clock: its dashboard tallies rarely move, read only if they do.
      const tallies = clockTalliesChange(before, next) ? await readTallies(this.db, this.tableName, before.caseNo) : undefined;
      const items: TransactItem[] = [
        // The case, its audit event and what the change moves: the registry's one versioned write.
        ...versionedCaseWrite(this.tableName, this.sweep, { before, next, event, auditSeq: before.auditSeq, tallies }),
        {
          Put: {
            TableName: this.tableName,
            Item: jobItem(job),
            // Only the run holding the job commits it (the new item drops the lease).
            ConditionExpression: '#s = :allocated AND archiveNo = :no AND leaseToken = :lease',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':allocated': 'allocated', ':no': job.archiveNo, ':lease': leaseToken },
          },
        },
        ...entries.map(({ entry, pk, sk }) => ({
          Put: {
            TableName: this.tableName,
            Item: {
              ...archiveKey.index(job.caseNo, entry),
              entity: 'archive-index',
              caseNo: job.caseNo,
              archiveNo: job.archiveNo,
              byArchivePk: pk,
              byArchiveSk: sk,
              summary: job.summary,
            },
          },
        })),
      ];
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return next;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const why = cancellationReasons(err);
        // The case or the job moved (an access recorded, another run): the package was built
        // from an older state, so the caller builds it again. A plain collision: try again.
        if (why.some((r) => r === 'ConditionalCheckFailed') || attempt >= MAX_ATTEMPTS) {
          throw new ConflictError('The case changed while it was being archived', { caseNo: before.caseNo, reasons: why }, { cause: err });
        }
        await backoff(attempt);
      }
    }
  }

  /**
   * Appends an audit event of a case together with other conditional writes, in one transaction,
   * retrying when only the chain head moved. False when one of `extra`'s conditions failed.
   */
  private async appendWith(caseNo: string, draft: EventDraft, extra: TransactItem[]): Promise<boolean> {
    return (await appendAuditEvent(this.db, this.tableName, caseNo, draft, extra)) !== null;
  }

  async completePurge(caseNo: string, draft: EventDraft): Promise<boolean> {
    const job = await this.getJob(caseNo);
    if (!job || job.state !== 'archived') return false;
    const purged: ArchiveJob = { ...job, state: 'purged', purgedAt: draft.at, updatedAt: draft.at };
    return this.appendWith(caseNo, draft, [
      {
        Put: {
          TableName: this.tableName,
          Item: jobItem(purged),
          ConditionExpression: '#s = :archived',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':archived': 'archived' },
        },
      },
    ]);
  }

  async jobsWithWork(kind: 'purge' | 'dispose', limit: number): Promise<ArchiveJob[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byArchive',
        KeyConditionExpression: 'byArchivePk = :pk',
        ExpressionAttributeValues: { ':pk': archiveIndex.jobs(kind === 'purge' ? 'archived' : 'disposal-approved') },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => JobSchema.parse(i.job));
  }

  async otherRecords(caseNo: string): Promise<Record<string, unknown>[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk },
      ConsistentRead: true,
    });
    return items
      .filter((i) => !KNOWN_ENTITIES.has(String(i.entity)))
      .map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => k !== 'pk' && !/^by[A-Z]\w*(Pk|Sk)$/.test(k))));
  }

  // ---- finding packages ---------------------------------------------------------------------

  private async jobsOf(caseNos: string[]): Promise<ArchiveJob[]> {
    const out: ArchiveJob[] = [];
    for (let i = 0; i < caseNos.length; i += 100) {
      let keys: Item[] = caseNos.slice(i, i + 100).map((no) => archiveKey.job(no));
      for (let attempt = 1; keys.length > 0; attempt++) {
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        out.push(...(res.Responses?.[this.tableName] ?? []).map((item) => JobSchema.parse(item.job)));
        keys = (res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
        if (keys.length > 0) await backoff(attempt);
      }
    }
    const order = new Map(caseNos.map((no, i) => [no, i]));
    return out.sort((a, b) => (order.get(a.caseNo) ?? 0) - (order.get(b.caseNo) ?? 0));
  }

  async findByArchiveNo(archiveNo: string): Promise<ArchiveJob | null> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byArchive',
        KeyConditionExpression: 'byArchivePk = :pk',
        ExpressionAttributeValues: { ':pk': archiveIndex.archiveNo(archiveNo) },
        Limit: 1,
      }),
    );
    const caseNo = out.Items?.[0]?.caseNo;
    return typeof caseNo === 'string' ? this.getJob(caseNo) : null;
  }

  async search(q: ArchiveSearch): Promise<Page<ArchiveSummary>> {
    const series = q.year !== undefined ? archiveRange.year(q.year) : undefined;
    let pk: string;
    let sk: { expr: string; values: Item } | undefined = series ? { expr: 'begins_with(byArchiveSk, :series)', values: { ':series': series } } : undefined;
    // The most selective partition; the other criteria filter what it returns.
    if (q.archiveNo) {
      pk = archiveIndex.archiveNo(q.archiveNo);
      sk = undefined;
    } else if (q.deptCode) pk = archiveIndex.department(q.deptCode);
    else if (q.category) pk = archiveIndex.category(q.category);
    else if (q.retention) pk = archiveIndex.retention(q.retention);
    else pk = archiveIndex.all();
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byArchive',
        KeyConditionExpression: `byArchivePk = :pk${sk ? ` AND ${sk.expr}` : ''}`,
        ExpressionAttributeValues: { ':pk': pk, ...(sk?.values ?? {}) },
        ScanIndexForward: false,
        Limit: q.limit,
        ExclusiveStartKey: decodeCursor<Item>(q.cursor),
      }),
    );
    return { items: (out.Items ?? []).map((i) => SummarySchema.parse(i.summary)), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  resumeAfter(job: Pick<ArchiveJob, 'year' | 'archiveNo'>): string {
    return archiveSeriesSk(job.year, job.archiveNo);
  }

  async listArchived(limit: number, after?: string): Promise<Page<ArchiveJob>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byArchive',
        KeyConditionExpression: after ? 'byArchivePk = :pk AND byArchiveSk > :after' : 'byArchivePk = :pk',
        ExpressionAttributeValues: { ':pk': archiveIndex.all(), ...(after ? { ':after': after } : {}) },
        ProjectionExpression: 'caseNo, byArchiveSk',
        Limit: limit,
      }),
    );
    const items = out.Items ?? [];
    const jobs = await this.jobsOf(items.map((i) => String(i.caseNo)));
    const last = items[items.length - 1];
    return { items: jobs, cursor: out.LastEvaluatedKey && last ? String(last.byArchiveSk) : undefined };
  }

  async disposalDue(onOrBefore: string, limit: number, cursor?: string): Promise<Page<ArchiveJob>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'byArchive',
        KeyConditionExpression: 'byArchivePk = :pk AND byArchiveSk <= :to',
        ExpressionAttributeValues: { ':pk': archiveIndex.disposal(), ':to': archiveRange.disposalThrough(onOrBefore) },
        ProjectionExpression: 'caseNo',
        Limit: limit,
        ExclusiveStartKey: decodeCursor<Item>(cursor),
      }),
    );
    return { items: await this.jobsOf((out.Items ?? []).map((i) => String(i.caseNo))), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  // ---- disposal -----------------------------------------------------------------------------

  async saveDisposal(job: ArchiveJob, disposal: DisposalRecord, expected: DisposalRecord['state'] | null, draft: EventDraft): Promise<void> {
    const next: ArchiveJob = { ...job, disposal, updatedAt: draft.at };
    const saved = await this.appendWith(job.caseNo, draft, [
      {
        Put: {
          TableName: this.tableName,
          Item: jobItem(next),
          ConditionExpression: expected === null ? '#s = :purged AND attribute_not_exists(disposalState)' : '#s = :purged AND disposalState = :expected',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':purged': 'purged', ...(expected === null ? {} : { ':expected': expected }) },
        },
      },
    ]);
    if (!saved) throw new ConflictError('The disposal of this package changed meanwhile; reload and try again', { archiveNo: job.archiveNo });
  }

  async completeDisposal(job: ArchiveJob, disposal: DisposalRecord, draft: EventDraft): Promise<void> {
    const next: ArchiveJob = { ...job, state: 'disposed', disposal, updatedAt: draft.at };
    // The archive-number entry stays (the package's record, with its disposal); the search and
    // disposal-list entries go.
    const gone = indexEntries(job).filter((e) => e.entry !== 'NO');
    const saved = await this.appendWith(job.caseNo, draft, [
      {
        Put: {
          TableName: this.tableName,
          Item: jobItem(next),
          ConditionExpression: '#s = :purged AND disposalState = :approved',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':purged': 'purged', ':approved': 'approved' },
        },
      },
      ...gone.map((e) => ({ Delete: { TableName: this.tableName, Key: archiveKey.index(job.caseNo, e.entry) } })),
    ]);
    if (!saved) throw new ConflictError('The disposal of this package changed meanwhile', { archiveNo: job.archiveNo });
  }

  // ---- loans --------------------------------------------------------------------------------

  async grantLoan(loan: Loan, draft: EventDraft): Promise<void> {
    await this.appendWith(loan.caseNo, draft, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...archiveKey.loan(loan.caseNo, loan.username, loan.loanId), entity: 'archive-loan', caseNo: loan.caseNo, loan },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
  }

  async activeLoans(caseNo: string, username: string, now: string): Promise<Loan[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': key.case(caseNo).pk, ':prefix': `${ARCHIVE_SK_PREFIX.loan}${username}#` },
      ConsistentRead: true,
    });
    return items
      .map((i) => LoanSchema.parse(i.loan))
      .filter((l) => l.username === username && l.until > now)
      .sort((a, b) => b.until.localeCompare(a.until));
  }

  // ---- fixity -------------------------------------------------------------------------------

  async getFixityPass(): Promise<FixityPass | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: archiveKey.fixityPass(), ConsistentRead: true }));
    return out.Item ? FixityPassSchema.parse(out.Item.pass) : null;
  }

  async saveFixityPass(pass: FixityPass): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...archiveKey.fixityPass(), entity: 'archive-fixity-pass', pass: FixityPassSchema.parse(pass) } }),
    );
  }

  async saveFixityReport(report: FixityReportRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...archiveKey.fixityReport(report.startedAt, report.reportId), entity: 'archive-fixity-report', report: FixityReportSchema.parse(report) },
      }),
    );
  }

  async listFixityReports(limit: number, cursor?: string): Promise<Page<FixityReportRecord>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': archiveKey.fixityPass().pk, ':prefix': ARCHIVE_SK_PREFIX.fixityReport },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor<Item>(cursor),
      }),
    );
    return { items: (out.Items ?? []).map((i) => FixityReportSchema.parse(i.report)), cursor: encodeCursor(out.LastEvaluatedKey) };
  }

  private queryAll(input: QueryCommandInput): Promise<Item[]> {
    return queryAll(this.db, input);
  }
}

/**
 * ArchiveRepository in memory, with the semantics of shared/adapters/archive-repository.ts: one
 * job per case with a gapless item number per series (fonds, year, class) taken with it, leases
 * on a job, the archive commit conditional on the case's version and audit head and on the job
 * held, disposal records moving only from the state expected, search entries per access pattern
 * (newest archive number first), and the fixity reports newest first.
 */
import type { ArchiveJob, ArchiveRepository, ArchiveSearch, DisposalRecord, FixityPass, FixityReportRecord, Loan } from '../../../shared/app/archive-ports';
import type { EventDraft, Page } from '../../../shared/app/ports';
import { RETENTION_INFO, type ArchiveSummary } from '../../../shared/domain/archive';
import { chainEvent } from '../../../shared/domain/audit';
import { CaseSchema, type Case } from '../../../shared/domain/case';
import { ConflictError } from '../../../shared/domain/errors';
import { FakeCaseRepository, withoutParts } from './case-repository';
import { byKey, pageOf } from './paging';
import { clone, tick, type ArchiveIndexEntry, type FakeState } from './state';

/** The fake index's order of a package in the series partitions: year, then archive number. */
const seriesKey = (job: Pick<ArchiveJob, 'year' | 'archiveNo'>) => `${job.year}#${job.archiveNo}`;

function indexEntries(job: ArchiveJob): ArchiveIndexEntry[] {
  const s = job.summary;
  if (!s) throw new Error(`archive job of ${job.caseNo} has no summary`);
  const bySeries = seriesKey(s);
  const e = (entry: string, partition: string, sortKey: string): ArchiveIndexEntry => ({
    caseNo: job.caseNo,
    archiveNo: job.archiveNo,
    entry,
    partition,
    sortKey,
  });
  return [
    e('NO', `NO#${s.archiveNo}`, s.archiveNo),
    e('ALL', 'ALL', bySeries),
    e('CAT', `CAT#${s.category}`, bySeries),
    e('RET', `RET#${s.retention}`, bySeries),
    ...s.departments.map((d) => e(`DEPT#${d}`, `DEPT#${d}`, bySeries)),
    ...(s.retentionEnds ? [e('DISPOSAL', 'DISPOSAL', `${s.retentionEnds}#${s.archiveNo}`)] : []),
  ];
}

export class FakeArchiveRepository implements ArchiveRepository {
  private readonly cases: FakeCaseRepository;

  constructor(readonly state: FakeState) {
    this.cases = new FakeCaseRepository(state);
  }

  async closedCases(limit: number, cursor?: string): Promise<Page<Case>> {
    await tick();
    const sortDate = (c: Case) =>
      Object.values(c.clocks)
        .filter((k) => k.status !== 'stopped')
        .map((k) => k.due)
        .sort()[0] ?? c.receivedOn;
    const closed = [...this.state.cases.values()]
      .filter((c) => c.status === 'closed')
      .map((c) => ({ key: `${sortDate(c)}#${c.caseNo}`, item: withoutParts(c) }));
    return pageOf(closed, 'asc', limit, cursor);
  }

  async getJob(caseNo: string): Promise<ArchiveJob | null> {
    await tick();
    return clone(this.state.jobs.get(caseNo)?.job ?? null);
  }

  async createJob(partial: Omit<ArchiveJob, 'item' | 'archiveNo'>, formatNo: (item: number) => string): Promise<ArchiveJob> {
    await tick();
    const existing = this.state.jobs.get(partial.caseNo);
    if (existing) return clone(existing.job);
    const counter = `archive:${partial.fonds}:${partial.year}:${RETENTION_INFO[partial.retention].code}`;
    const item = this.state.counter(counter) + 1;
    const job: ArchiveJob = { ...clone(partial), item, archiveNo: formatNo(item) };
    this.state.checkFault('createJob');
    this.state.counters.set(counter, item);
    this.state.jobs.set(job.caseNo, { job: clone(job) });
    return job;
  }

  async claimJob(caseNo: string, token: string, until: string, now: string): Promise<boolean> {
    await tick();
    const stored = this.state.jobs.get(caseNo);
    if (!stored || stored.job.state !== 'allocated') return false;
    if (stored.lease && !(stored.lease.until < now || stored.lease.token === token)) return false;
    stored.lease = { token, until };
    return true;
  }

  async recordFailure(caseNo: string, error: string, at: string, token: string): Promise<void> {
    await tick();
    const stored = this.state.jobs.get(caseNo);
    if (!stored || (stored.lease && stored.lease.token !== token)) return;
    stored.job = { ...stored.job, attempts: stored.job.attempts + 1, lastError: error.slice(0, 1000), updatedAt: at };
    delete stored.lease;
  }

  async commitArchive(before: Case, after: Case, draft: EventDraft, job: ArchiveJob, leaseToken: string): Promise<Case> {
    await tick();
    const s = this.state;
    const stored = s.cases.get(before.caseNo);
    const held = s.jobs.get(job.caseNo);
    const entries = indexEntries(job);
    if (
      !stored ||
      stored.version !== before.version ||
      stored.auditSeq !== before.auditSeq ||
      held?.job.state !== 'allocated' ||
      held.job.archiveNo !== job.archiveNo ||
      held.lease?.token !== leaseToken
    ) {
      throw new ConflictError('The case changed while it was being archived', { caseNo: before.caseNo });
    }
    if (after.returns.length < stored.returns.length) throw new Error(`The returns of ${after.caseNo} only grow`);
    s.checkFault('commitArchive');
    const event = chainEvent(before.auditSeq > 0 ? { seq: before.auditSeq, hash: before.auditHead } : null, { ...draft, caseNo: before.caseNo });
    const next: Case = { ...CaseSchema.parse(clone(after)), auditSeq: event.seq, auditHead: event.hash };
    s.cases.set(next.caseNo, clone(next));
    s.writeCaseEntry(next);
    s.events.get(next.caseNo)?.push(clone(event));
    s.jobs.set(job.caseNo, { job: clone(job) });
    for (const e of entries) {
      const i = s.archiveIndex.findIndex((x) => x.caseNo === e.caseNo && x.entry === e.entry);
      if (i >= 0) s.archiveIndex.splice(i, 1);
      s.archiveIndex.push(e);
    }
    return clone(next);
  }

  async completePurge(caseNo: string, draft: EventDraft): Promise<boolean> {
    await tick();
    const stored = this.state.jobs.get(caseNo);
    if (!stored || stored.job.state !== 'archived') return false;
    const purged: ArchiveJob = { ...stored.job, state: 'purged', purgedAt: draft.at, updatedAt: draft.at };
    return (
      this.cases.append(
        caseNo,
        draft,
        'completePurge',
        () => this.state.jobs.get(caseNo)?.job.state === 'archived',
        () => this.state.jobs.set(caseNo, { job: clone(purged) }),
      ) !== null
    );
  }

  async jobsWithWork(kind: 'purge' | 'dispose', limit: number): Promise<ArchiveJob[]> {
    await tick();
    const wanted = (j: ArchiveJob) => (kind === 'purge' ? j.state === 'archived' : j.state === 'purged' && j.disposal?.state === 'approved');
    return clone(
      [...this.state.jobs.values()]
        .map((s) => s.job)
        .filter(wanted)
        .sort((a, b) => byKey(a.caseNo, b.caseNo))
        .slice(0, limit),
    );
  }

  async otherRecords(caseNo: string): Promise<Record<string, unknown>[]> {
    await tick();
    const supervisions = [...this.state.supervisions.values()]
      .filter((s) => s.caseNo === caseNo)
      .map((s) => ({ sk: `SUP#${s.kind}#${s.due}`, entity: 'supervision', caseNo, supervision: s }));
    const notices = [...this.state.notices.values()]
      .filter((n) => n.notice.caseNo === caseNo)
      .map((n) => ({ entity: 'notice', caseNo, noticeId: n.notice.noticeId, notice: n.notice, delivery: n.delivery }));
    return clone([...supervisions, ...notices, ...(this.state.otherRecords.get(caseNo) ?? [])]);
  }

  async findByArchiveNo(archiveNo: string): Promise<ArchiveJob | null> {
    await tick();
    const entry = this.state.archiveIndex.find((e) => e.partition === `NO#${archiveNo}`);
    return entry ? clone(this.state.jobs.get(entry.caseNo)?.job ?? null) : null;
  }

  async search(q: ArchiveSearch): Promise<Page<ArchiveSummary>> {
    await tick();
    const partition = q.archiveNo
      ? `NO#${q.archiveNo}`
      : q.deptCode
        ? `DEPT#${q.deptCode}`
        : q.category
          ? `CAT#${q.category}`
          : q.retention
            ? `RET#${q.retention}`
            : 'ALL';
    const series = !q.archiveNo && q.year !== undefined ? `${q.year}#` : undefined;
    const found = this.state.archiveIndex
      .filter((e) => e.partition === partition && (!series || e.sortKey.startsWith(series)))
      .flatMap((e) => {
        const summary = this.state.jobs.get(e.caseNo)?.job.summary;
        return summary ? [{ key: e.sortKey, item: summary }] : [];
      });
    return pageOf(found, 'desc', q.limit, q.cursor);
  }

  resumeAfter(job: Pick<ArchiveJob, 'year' | 'archiveNo'>): string {
    return seriesKey(job);
  }

  async listArchived(limit: number, after?: string): Promise<Page<ArchiveJob>> {
    await tick();
    const all = this.state.archiveIndex
      .filter((e) => e.partition === 'ALL' && (after === undefined || e.sortKey > after))
      .sort((a, b) => byKey(a.sortKey, b.sortKey));
    const page = all.slice(0, limit);
    const jobs = page.flatMap((e) => {
      const job = this.state.jobs.get(e.caseNo)?.job;
      return job ? [clone(job)] : [];
    });
    const last = page.at(-1);
    return { items: jobs, cursor: all.length > page.length && last ? last.sortKey : undefined };
  }

  async disposalDue(onOrBefore: string, limit: number, cursor?: string): Promise<Page<ArchiveJob>> {
    await tick();
    const due = this.state.archiveIndex
      .filter((e) => e.partition === 'DISPOSAL' && e.sortKey <= `${onOrBefore}#~`)
      .flatMap((e) => {
        const job = this.state.jobs.get(e.caseNo)?.job;
        return job ? [{ key: e.sortKey, item: job }] : [];
      });
    return pageOf(due, 'asc', limit, cursor);
  }

  async saveDisposal(job: ArchiveJob, disposal: DisposalRecord, expected: DisposalRecord['state'] | null, draft: EventDraft): Promise<void> {
    await tick();
    const next: ArchiveJob = { ...clone(job), disposal: clone(disposal), updatedAt: draft.at };
    const holds = () => {
      const current = this.state.jobs.get(job.caseNo)?.job;
      return current?.state === 'purged' && (current.disposal?.state ?? null) === expected;
    };
    const saved = this.cases.append(job.caseNo, draft, 'saveDisposal', holds, () => this.state.jobs.set(job.caseNo, { job: next }));
    if (!saved) throw new ConflictError('The disposal of this package changed meanwhile; reload and try again', { archiveNo: job.archiveNo });
  }

  async completeDisposal(job: ArchiveJob, disposal: DisposalRecord, draft: EventDraft): Promise<void> {
    await tick();
    const next: ArchiveJob = { ...clone(job), state: 'disposed', disposal: clone(disposal), updatedAt: draft.at };
    const holds = () => {
      const current = this.state.jobs.get(job.caseNo)?.job;
      return current?.state === 'purged' && current.disposal?.state === 'approved';
    };
    const saved = this.cases.append(job.caseNo, draft, 'completeDisposal', holds, () => {
      this.state.jobs.set(job.caseNo, { job: next });
      // The archive-number entry stays (the package's record); the search and disposal entries go.
      for (let i = this.state.archiveIndex.length - 1; i >= 0; i--) {
        const e = this.state.archiveIndex[i];
        if (e && e.caseNo === job.caseNo && e.entry !== 'NO') this.state.archiveIndex.splice(i, 1);
      }
    });
    if (!saved) throw new ConflictError('The disposal of this package changed meanwhile', { archiveNo: job.archiveNo });
  }

  async grantLoan(loan: Loan, draft: EventDraft): Promise<void> {
    await tick();
    const exists = () => this.state.loans.some((l) => l.caseNo === loan.caseNo && l.username === loan.username && l.loanId === loan.loanId);
    this.cases.append(
      loan.caseNo,
      draft,
      'grantLoan',
      () => !exists(),
      () => this.state.loans.push(clone(loan)),
    );
  }

  async activeLoans(caseNo: string, username: string, now: string): Promise<Loan[]> {
    await tick();
    return clone(this.state.loans.filter((l) => l.caseNo === caseNo && l.username === username && l.until > now).sort((a, b) => byKey(b.until, a.until)));
  }

  async getFixityPass(): Promise<FixityPass | null> {
    await tick();
    return clone(this.state.fixityPass);
  }

  async saveFixityPass(pass: FixityPass): Promise<void> {
    await tick();
    this.state.fixityPass = clone(pass);
  }

  async saveFixityReport(report: FixityReportRecord): Promise<void> {
    await tick();
    this.state.fixityReports.set(`${report.startedAt}#${report.reportId}`, clone(report));
  }

  async listFixityReports(limit: number, cursor?: string): Promise<Page<FixityReportRecord>> {
    await tick();
    return pageOf(
      [...this.state.fixityReports].map(([key, item]) => ({ key, item })),
      'desc',
      limit,
      cursor,
    );
  }
}

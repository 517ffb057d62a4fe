/**
 * CaseRepository, TemplateStore and CalendarYearStore in memory, with the semantics of
 * shared/adapters/dynamodb-repository.ts: gapless case and document numbers taken by the write
 * that stores what carries them (NumberTakenError when another took it), the case written only at
 * the version read (ConflictError), the audit chain appended on the current head, documents
 * created once and updated only from the status expected, idempotency leases, and the lists in
 * the order of the index each query uses, a page at a time.
 */
import { randomUUID } from 'node:crypto';
import type { CalendarYearStore } from '../../../shared/app/calendar';
import type { CaseQuery, CaseRepository, EventDraft, IdempotencyClaim, Page, TemplateOverride, TemplateStore } from '../../../shared/app/ports';
import { chainEvent, type AuditEvent } from '../../../shared/domain/audit';
import type { StoredCalendarYear } from '../../../shared/domain/calendar-change';
import { CaseSchema, type Case } from '../../../shared/domain/case';
import type { DocumentRecord } from '../../../shared/domain/documents';
import { ConflictError, NumberTakenError } from '../../../shared/domain/errors';
import type { LetterType } from '../../../shared/domain/letter-types';
import { awaitingApproval } from '../../../shared/domain/lifecycle';
import { addDays } from '../../../shared/domain/time';
import { clone, tick, type FakeState } from './state';
import { byKey, pageOf } from './paging';

const IDEMPOTENCY_LEASE_MS = 30_000;

/** The case as lists read it: the case item without the parts kept beside it. */
export function withoutParts(c: Case): Case {
  return { ...c, fullText: '', returns: [] };
}

export function caseCounter(prefix: string, year: number): string {
  return `case:${prefix}:${year}`;
}

export function documentCounter(series: string): string {
  return `doc:${series}`;
}

/**
 * The counter moves of the numbered letters among `documents`: per series, from the number before
 * the first to the last (consecutive numbers, as the adapter requires).
 */
export function documentNumberMoves(documents: DocumentRecord[]): { counter: string; last: number; next: number }[] {
  const series = new Map<string, number[]>();
  for (const d of documents) if (d.numbering) series.set(d.numbering.series, [...(series.get(d.numbering.series) ?? []), d.numbering.seq]);
  return [...series].map(([name, seqs]) => {
    const sorted = [...seqs].sort((a, b) => a - b);
    if (sorted.some((n, i) => i > 0 && n !== (sorted[i - 1] ?? 0) + 1)) throw new Error(`The letters of one write must take consecutive numbers of ${name}`);
    return { counter: documentCounter(name), last: (sorted[0] ?? 1) - 1, next: sorted.at(-1) ?? 1 };
  });
}

/** The sort date of a case in the status lists: its nearest open clock, else its receipt. */
function sortDate(c: Case): string {
  const running = Object.values(c.clocks)
    .filter((k) => k.status !== 'stopped')
    .map((k) => k.due)
    .sort();
  return running[0] ?? c.receivedOn;
}

export class FakeCaseRepository implements CaseRepository, TemplateStore, CalendarYearStore {
  constructor(readonly state: FakeState) {}

  // ---- numbers and idempotency --------------------------------------------------------------

  async lastCaseNumber(prefix: string, year: number): Promise<number> {
    await tick();
    return this.state.counter(caseCounter(prefix, year));
  }

  async lastDocumentNumber(series: string): Promise<number> {
    await tick();
    return this.state.counter(documentCounter(series));
  }

  async claimIdempotency(key: string, requestHash: string, now: Date): Promise<IdempotencyClaim> {
    await tick();
    const existing = this.state.idempotency.get(key);
    if (!existing || (existing.state === 'in-progress' && existing.leaseUntil < now.getTime() && existing.requestHash === requestHash)) {
      const token = randomUUID();
      this.state.idempotency.set(key, { requestHash, state: 'in-progress', token, leaseUntil: now.getTime() + IDEMPOTENCY_LEASE_MS });
      return { state: 'claimed', token };
    }
    if (existing.requestHash !== requestHash) return { state: 'mismatch' };
    if (existing.state === 'done') return { state: 'done', caseNo: existing.caseNo ?? '', queryCode: existing.queryCode ?? '' };
    return { state: 'in-progress' };
  }

  // ---- cases --------------------------------------------------------------------------------

  async createCase(input: Parameters<CaseRepository['createCase']>[0]): Promise<Case> {
    await tick();
    const s = this.state;
    const event = chainEvent(null, { ...input.event, caseNo: input.case.caseNo });
    const c: Case = { ...CaseSchema.parse(clone(input.case)), auditSeq: event.seq, auditHead: event.hash };
    const { prefix, year, seq } = input.caseNumber;
    const moves = [{ counter: caseCounter(prefix, year), last: seq - 1, next: seq }, ...documentNumberMoves(input.documents)];
    const idem = input.idempotency ? s.idempotency.get(input.idempotency.key) : undefined;
    const idempotencyLost = input.idempotency !== undefined && idem?.token !== input.idempotency.token;
    if (!idempotencyLost && (s.cases.has(c.caseNo) || moves.some((m) => s.counter(m.counter) !== m.last))) throw new NumberTakenError(`${prefix}-${year}`);
    if (idempotencyLost || input.documents.some((d) => s.docsOf(d.caseNo).has(d.documentId))) {
      throw new ConflictError('The registration could not be saved (a concurrent retry won); retry with the same Idempotency-Key');
    }
    s.checkFault('createCase');

    s.cases.set(c.caseNo, clone(c));
    s.events.set(c.caseNo, [clone(event)]);
    s.writeChangedClockEntries(c, {});
    s.writeCaseEntry(c);
    for (const d of input.documents) s.docsOf(d.caseNo).set(d.documentId, clone(d));
    if (input.sealedQueryCode) s.sealedQueryCodes.set(c.caseNo, input.sealedQueryCode);
    for (const m of moves) s.counters.set(m.counter, m.next);
    const month = c.receivedOn.slice(0, 7);
    s.registrations.set(month, (s.registrations.get(month) ?? 0) + 1);
    if (input.idempotency && idem) Object.assign(idem, { state: 'done', caseNo: c.caseNo, queryCode: input.idempotency.queryCode });
    return clone(c);
  }

  async getCase(caseNo: string): Promise<Case | null> {
    await tick();
    return clone(this.state.cases.get(caseNo) ?? null);
  }

  async getSealedQueryCode(caseNo: string): Promise<string | null> {
    await tick();
    return this.state.sealedQueryCodes.get(caseNo) || null;
  }

  async saveTransition(before: Case, after: Case, draft: EventDraft, extra: { documents?: DocumentRecord[] } = {}): Promise<Case> {
    await tick();
    const s = this.state;
    const current = s.cases.get(before.caseNo);
    if (!current || current.version !== before.version) {
      throw new ConflictError('The case was changed by someone else; reload and try again', { expected: before.version, current: current?.version });
    }
    if (after.returns.length < current.returns.length) throw new Error(`The returns of ${after.caseNo} only grow`);
    const documents = extra.documents ?? [];
    if (documents.some((d) => s.docsOf(d.caseNo).has(d.documentId))) throw new ConflictError('The case is busy; try again');
    if (documentNumberMoves(documents).some((m) => s.counter(m.counter) !== m.last)) throw new NumberTakenError('document number');
    s.checkFault('saveTransition');

    // Same version: only the chain may have moved (an access recorded); the event goes on its head.
    const event = chainEvent(current.auditSeq > 0 ? { seq: current.auditSeq, hash: current.auditHead } : null, { ...draft, caseNo: before.caseNo });
    const next: Case = { ...CaseSchema.parse(clone(after)), auditSeq: event.seq, auditHead: event.hash };
    s.cases.set(next.caseNo, clone(next));
    s.events.get(next.caseNo)?.push(clone(event));
    s.writeChangedClockEntries(next, before.clocks);
    s.writeCaseEntry(next);
    for (const d of documents) s.docsOf(d.caseNo).set(d.documentId, clone(d));
    for (const m of documentNumberMoves(documents)) s.counters.set(m.counter, m.next);
    return clone(next);
  }

  async appendEvent(caseNo: string, draft: EventDraft): Promise<AuditEvent> {
    await tick();
    const event = this.append(caseNo, draft, 'appendEvent');
    if (!event) throw new ConflictError(`Could not record the event on ${caseNo}`);
    return event;
  }

  /** Appends an event on the chain's current head (with `write`, in the same transaction); null when `check` fails. */
  append(caseNo: string, draft: EventDraft, op: string, check: () => boolean = () => true, write: () => void = () => undefined): AuditEvent | null {
    const s = this.state;
    const c = s.cases.get(caseNo);
    if (!c) throw new ConflictError(`No case ${caseNo}`);
    if (!check()) return null;
    s.checkFault(op);
    const event = chainEvent(c.auditSeq > 0 ? { seq: c.auditSeq, hash: c.auditHead } : null, { ...draft, caseNo });
    c.auditSeq = event.seq;
    c.auditHead = event.hash;
    s.events.get(caseNo)?.push(clone(event));
    write();
    return clone(event);
  }

  async listEvents(caseNo: string): Promise<AuditEvent[]> {
    await tick();
    return clone(this.state.events.get(caseNo) ?? []);
  }

  // ---- searching ----------------------------------------------------------------------------

  async findByPetitionerKeys(keys: string[]): Promise<Case[]> {
    await tick();
    const found = new Set<string>();
    for (const identity of new Set(keys)) {
      this.casesWhere((c) => c.petitionerKeys.includes(identity))
        .sort((a, b) => byKey(`${a.receivedOn}#${a.caseNo}`, `${b.receivedOn}#${b.caseNo}`))
        .forEach((c) => found.add(c.caseNo));
    }
    return [...found].map((no) => clone(withoutParts(this.state.cases.get(no) as Case)));
  }

  async inbox(deptCode: string, limit: number, cursor?: string): Promise<Page<Case>> {
    await tick();
    const sortKey = (c: Case) => `${c.clocks.departmentDue?.due ?? c.clocks.handling?.due ?? '9999-12-31'}#${c.caseNo}`;
    const open = this.casesWhere((c) => c.status === 'assigned' && c.deptCode === deptCode).map((c) => ({ key: sortKey(c), item: c }));
    return pageOf(open, 'asc', limit, cursor);
  }

  async list(q: CaseQuery): Promise<Page<Case>> {
    await tick();
    const filter = (c: Case) =>
      (!q.status || c.status === q.status) &&
      (!q.channel || c.channel.type === q.channel) &&
      (!q.awaiting || awaitingApproval(c) === q.awaiting) &&
      (!q.category || c.category === q.category) &&
      (!q.deptCode || c.departmentHistory.includes(q.deptCode)) &&
      (!q.receivedFrom || c.receivedOn >= q.receivedFrom) &&
      (!q.receivedTo || c.receivedOn <= q.receivedTo) &&
      (!q.dueBefore || (c.clocks.handling !== undefined && c.clocks.handling.status !== 'stopped' && c.clocks.handling.due <= q.dueBefore));
    const received = (c: Case) => `${c.receivedOn}#${c.caseNo}`;

    // The index the adapter picks for the query (one answer per query), then the other filters.
    if (q.petitionerKeys && q.petitionerKeys.length > 0) return { items: (await this.findByPetitionerKeys(q.petitionerKeys)).filter(filter) };
    if (q.deptCode) {
      const dept = q.deptCode;
      return pageOf(
        this.casesWhere((c) => c.departmentHistory.includes(dept) && filter(c)).map((c) => ({ key: received(c), item: c })),
        'desc',
        q.limit,
        q.cursor,
      );
    }
    if (q.dueBefore) {
      return pageOf(
        this.casesWhere(filter).map((c) => ({ key: `${c.clocks.handling?.due}#${c.caseNo}`, item: c })),
        'asc',
        q.limit,
        q.cursor,
      );
    }
    if (q.awaiting)
      return pageOf(
        this.casesWhere(filter).map((c) => ({ key: c.caseNo, item: c })),
        'asc',
        q.limit,
        q.cursor,
      );
    if (q.status)
      return pageOf(
        this.casesWhere(filter).map((c) => ({ key: `${sortDate(c)}#${c.caseNo}`, item: c })),
        'asc',
        q.limit,
        q.cursor,
      );
    // By month (or year, with a category) of receipt, newest first: the adapter reads the months
    // from `receivedTo` (default today) back to `receivedFrom` (default two years before).
    // With a category, by year: from `receivedTo`'s year (default this year) back to `receivedFrom`'s (default last year).
    const to = (q.receivedTo ?? new Date().toISOString().slice(0, 10)).slice(0, 7);
    const from = (q.receivedFrom ?? addDays(`${to}-01`, -730)).slice(0, 7);
    const toYear = to.slice(0, 4);
    const fromYear = q.receivedFrom ? q.receivedFrom.slice(0, 4) : String(Number(toYear) - 1);
    const inRange = q.category
      ? (c: Case) => c.receivedOn.slice(0, 4) >= fromYear && c.receivedOn.slice(0, 4) <= toYear
      : (c: Case) => c.receivedOn.slice(0, 7) >= from && c.receivedOn.slice(0, 7) <= to;
    return pageOf(
      this.casesWhere((c) => inRange(c) && filter(c)).map((c) => ({ key: received(c), item: c })),
      'desc',
      q.limit,
      q.cursor,
    );
  }

  async registrationsPerMonth(fromMonth: string, toMonth: string): Promise<{ month: string; count: number }[]> {
    await tick();
    return [...this.state.registrations]
      .filter(([month]) => month >= fromMonth && month <= toMonth)
      .sort(([a], [b]) => byKey(a, b))
      .map(([month, count]) => ({ month, count }));
  }

  private casesWhere(p: (c: Case) => boolean): Case[] {
    return [...this.state.cases.values()].filter(p).map((c) => withoutParts(c));
  }

  // ---- documents ----------------------------------------------------------------------------

  async putDocument(doc: DocumentRecord, draft: EventDraft): Promise<void> {
    await tick();
    const docs = this.state.docsOf(doc.caseNo);
    const event = this.append(
      doc.caseNo,
      draft,
      'putDocument',
      () => !docs.has(doc.documentId),
      () => docs.set(doc.documentId, clone(doc)),
    );
    if (!event) throw new ConflictError(`Document ${doc.documentId} of ${doc.caseNo} exists already`);
  }

  async getDocument(caseNo: string, documentId: string): Promise<DocumentRecord | null> {
    await tick();
    return clone(this.state.documents.get(caseNo)?.get(documentId) ?? null);
  }

  async listDocuments(caseNo: string): Promise<DocumentRecord[]> {
    await tick();
    return clone([...(this.state.documents.get(caseNo)?.values() ?? [])].sort((a, b) => byKey(a.createdAt, b.createdAt)));
  }

  async recordDocumentCheck(doc: DocumentRecord, expectedStatus: DocumentRecord['status'], draft: EventDraft): Promise<boolean> {
    await tick();
    const docs = this.state.docsOf(doc.caseNo);
    const event = this.append(
      doc.caseNo,
      draft,
      'recordDocumentCheck',
      () => docs.get(doc.documentId)?.status === expectedStatus,
      () => docs.set(doc.documentId, clone(doc)),
    );
    return event !== null;
  }

  async stalePendingUploads(before: string, limit: number, cursor?: string): Promise<Page<{ caseNo: string; documentId: string }>> {
    await tick();
    // A pending upload is listed by when its link expires, until its check settles it.
    const pending = [...this.state.documents.values()]
      .flatMap((docs) => [...docs.values()])
      .filter((d) => d.status === 'pending' && d.kind !== 'generated')
      .map((d) => ({ key: `${d.uploadExpiresAt ?? d.createdAt}#${d.caseNo}#${d.documentId}`, item: { caseNo: d.caseNo, documentId: d.documentId } }))
      .filter((e) => e.key <= `${before}#~`);
    return pageOf(pending, 'asc', limit, cursor);
  }

  // ---- the office's templates and calendar years --------------------------------------------

  async listTemplateOverrides(): Promise<TemplateOverride[]> {
    await tick();
    return clone([...this.state.templates.values()].sort((a, b) => byKey(a.type, b.type)));
  }

  async putTemplateOverride(override: TemplateOverride): Promise<void> {
    await tick();
    if ((this.state.templates.get(override.type)?.version ?? 0) !== override.version - 1)
      throw new ConflictError('The template was changed by someone else; reload and try again', { type: override.type });
    this.state.templates.set(override.type, clone(override));
  }

  async deleteTemplateOverride(type: LetterType, version?: number): Promise<boolean> {
    await tick();
    if (version !== undefined && (this.state.templates.get(type)?.version ?? 0) !== version)
      throw new ConflictError('The template was changed by someone else; reload and try again', { type });
    return this.state.templates.delete(type);
  }

  async calendarYears(): Promise<StoredCalendarYear[]> {
    await tick();
    return clone([...this.state.calendarYears.values()].sort((a, b) => a.year - b.year));
  }

  async putCalendarYear(year: StoredCalendarYear): Promise<void> {
    await tick();
    this.state.calendarYears.set(year.year, clone(year));
  }
}

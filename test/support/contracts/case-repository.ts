/**
 * The contract of CaseRepository (and the TemplateStore / CalendarYearStore beside it): what the
 * use cases rely on, run against the in-memory fake (test/unit/fakes/contracts.test.ts) and the
 * DynamoDB adapter (test/adapter/contracts.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CalendarYearStore } from '../../../shared/app/calendar';
import type { CaseRepository, TemplateStore } from '../../../shared/app/ports';
import { verifyChain } from '../../../shared/domain/audit';
import { ConflictError, NumberTakenError } from '../../../shared/domain/errors';
import { director, hrss, opinion } from '../../unit/lifecycle/fixtures';
import { documentOf, event, letterOf, newTestCase, next, uniquePrefix } from './builders';

export type CaseRepositoryUnderTest = CaseRepository & TemplateStore & CalendarYearStore;

export function caseRepositoryContract(name: string, make: () => CaseRepositoryUnderTest) {
  describe(`CaseRepository contract: ${name}`, () => {
    const create = async (
      repo: CaseRepository,
      prefix: string,
      seq: number,
      over: Parameters<typeof newTestCase>[2] = {},
      extra: Partial<Parameters<CaseRepository['createCase']>[0]> = {},
    ) =>
      repo.createCase({
        case: newTestCase(prefix, seq, over),
        caseNumber: { prefix, year: 2026, seq },
        event: event('case.registered'),
        documents: [],
        ...extra,
      });

    it('creates a case with its first audit event, documents and sealed query code, and takes its number', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const doc = documentOf(newTestCase(prefix, 1).caseNo);
      const saved = await create(repo, prefix, 1, {}, { documents: [doc], sealedQueryCode: 'sealed-code' });
      const read = await repo.getCase(saved.caseNo);
      expect(read).toEqual(saved);
      expect(saved.auditSeq).toBe(1);
      const events = await repo.listEvents(saved.caseNo);
      expect(events.map((e) => e.type)).toEqual(['case.registered']);
      expect(events[0]?.hash).toBe(saved.auditHead);
      expect(await repo.listDocuments(saved.caseNo)).toEqual([doc]);
      expect(await repo.getSealedQueryCode(saved.caseNo)).toBe('sealed-code');
      expect(await repo.lastCaseNumber(prefix, 2026)).toBe(1);
      expect(await repo.getCase(newTestCase(prefix, 2).caseNo)).toBeNull();
    });

    it('numbers without gaps: a case number not next in its series, or taken, is NumberTakenError and writes nothing', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      await create(repo, prefix, 1);
      await expect(create(repo, prefix, 3)).rejects.toBeInstanceOf(NumberTakenError);
      await expect(create(repo, prefix, 1)).rejects.toBeInstanceOf(NumberTakenError);
      expect(await repo.getCase(newTestCase(prefix, 3).caseNo)).toBeNull();
      expect(await repo.lastCaseNumber(prefix, 2026)).toBe(1);
      await create(repo, prefix, 2);
      expect(await repo.lastCaseNumber(prefix, 2026)).toBe(2);
    });

    it('takes the document numbers of the letters it stores with the case; a letter whose number was taken fails the whole registration', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const series = `S-${prefix}`;
      const caseNo = newTestCase(prefix, 1).caseNo;
      await expect(create(repo, prefix, 1, {}, { documents: [letterOf(caseNo, series, 2)] })).rejects.toBeInstanceOf(NumberTakenError);
      expect(await repo.getCase(caseNo)).toBeNull();
      expect(await repo.lastCaseNumber(prefix, 2026)).toBe(0);
      expect(await repo.lastDocumentNumber(series)).toBe(0);
      await create(repo, prefix, 1, {}, { documents: [letterOf(caseNo, series, 1)] });
      expect(await repo.lastDocumentNumber(series)).toBe(1);
    });

    it('saves a transition only at the version read, chaining its event on the current head (an access recorded meanwhile)', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const c = await create(repo, prefix, 1);
      await repo.appendEvent(c.caseNo, event('document.downloaded'));
      const accepted = next(c, 'accept', director, '2026-03-03');
      const saved = await repo.saveTransition(c, accepted, event('case.accepted'));
      expect(saved.version).toBe(c.version + 1);
      expect(saved.auditSeq).toBe(3);
      const events = await repo.listEvents(c.caseNo);
      expect(events.map((e) => e.type)).toEqual(['case.registered', 'document.downloaded', 'case.accepted']);
      expect(verifyChain(c.caseNo, events, { head: { seq: saved.auditSeq, hash: saved.auditHead } })).toEqual({ ok: true, count: 3 });
      expect((await repo.getCase(c.caseNo))?.status).toBe('accepted');

      // A writer that read version 1 after it moved on: refused, nothing written.
      await expect(repo.saveTransition(c, accepted, event('case.accepted'))).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.listEvents(c.caseNo)).toHaveLength(3);
      expect((await repo.getCase(c.caseNo))?.version).toBe(saved.version);
    });

    it('a transition whose letter number was taken meanwhile is NumberTakenError and leaves the case as it was', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const series = `S-${prefix}`;
      const c = await create(repo, prefix, 1);
      const accepted = next(c, 'accept', director, '2026-03-03');
      await expect(repo.saveTransition(c, accepted, event('case.accepted'), { documents: [letterOf(c.caseNo, series, 5)] })).rejects.toBeInstanceOf(
        NumberTakenError,
      );
      expect((await repo.getCase(c.caseNo))?.version).toBe(c.version);
      expect(await repo.listDocuments(c.caseNo)).toEqual([]);
      const saved = await repo.saveTransition(c, accepted, event('case.accepted'), {
        documents: [letterOf(c.caseNo, series, 1), letterOf(c.caseNo, series, 2)],
      });
      expect(saved.status).toBe('accepted');
      expect(await repo.lastDocumentNumber(series)).toBe(2);
    });

    it('creates a document once, with its event, and records its check (with its event) only from the status expected', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const c = await create(repo, prefix, 1);
      const doc = documentOf(c.caseNo);
      await repo.putDocument(doc, event('document.upload-requested'));
      await expect(repo.putDocument(doc, event('document.upload-requested'))).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'document.upload-requested']);
      expect((await repo.getCase(c.caseNo))?.auditSeq).toBe(2);

      const verified = { ...doc, status: 'verified' as const, key: `verified/${c.caseNo}/${doc.documentId}`, size: 10, sha256: 'a'.repeat(64) };
      expect(await repo.recordDocumentCheck(verified, 'quarantined', event('document.verified'))).toBe(false);
      expect((await repo.getDocument(c.caseNo, doc.documentId))?.status).toBe('pending');
      expect(await repo.listEvents(c.caseNo)).toHaveLength(2);
      expect(await repo.recordDocumentCheck(verified, 'pending', event('document.verified'))).toBe(true);
      expect(await repo.recordDocumentCheck(verified, 'pending', event('document.verified'))).toBe(false);
      expect(await repo.getDocument(c.caseNo, doc.documentId)).toEqual(verified);
      expect((await repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'document.upload-requested', 'document.verified']);
      expect(await repo.getDocument(c.caseNo, 'no-such-document')).toBeNull();
      expect(await repo.recordDocumentCheck({ ...verified, documentId: 'no-such-document' }, 'pending', event('document.verified'))).toBe(false);
    });

    it('lists the pending uploads whose link expired by a date, oldest first, until their check settles them', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const c = await create(repo, prefix, 1);
      // Links that expire in a year no other test uses, so the table's other uploads stay out of the way.
      const late = documentOf(c.caseNo, { uploadExpiresAt: '2019-05-03T00:00:00.000Z' });
      const early = documentOf(c.caseNo, { uploadExpiresAt: '2019-05-01T00:00:00.000Z' });
      const notYet = documentOf(c.caseNo, { uploadExpiresAt: '2019-05-10T00:00:00.000Z' });
      for (const d of [late, early, notYet]) await repo.putDocument(d, event('document.upload-requested'));
      const stale = async () => {
        const out: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await repo.stalePendingUploads('2019-05-05T00:00:00.000Z', 1, cursor);
          expect(page.items.length).toBeLessThanOrEqual(1);
          out.push(...page.items.filter((i) => i.caseNo === c.caseNo).map((i) => i.documentId));
          cursor = page.cursor;
        } while (cursor);
        return out;
      };
      expect(await stale()).toEqual([early.documentId, late.documentId]);
      await repo.recordDocumentCheck({ ...early, status: 'expired', rejectionReason: '上传链接已过期' }, 'pending', event('document.upload-expired'));
      expect(await stale()).toEqual([late.documentId]);
    });

    it('claims an idempotency key once per request: in progress, mismatch, done with the case, and again after a lease ran out', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const key = `idem-${prefix}`;
      const now = new Date('2026-03-02T02:00:00Z');
      const first = await repo.claimIdempotency(key, 'hash-a', now);
      expect(first.state).toBe('claimed');
      expect(await repo.claimIdempotency(key, 'hash-a', now)).toEqual({ state: 'in-progress' });
      expect(await repo.claimIdempotency(key, 'hash-b', now)).toEqual({ state: 'mismatch' });
      // The first attempt died: after its lease another takes the key over, and the first may no longer finish.
      const later = new Date(now.getTime() + 31_000);
      const second = await repo.claimIdempotency(key, 'hash-a', later);
      expect(second.state).toBe('claimed');
      const token = (t: typeof first) => (t.state === 'claimed' ? t.token : '');
      await expect(create(repo, prefix, 1, {}, { idempotency: { key, token: token(first), queryCode: 'CODE1234' } })).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.getCase(newTestCase(prefix, 1).caseNo)).toBeNull();
      const c = await create(repo, prefix, 1, {}, { idempotency: { key, token: token(second), queryCode: 'CODE1234' } });
      expect(await repo.claimIdempotency(key, 'hash-a', later)).toEqual({ state: 'done', caseNo: c.caseNo, queryCode: 'CODE1234' });
    });

    it('lists by status in due order, a page at a time, each case once', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const received = ['2026-03-05', '2026-03-02', '2026-03-04', '2026-03-03', '2026-03-06'];
      const cases = [];
      for (const [i, receivedOn] of received.entries()) cases.push(await create(repo, prefix, i + 1, { receivedOn }));
      // Those of this prefix (the adapter's table may hold other tests' registered cases).
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await repo.list({ status: 'registered', limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((c) => c.caseNo));
        cursor = page.cursor;
        pages += 1;
      } while (cursor && pages < 100);
      const ours = seen.filter((no) => no.startsWith(`${prefix}-`));
      const byNotifyDue = [...cases]
        .sort((a, b) => `${a.clocks.notify?.due}#${a.caseNo}`.localeCompare(`${b.clocks.notify?.due}#${b.caseNo}`))
        .map((c) => c.caseNo);
      expect(ours).toEqual(byNotifyDue);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('lists by days of receipt newest first, a department’s cases, and a department’s inbox by its due date', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const a = await create(repo, prefix, 1, { receivedOn: '2025-11-03' });
      const b = await create(repo, prefix, 2, { receivedOn: '2025-11-05' });
      const c = await create(repo, prefix, 3, { receivedOn: '2025-11-04' });
      const range = await repo.list({ receivedFrom: '2025-11-01', receivedTo: '2025-11-30', limit: 50 });
      expect(range.items.map((x) => x.caseNo).filter((no) => no.startsWith(`${prefix}-`))).toEqual([b.caseNo, c.caseNo, a.caseNo]);
      expect(range.items.every((x) => x.fullText === '' && x.returns.length === 0)).toBe(true);

      // Assigned to HRSS: two on different days; the one due first heads the inbox.
      const assign = async (x: typeof a, day: string) => {
        const accepted = await repo.saveTransition(x, next(x, 'accept', director, day), event('case.accepted'));
        return repo.saveTransition(accepted, next(accepted, 'assign', director, day, { deptCode: 'HRSS' }), event('case.assigned'));
      };
      const late = await assign(a, '2025-11-20');
      const early = await assign(c, '2025-11-06');
      const inbox = (await repo.inbox('HRSS', 50)).items.map((x) => x.caseNo).filter((no) => no.startsWith(`${prefix}-`));
      expect(inbox).toEqual([early.caseNo, late.caseNo]);
      const dept = await repo.list({ deptCode: 'HRSS', receivedFrom: '2025-11-01', receivedTo: '2025-11-30', limit: 50 });
      expect(dept.items.map((x) => x.caseNo).filter((no) => no.startsWith(`${prefix}-`))).toEqual([early.caseNo, late.caseNo]); // newest receipt first
      // Answered: out of the inbox, still the department's.
      await repo.saveTransition(early, next(early, 'answer', hrss, '2025-11-10', opinion), event('case.answered'));
      expect((await repo.inbox('HRSS', 50)).items.map((x) => x.caseNo)).not.toContain(early.caseNo);
      expect((await repo.list({ deptCode: 'HRSS', receivedFrom: '2025-11-01', receivedTo: '2025-11-30', limit: 50 })).items.map((x) => x.caseNo)).toContain(
        early.caseNo,
      );
      // The director's queue of answers.
      expect((await repo.list({ status: 'answered', awaiting: 'reply', limit: 50 })).items.map((x) => x.caseNo)).toContain(early.caseNo);
    });

    it('finds a petitioner’s cases by identity key, and counts registrations per month of receipt', async () => {
      const repo = make();
      const prefix = uniquePrefix();
      const identity = `id:${prefix}`;
      const one = await repo.createCase({
        case: newTestCase(prefix, 1, { receivedOn: '2025-07-02' }, [identity]),
        caseNumber: { prefix, year: 2026, seq: 1 },
        event: event('case.registered'),
        documents: [],
      });
      const two = await repo.createCase({
        case: newTestCase(prefix, 2, { receivedOn: '2025-07-01' }, [identity, `${identity}-b`]),
        caseNumber: { prefix, year: 2026, seq: 2 },
        event: event('case.registered'),
        documents: [],
      });
      await create(repo, prefix, 3, { receivedOn: '2025-08-01' });
      expect((await repo.findByPetitionerKeys([identity])).map((c) => c.caseNo)).toEqual([two.caseNo, one.caseNo]);
      expect((await repo.findByPetitionerKeys([`${identity}-b`])).map((c) => c.caseNo)).toEqual([two.caseNo]);
      expect(await repo.findByPetitionerKeys(['id:nobody'])).toEqual([]);
      expect(await repo.registrationsPerMonth('2025-06', '2025-08')).toEqual([
        { month: '2025-07', count: 2 },
        { month: '2025-08', count: 1 },
      ]);
    });

    it('keeps the office’s template overrides, one per letter type, each version over the one before', async () => {
      const repo = make();
      const v = (text: string, version: number) => ({
        type: 'acceptance-notice' as const,
        text,
        updatedBy: 'admin1',
        updatedAt: '2026-03-02T02:00:00.000Z',
        version,
      });
      await repo.putTemplateOverride(v('受理{{caseNo}}', 1));
      await expect(repo.putTemplateOverride(v('又一个{{caseNo}}', 1))).rejects.toBeInstanceOf(ConflictError);
      await repo.putTemplateOverride(v('受理告知{{caseNo}}', 2));
      await expect(repo.putTemplateOverride(v('晚了{{caseNo}}', 2))).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.listTemplateOverrides()).filter((t) => t.type === 'acceptance-notice').map((t) => [t.text, t.version])).toEqual([
        ['受理告知{{caseNo}}', 2],
      ]);
      await expect(repo.deleteTemplateOverride('acceptance-notice', 1)).rejects.toBeInstanceOf(ConflictError);
      expect(await repo.deleteTemplateOverride('acceptance-notice', 2)).toBe(true);
      expect(await repo.deleteTemplateOverride('acceptance-notice')).toBe(false);
      expect((await repo.listTemplateOverrides()).some((t) => t.type === 'acceptance-notice')).toBe(false);
    });

    it('keeps the office’s calendar years, one per year, in year order', async () => {
      const repo = make();
      const year = (y: number, source: string) => ({
        year: y,
        holidays: [`${y}-01-01`],
        makeupWorkdays: [],
        source,
        updatedBy: 'admin1',
        updatedAt: '2026-12-01T02:00:00.000Z',
      });
      await repo.putCalendarYear(year(2029, 'first'));
      await repo.putCalendarYear(year(2028, 'notice'));
      await repo.putCalendarYear(year(2029, 'corrected'));
      const ours = (await repo.calendarYears()).filter((y) => y.year === 2028 || y.year === 2029);
      expect(ours.map((y) => [y.year, y.source])).toEqual([
        [2028, 'notice'],
        [2029, 'corrected'],
      ]);
    });
  });
}

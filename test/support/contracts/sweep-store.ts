/**
 * The contract of SweepStore and OutboxStore (and CalendarClockStore): the sweep's entries as the
 * case writes leave them, one milestone committed as one conditional transaction with the
 * failure reasons the sweep acts on, supervisions moving only from the state expected, and the
 * outbox's leases. Run against the in-memory fake and DynamoDbSweepStore.
 */
import { describe, expect, it } from 'vitest';
import type { CalendarClockStore } from '../../../shared/app/calendar';
import type { CaseRepository } from '../../../shared/app/ports';
import type { OutboxStore, SupervisionWrite, SweepEntry, SweepStore } from '../../../shared/app/sweep-ports';
import type { Case } from '../../../shared/domain/case';
import { noticeIdOf, resolveSupervision, type Notice, type Supervision } from '../../../shared/domain/supervision';
import { clockTallies, supervisionTallies, tallyDelta } from '../../../shared/domain/dashboard';
import type { Actor } from '../../../shared/domain/roles';
import { addDays } from '../../../shared/domain/time';
import { director, housing, opinion } from '../../unit/lifecycle/fixtures';
import { event, letterOf, newTestCase, next, uniquePrefix } from './builders';

export interface SweepStoreUnderTest {
  repo: CaseRepository;
  store: SweepStore & OutboxStore & CalendarClockStore;
}

function noticeOf(c: Case, milestone: string, createdAt = '2026-03-10T01:00:00.000Z'): Notice {
  const n = { caseNo: c.caseNo, clock: 'notify' as const, due: c.clocks.notify?.due ?? '2026-03-17', milestone, recipient: { kind: 'clerk' as const } };
  return { ...n, noticeId: noticeIdOf(n), subject: `【提醒】${c.caseNo}`, body: '请及时处理。', createdOn: createdAt.slice(0, 10), createdAt, documentIds: [] };
}

function supervisionOf(c: Case, over: Partial<Supervision> = {}): Supervision {
  const due = '2026-03-17';
  return {
    supervisionId: `handling.${due}`,
    caseNo: c.caseNo,
    kind: 'handling',
    due,
    deptCode: 'HRSS',
    subject: c.subject,
    level: 'supervision',
    openedOn: '2026-03-18',
    letters: [],
    answers: [],
    status: 'open',
    ...over,
  };
}

export function sweepStoreContract(name: string, make: () => SweepStoreUnderTest) {
  describe(`SweepStore and OutboxStore contract: ${name}`, () => {
    const registered = async ({ repo }: SweepStoreUnderTest, receivedOn = '2026-03-02') => {
      const prefix = uniquePrefix();
      return repo.createCase({
        case: newTestCase(prefix, 1, { receivedOn }),
        caseNumber: { prefix, year: 2026, seq: 1 },
        event: event('case.registered'),
        documents: [],
      });
    };

    /** Every entry of `caseNo` due by `today`, over all shards and pages. */
    const entriesOf = async (store: SweepStore, caseNo: string, today: string): Promise<SweepEntry[]> => {
      const out: SweepEntry[] = [];
      for (const shard of store.shards()) {
        let cursor: string | undefined;
        do {
          const page = await store.dueEntries(shard, today, cursor);
          out.push(...page.entries.filter((e) => e.caseNo === caseNo));
          cursor = page.cursor;
        } while (cursor);
      }
      return out;
    };

    it('finds a registered case’s clock entry on its milestone’s date, not before, and moves it only from the token read', async () => {
      const h = make();
      const c = await registered(h);
      const notifyDue = c.clocks.notify?.due as string;
      const all = await entriesOf(h.store, c.caseNo, '2099-12-31');
      expect(all).toHaveLength(1);
      const entry = all[0] as SweepEntry;
      expect(entry).toMatchObject({ caseNo: c.caseNo, target: 'notify', due: notifyDue });
      expect(entry.milestone.date < notifyDue).toBe(true);
      expect(await entriesOf(h.store, c.caseNo, addDays(entry.milestone.date, -1))).toEqual([]);
      expect(await entriesOf(h.store, c.caseNo, entry.milestone.date)).toEqual([entry]);

      const later = { name: 'overdue' as const, date: addDays(notifyDue, 1) };
      expect(await h.store.advance(entry, later)).toBe(true);
      expect(await h.store.advance(entry, null)).toBe(false);
      const moved = await entriesOf(h.store, c.caseNo, '2099-12-31');
      expect(moved.map((e) => e.milestone)).toEqual([later]);
      expect(await h.store.advance(moved[0] as SweepEntry, null)).toBe(true);
      expect(await entriesOf(h.store, c.caseNo, '2099-12-31')).toEqual([]);
    });

    it('a transition that changes a clock rewrites its entry; the entry read before no longer commits (entry-moved)', async () => {
      const h = make();
      const c = await registered(h);
      const [entry] = await entriesOf(h.store, c.caseNo, '2099-12-31');
      const accepted = await h.repo.saveTransition(c, next(c, 'accept', director, '2026-03-03'), event('case.accepted'));
      const after = await entriesOf(h.store, c.caseNo, '2099-12-31');
      expect(after.map((e) => e.target).sort()).toEqual(['handling']);
      const before = (await h.store.getCase(c.caseNo)) as Case;
      expect(before.version).toBe(accepted.version);
      const result = await h.store.commit({
        entry,
        before,
        event: event('sweep.reminder'),
        notices: [noticeOf(c, 'remind-3')],
        supervisions: [],
        documents: [],
        next: null,
      });
      expect(result).toEqual({ ok: false, reason: 'entry-moved' });
      expect((await h.store.outbox('2026-03-10', { limit: 50 })).items.filter((i) => i.notice.caseNo === c.caseNo)).toEqual([]);
      expect((await h.repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'case.accepted']);
    });

    it('commits a milestone once: notice, event and the entry’s next date together; again it is entry-moved, a second notice a duplicate', async () => {
      const h = make();
      const c = await registered(h);
      const [entry] = (await entriesOf(h.store, c.caseNo, '2099-12-31')) as [SweepEntry];
      const before = (await h.store.getCase(c.caseNo)) as Case;
      const nextMilestone = { name: 'overdue' as const, date: addDays(c.clocks.notify?.due as string, 1) };
      const notice = noticeOf(c, entry.milestone.name);
      const result = await h.store.commit({
        entry,
        before,
        event: event('sweep.reminder'),
        notices: [notice],
        supervisions: [],
        documents: [],
        next: nextMilestone,
      });
      expect(result.ok).toBe(true);
      expect(result.ok && result.case.auditSeq).toBe(2);
      expect((await h.repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'sweep.reminder']);
      expect((await entriesOf(h.store, c.caseNo, '2099-12-31')).map((e) => e.milestone)).toEqual([nextMilestone]);
      const listed = (await h.store.outbox(notice.createdOn, { limit: 50 })).items.filter((i) => i.notice.caseNo === c.caseNo);
      expect(listed).toEqual([{ notice, delivery: { status: 'pending', attempts: 0 } }]);

      // The same entry again (a second run that read it before the first committed): nothing.
      const again = await h.store.commit({
        entry,
        before,
        event: event('sweep.reminder'),
        notices: [notice],
        supervisions: [],
        documents: [],
        next: nextMilestone,
      });
      expect(again).toEqual({ ok: false, reason: 'entry-moved' });
      // The same notice from the moved entry, on the current case: a duplicate, nothing written.
      const [moved] = (await entriesOf(h.store, c.caseNo, '2099-12-31')) as [SweepEntry];
      const current = (await h.store.getCase(c.caseNo)) as Case;
      const dup = await h.store.commit({
        entry: moved,
        before: current,
        event: event('sweep.reminder'),
        notices: [notice],
        supervisions: [],
        documents: [],
        next: null,
      });
      expect(dup).toEqual({ ok: false, reason: 'duplicate' });
      expect(await h.repo.listEvents(c.caseNo)).toHaveLength(2);
      expect(await entriesOf(h.store, c.caseNo, '2099-12-31')).toEqual([moved]);
    });

    it('refuses a commit on a case read before it changed (case-moved), and a letter whose number was taken (number-taken); nothing written', async () => {
      const h = make();
      const c = await registered(h);
      const stale = (await h.store.getCase(c.caseNo)) as Case;
      await h.repo.appendEvent(c.caseNo, event('document.downloaded'));
      const moved = await h.store.commit({
        before: stale,
        event: event('supervision.answered'),
        notices: [noticeOf(c, 'x')],
        supervisions: [],
        documents: [],
        next: null,
      });
      expect(moved).toEqual({ ok: false, reason: 'case-moved' });

      const series = `S-${c.caseNo}`;
      const current = (await h.store.getCase(c.caseNo)) as Case;
      const taken = await h.store.commit({
        before: current,
        event: event('sweep.supervision'),
        notices: [],
        supervisions: [],
        documents: [letterOf(c.caseNo, series, 2)],
        next: null,
      });
      expect(taken).toEqual({ ok: false, reason: 'number-taken' });
      expect((await h.repo.listEvents(c.caseNo)).map((e) => e.type)).toEqual(['case.registered', 'document.downloaded']);
      expect(await h.repo.listDocuments(c.caseNo)).toEqual([]);
      const ok = await h.store.commit({
        before: current,
        event: event('sweep.supervision'),
        notices: [],
        supervisions: [],
        documents: [letterOf(c.caseNo, series, 1)],
        next: null,
      });
      expect(ok.ok).toBe(true);
      expect(await h.repo.lastDocumentNumber(series)).toBe(1);
    });

    it('opens a supervision once, raises it only from supervision, answers it only as read, settles it only while open', async () => {
      const h = make();
      const c = await registered(h);
      const s = supervisionOf(c);
      const commit = async (supervisions: Parameters<SweepStore['commit']>[0]['supervisions']) =>
        h.store.commit({
          before: (await h.store.getCase(c.caseNo)) as Case,
          event: event('supervision'),
          notices: [],
          supervisions,
          documents: [],
          next: null,
        });

      expect((await commit([{ op: 'open', record: s }])).ok).toBe(true);
      expect(await commit([{ op: 'open', record: s }])).toEqual({ ok: false, reason: 'duplicate' });
      expect(await h.store.getSupervision(c.caseNo, s.supervisionId)).toEqual(s);
      expect((await h.store.openSupervisions('HRSS')).map((x) => x.caseNo)).toContain(c.caseNo);
      expect((await h.store.openSupervisions(null)).map((x) => x.caseNo)).not.toContain(c.caseNo);

      const letter = { documentId: 'sup-2', level: 'flagged' as const, issuedOn: '2026-03-25' };
      expect((await commit([{ op: 'flag', caseNo: c.caseNo, kind: 'handling', due: s.due, on: '2026-03-25', letters: [letter] }])).ok).toBe(true);
      expect(await commit([{ op: 'flag', caseNo: c.caseNo, kind: 'handling', due: s.due, on: '2026-03-26', letters: [letter] }])).toEqual({
        ok: false,
        reason: 'supervision-state',
      });
      const flagged = (await h.store.getSupervision(c.caseNo, s.supervisionId)) as Supervision;
      expect(flagged).toMatchObject({ level: 'flagged', flaggedOn: '2026-03-25', letters: [letter] });

      const answer = { text: '已督促办理。', documentIds: [], level: 'flagged' as const, by: 'hrss1', at: '2026-03-26T02:00:00.000Z' };
      expect(await commit([{ op: 'answer', record: { ...flagged, answers: [answer] }, answersBefore: 1 }])).toEqual({ ok: false, reason: 'supervision-state' });
      expect((await commit([{ op: 'answer', record: { ...flagged, answers: [answer] }, answersBefore: 0 }])).ok).toBe(true);
      const resolved = { ...flagged, answers: [answer], status: 'resolved' as const, resolvedOn: '2026-03-27', resolution: 'stopped' };
      expect((await commit([{ op: 'resolve', record: resolved }])).ok).toBe(true);
      expect(await commit([{ op: 'resolve', record: resolved }])).toEqual({ ok: false, reason: 'supervision-state' });
      expect((await h.store.openSupervisions()).map((x) => x.caseNo)).not.toContain(c.caseNo);
      expect(await h.store.supervisionsOf(c.caseNo, 'handling')).toEqual([resolved]);
      expect(await h.store.supervisionsOf(c.caseNo, 'notify')).toEqual([]);
    });

    it('lists running clocks up to a date, and open clocks (paused too) from a date', async () => {
      const h = make();
      const c = await registered(h);
      const due = c.clocks.notify?.due as string;
      const running = await h.store.runningClocks(due, ['notify']);
      expect(running.filter((r) => r.caseNo === c.caseNo)).toEqual([{ caseNo: c.caseNo, kind: 'notify', due }]);
      expect((await h.store.runningClocks(addDays(due, -1), ['notify'])).some((r) => r.caseNo === c.caseNo)).toBe(false);
      expect((await h.store.runningClocks(due, ['handling'])).some((r) => r.caseNo === c.caseNo)).toBe(false);
      expect((await h.store.openClocksFrom(due)).filter((r) => r.caseNo === c.caseNo)).toEqual([{ caseNo: c.caseNo, kind: 'notify', due }]);
      expect((await h.store.openClocksFrom(addDays(due, 1))).some((r) => r.caseNo === c.caseNo)).toBe(false);
      expect((await h.store.getCases([c.caseNo, c.caseNo, 'XX-2026-999999'])).map((x) => x.caseNo)).toEqual([c.caseNo]);
    });

    it('leases a notice to one sender at a time, retries it when the lease ends, and gives it up once', async () => {
      const h = make();
      const c = await registered(h);
      const notice = noticeOf(c, 'remind-3', '2026-03-10T01:00:00.000Z');
      const before = (await h.store.getCase(c.caseNo)) as Case;
      expect((await h.store.commit({ before, notices: [notice], supervisions: [], documents: [], next: null })).ok).toBe(true);
      const created = Date.parse(notice.createdAt);
      const dueAt = async (ms: number) => {
        const out = [];
        for (const shard of h.store.shards())
          out.push(...(await h.store.dueNotices(shard, new Date(ms), { limit: 100 })).items.filter((i) => i.notice.noticeId === notice.noticeId));
        return out;
      };
      // Left to the stream's sender for its grace period, then due for the retry run.
      expect(await dueAt(created + 60_000)).toEqual([]);
      expect(await dueAt(created + 16 * 60_000)).toHaveLength(1);

      const t0 = new Date(created + 60_000);
      expect(await h.store.claimNotice(notice, t0, 120_000)).toEqual({ claimed: true, attempts: 1 });
      expect(await h.store.claimNotice(notice, new Date(t0.getTime() + 1_000), 120_000)).toEqual({ claimed: false, reason: 'busy' });
      // The sender died: due again when its lease ends, and another sender takes it.
      const [held] = await dueAt(t0.getTime() + 121_000);
      expect(held).toMatchObject({ delivery: { status: 'sending', attempts: 1 }, leaseUntil: t0.getTime() + 120_000 });
      expect(await h.store.claimNotice(notice, new Date(t0.getTime() + 121_000), 120_000)).toEqual({ claimed: true, attempts: 2 });
      // A failed send: pending, due at the retry time.
      await h.store.markNotice(notice, { status: 'pending', error: 'SES throttled' }, { retryAt: new Date(t0.getTime() + 600_000) });
      expect(await dueAt(t0.getTime() + 599_000)).toEqual([]);
      const [pending] = await dueAt(t0.getTime() + 600_000);
      expect(pending?.delivery).toMatchObject({ status: 'pending', attempts: 2, error: 'SES throttled' });
      // Given up as read; a second give-up of the same reading does nothing.
      const failedBefore = await h.store.failedNoticeCount();
      expect(await h.store.failNotice(pending as NonNullable<typeof pending>, new Date(t0.getTime() + 600_000), 'gave up')).toBe(true);
      expect(await h.store.failNotice(pending as NonNullable<typeof pending>, new Date(t0.getTime() + 600_000), 'gave up')).toBe(false);
      expect(await h.store.failedNoticeCount()).toBe(failedBefore + 1);
      expect(await dueAt(Date.parse('2099-01-01T00:00:00Z'))).toEqual([]);
      expect(await h.store.claimNotice(notice, new Date(t0.getTime() + 700_000), 120_000)).toEqual({ claimed: false, reason: 'done' });
      const [listed] = (await h.store.outbox(notice.createdOn, { status: 'failed', limit: 100 })).items.filter((i) => i.notice.noticeId === notice.noticeId);
      expect(listed?.delivery).toMatchObject({ status: 'failed', attempts: 2, error: 'gave up' });
    });

    it('a sent notice leaves the retry list and is done', async () => {
      const h = make();
      const c = await registered(h);
      const notice = noticeOf(c, 'remind-5', '2026-03-11T01:00:00.000Z');
      await h.store.commit({ before: (await h.store.getCase(c.caseNo)) as Case, notices: [notice], supervisions: [], documents: [], next: null });
      const now = new Date(Date.parse(notice.createdAt) + 1_000);
      expect(await h.store.claimNotice(notice, now, 120_000)).toEqual({ claimed: true, attempts: 1 });
      await h.store.markNotice(notice, { status: 'sent', channel: 'email', sentAt: now.toISOString() });
      expect(await h.store.claimNotice(notice, new Date(now.getTime() + 200_000), 120_000)).toEqual({ claimed: false, reason: 'done' });
      for (const shard of h.store.shards())
        expect(
          (await h.store.dueNotices(shard, new Date('2099-01-01T00:00:00Z'), { limit: 100 })).items.some((i) => i.notice.noticeId === notice.noticeId),
        ).toBe(false);
      const page = await h.store.outbox('2026-03-11', { status: 'sent', limit: 100 });
      expect(page.items.find((i) => i.notice.noticeId === notice.noticeId)?.delivery).toEqual({
        status: 'sent',
        attempts: 1,
        channel: 'email',
        sentAt: now.toISOString(),
      });
    });
    it('keeps the dashboard counts exact through a case’s life: clocks started, met, paused, resumed, the case transferred, supervisions opened, flagged and closed', async () => {
      const h = make();
      const counters = async () => new Map((await h.store.dashboardTallies('2000-01-01', '2099-12-31')).map((t) => [t.name, t.n]));
      let counted = await counters();
      let contributes: string[] = [];
      /** The counters moved exactly by what the case contributes now instead of before (other cases' counters stay). */
      const expectCounted = async (c: Case, supervisions: Supervision[]) => {
        const now = await counters();
        const moved: Record<string, number> = {};
        for (const name of new Set([...now.keys(), ...counted.keys()])) {
          const d = (now.get(name) ?? 0) - (counted.get(name) ?? 0);
          if (d !== 0) moved[name] = d;
        }
        const wanted = [...clockTallies(c), ...supervisionTallies(supervisions)];
        expect(moved).toEqual(Object.fromEntries(tallyDelta(contributes, wanted)));
        counted = now;
        contributes = wanted;
      };
      const listed = async (deptCode: string | null, caseNo: string) =>
        (await h.store.dashboardClocks(deptCode, null, '2099-12-31', 100)).filter((e) => e.caseNo === caseNo).map((e) => [e.kind, e.status]);
      const step = async (c: Case, action: Parameters<typeof next>[1], actor: Actor, today: string, input: unknown = {}) => {
        const fresh = (await h.repo.getCase(c.caseNo)) as Case;
        return h.repo.saveTransition(fresh, next(fresh, action, actor, today, input), event(`case.${action}`));
      };

      // A clock started (notify, the office's), then met (accepted) as handling starts.
      const c = await registered(h);
      await expectCounted(c, []);
      expect(await listed(null, c.caseNo)).toEqual([['notify', 'registered']]);
      const accepted = await step(c, 'accept', director, '2026-03-03');
      await expectCounted(accepted, []);
      // Assigned: handling and the department's own clock are HRSS's. The handling clock itself stays:
      // its list entry moves, and its sweep entry stays where the sweep moved it.
      const [handlingEntry] = (await entriesOf(h.store, c.caseNo, '2099-12-31')).filter((e) => e.target === 'handling');
      const moveTo = { name: 'overdue' as const, date: addDays(accepted.clocks.handling?.due as string, 1) };
      expect(await h.store.advance(handlingEntry as SweepEntry, moveTo)).toBe(true);
      const assigned = await step(accepted, 'assign', director, '2026-03-05', { deptCode: 'HRSS' });
      await expectCounted(assigned, []);
      expect(assigned.clocks.handling).toEqual(accepted.clocks.handling);
      expect((await entriesOf(h.store, c.caseNo, '2099-12-31')).filter((e) => e.target === 'handling').map((e) => e.milestone)).toEqual([moveTo]);
      expect(await listed('HRSS', c.caseNo)).toEqual(
        (['handling', 'departmentDue'] as const)
          .map((k) => [assigned.clocks[k]?.due as string, k])
          .sort()
          .map(([, k]) => [k, 'assigned']),
      );
      expect(await listed(null, c.caseNo)).toEqual([]);
      // Paused and resumed.
      const paused = await step(assigned, 'pause-clock', director, '2026-03-06', { clock: 'handling', reason: '等待鉴定结论' });
      await expectCounted(paused, []);
      expect((await listed('HRSS', c.caseNo)).map(([k]) => k)).toEqual(['departmentDue']);
      const resumed = await step(paused, 'resume-clock', director, '2026-03-09', { clock: 'handling' });
      await expectCounted(resumed, []);
      // Transferred to another department: its counters and list entries move with it.
      const moved = await step(resumed, 'reassign', director, '2026-03-10', { deptCode: 'HOUSING', reason: '职责调整' });
      await expectCounted(moved, []);
      expect(await listed('HRSS', c.caseNo)).toEqual([]);
      expect((await listed('HOUSING', c.caseNo)).map(([k]) => k).sort()).toEqual(['departmentDue', 'handling']);

      // Supervisions: two open in one department count the case once; flagged; then closed.
      const handling = moved.clocks.handling?.due as string;
      const deptDue = moved.clocks.departmentDue?.due as string;
      const first = supervisionOf(moved, { supervisionId: `handling.${handling}`, kind: 'handling', due: handling, deptCode: 'HOUSING' });
      const second = supervisionOf(moved, { supervisionId: `departmentDue.${deptDue}`, kind: 'departmentDue', due: deptDue, deptCode: 'HOUSING' });
      const commit = async (supervisions: SupervisionWrite[]) => {
        const before = (await h.store.getCase(c.caseNo)) as Case;
        expect(await h.store.commit({ before, event: event('supervision.changed'), notices: [], supervisions, documents: [] })).toMatchObject({ ok: true });
      };
      await commit([{ op: 'open', record: first }]);
      await expectCounted(moved, [first]);
      await commit([{ op: 'open', record: second }]);
      await expectCounted(moved, [first, second]);
      await commit([{ op: 'flag', caseNo: c.caseNo, kind: 'handling', due: handling, on: '2026-05-20', letters: [] }]);
      const flagged = { ...first, level: 'flagged' as const };
      await expectCounted(moved, [flagged, second]);
      expect((await h.store.openSupervisionsOf('HOUSING', { flagged: true, limit: 10 })).filter((x) => x.caseNo === c.caseNo).map((x) => x.kind)).toEqual([
        'handling',
      ]);
      await commit([{ op: 'resolve', record: resolveSupervision(flagged, '2026-05-21', '已办理') }]);
      await expectCounted(moved, [second]);
      expect((await h.store.openSupervisionsOf('HOUSING', { flagged: true, limit: 10 })).filter((x) => x.caseNo === c.caseNo)).toEqual([]);
      await commit([{ op: 'resolve', record: resolveSupervision(second, '2026-05-21', '已办理') }]);
      await expectCounted(moved, []);

      // Answered: the department's clock met, handling back with the office.
      const answered = await step(moved, 'answer', housing, '2026-03-20', opinion);
      await expectCounted(answered, []);
      expect(await listed('HOUSING', c.caseNo)).toEqual([]);
      expect(await listed(null, c.caseNo)).toEqual([['handling', 'answered']]);
    });
  });
}

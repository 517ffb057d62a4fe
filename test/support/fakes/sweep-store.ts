/**
 * SweepStore, OutboxStore and CalendarClockStore in memory, with the semantics of
 * shared/adapters/sweep-store.ts: the sweep's entries as the case writes left them (due by date,
 * a page at a time), one milestone committed as one transaction conditional on the entry as read,
 * the case's version and audit head, notices and supervisions that must not exist yet or must be
 * in the state expected, and the 督办单's number (gapless) — with the same failure reasons, in the
 * same precedence; and the outbox's leases (claim, mark, give up) with their retry entries.
 */
import type { CalendarClockStore } from '../../../shared/app/calendar';
import { FIRST_DELIVERY_GRACE_MS } from '../../../shared/app/outbox';
import type { Page } from '../../../shared/app/ports';
import type {
  ClaimResult,
  CommitResult,
  MilestoneCommit,
  OutboxEntry,
  OutboxStore,
  ReadStats,
  RunningClock,
  SupervisionWrite,
  SweepEntry,
  SweepStore,
  Tally,
  UndeliveredEntry,
  DashboardClockEntry,
} from '../../../shared/app/sweep-ports';
import { clockTallies, dashboardClocks, supervisionTallies, TALLY_RANGES } from '../../../shared/domain/dashboard';
import { CLOCK_LABELS } from '../../../shared/domain/sweep';
import { chainEvent } from '../../../shared/domain/audit';
import { CaseSchema, type Case } from '../../../shared/domain/case';
import type { ClockKind, ClockState } from '../../../shared/domain/clocks';
import type { Delivery, Notice, NoticeStatus, Supervision } from '../../../shared/domain/supervision';
import { NoticeSchema, SupervisionSchema } from '../../../shared/domain/supervision';
import type { Milestone } from '../../../shared/domain/sweep';
import { documentNumberMoves, withoutParts } from './case-repository';
import { byKey, pageOf } from './paging';
import { clone, tick, type FakeState, type StoredNotice } from './state';

const PAGE = 100;
type Role = 'entry' | 'case' | 'audit' | 'notice' | 'supervision-open' | 'supervision' | 'document' | 'number';

const supervisionKey = (caseNo: string, kind: string, due: string) => `${caseNo}#${kind}#${due}`;

export class FakeSweepStore implements SweepStore, OutboxStore, CalendarClockStore {
  private stats: ReadStats = { items: 0, capacityUnits: 0, requests: 0 };

  constructor(readonly state: FakeState) {}

  private read<T>(items: T[]): T[] {
    this.stats.items += items.length;
    this.stats.requests += 1;
    this.stats.capacityUnits += Math.max(0.5, items.length * 0.5);
    return items;
  }

  readStats(): ReadStats {
    return { ...this.stats };
  }

  shards(): readonly number[] {
    return [0];
  }

  // ---- the sweep ----------------------------------------------------------------------------

  async dueEntries(_shard: number, today: string, cursor?: string): Promise<{ entries: SweepEntry[]; cursor?: string }> {
    await tick();
    const due = [...this.state.entries.values()].filter((e) => e.milestone.date <= today).map((e) => ({ key: e.token, item: e }));
    const page = pageOf(due, 'asc', PAGE, cursor);
    const entries = this.read(page.items).map((e): SweepEntry => ({
      caseNo: e.caseNo,
      target: e.target,
      milestone: e.milestone,
      ...(e.due !== undefined ? { due: e.due } : {}),
      token: e.token,
    }));
    return { entries, cursor: page.cursor };
  }

  async getCase(caseNo: string): Promise<Case | null> {
    await tick();
    const c = this.state.cases.get(caseNo);
    this.read(c ? [c] : []);
    return c ? clone(withoutParts(c)) : null;
  }

  async getCases(caseNos: string[]): Promise<Case[]> {
    await tick();
    const found = [...new Set(caseNos)].flatMap((no) => {
      const c = this.state.cases.get(no);
      return c ? [clone(withoutParts(c))] : [];
    });
    return this.read(found);
  }

  async advance(entry: SweepEntry, next: Milestone | null): Promise<boolean> {
    await tick();
    if (this.state.entries.get(`${entry.caseNo}#${entry.target}`)?.token !== entry.token) return false;
    this.state.checkFault('advance');
    this.state.moveEntry(entry, next);
    return true;
  }

  async commit(w: MilestoneCommit): Promise<CommitResult> {
    await tick();
    const s = this.state;
    const c = w.before;
    const event = w.event ? chainEvent(c.auditSeq > 0 ? { seq: c.auditSeq, hash: c.auditHead } : null, { ...w.event, caseNo: c.caseNo }) : undefined;
    const head = event ? { auditSeq: event.seq, auditHead: event.hash } : { auditSeq: c.auditSeq, auditHead: c.auditHead };
    const saved: Case = { ...(w.after ?? c), ...head };
    const stored = s.cases.get(c.caseNo);
    const entryHolds = (e: SweepEntry) => s.entries.get(`${e.caseNo}#${e.target}`)?.token === e.token;
    const failed = new Set<Role>();
    let writes = 0;

    const changedClocks = w.after
      ? (Object.entries(saved.clocks) as [ClockKind, ClockState][]).filter(([kind, clock]) => JSON.stringify(c.clocks[kind]) !== JSON.stringify(clock))
      : [];
    if (w.after) {
      writes += 1;
      if (!stored || stored.version !== c.version || stored.auditSeq !== c.auditSeq) failed.add('case');
      writes += changedClocks.length;
      if (w.entry && w.entry.target !== 'archive' && !entryHolds(w.entry)) failed.add('entry');
    } else {
      if (w.entry && w.entry.target !== 'archive') {
        writes += 1;
        if (!entryHolds(w.entry)) failed.add('entry');
      }
      if (event) {
        writes += 1;
        if (!stored || stored.auditSeq !== c.auditSeq) failed.add('case');
      }
    }
    if (event && (s.events.get(c.caseNo) ?? []).some((e) => e.seq === event.seq)) failed.add('audit');
    for (const n of w.notices) if (s.notices.has(NoticeSchema.parse(n).noticeId)) failed.add('notice');
    for (const sw of w.supervisions) {
      const current = this.supervisionOf(sw);
      if (sw.op === 'open' && current) failed.add('supervision-open');
      if (sw.op === 'flag' && !(current?.status === 'open' && current.level === 'supervision')) failed.add('supervision');
      if (sw.op === 'resolve' && current?.status !== 'open') failed.add('supervision');
      if (sw.op === 'answer' && !(current?.status === 'open' && current.answers.length === sw.answersBefore)) failed.add('supervision');
    }
    for (const d of w.documents) if (s.docsOf(d.caseNo).has(d.documentId)) failed.add('document');
    const moves = documentNumberMoves(w.documents);
    for (const m of moves) if (s.counter(m.counter) !== m.last) failed.add('number');
    writes += w.notices.length + w.supervisions.length + w.documents.length + moves.length + (event ? 1 : 0);
    if (writes === 0) return { ok: true, case: saved };

    if (failed.size > 0) {
      if (failed.has('entry')) return { ok: false, reason: 'entry-moved' };
      if (failed.has('number') && !failed.has('case') && !failed.has('audit')) return { ok: false, reason: 'number-taken' };
      if (failed.has('case') || failed.has('audit')) return { ok: false, reason: 'case-moved' };
      if (failed.has('notice') || failed.has('supervision-open')) return { ok: false, reason: 'duplicate' };
      return { ok: false, reason: 'supervision-state' };
    }
    s.checkFault('commit');

    // Everything holds: apply all of it.
    if (w.after && stored) {
      // The case item (its parts beside it are not part of a milestone), and the changed clocks with their entries.
      const next = { ...CaseSchema.parse(clone(saved)), fullText: stored.fullText, returns: stored.returns };
      s.cases.set(c.caseNo, clone(next));
      s.writeCaseEntry(next);
      for (const [kind, clock] of changedClocks) s.writeClockEntry(c.caseNo, kind, clock);
      if (w.entry && w.entry.target !== 'archive' && !changedClocks.some(([kind]) => kind === w.entry?.target)) s.moveEntry(w.entry, w.next ?? null);
    } else {
      if (w.entry && w.entry.target !== 'archive') s.moveEntry(w.entry, w.next ?? null);
      if (event && stored) {
        stored.auditSeq = head.auditSeq;
        stored.auditHead = head.auditHead;
      }
    }
    if (event) s.events.get(c.caseNo)?.push(clone(event));
    for (const n of w.notices) {
      const notice = NoticeSchema.parse(clone(n));
      s.notices.set(notice.noticeId, {
        notice,
        delivery: { status: 'pending', attempts: 0 },
        due: { list: 'retry', at: new Date(Date.parse(notice.createdAt) + FIRST_DELIVERY_GRACE_MS) },
      });
    }
    for (const sw of w.supervisions) {
      if (sw.op === 'flag') {
        const current = this.supervisionOf(sw) as Supervision;
        s.supervisions.set(supervisionKey(sw.caseNo, sw.kind, sw.due), {
          ...current,
          level: 'flagged',
          flaggedOn: sw.on,
          letters: [...current.letters, ...clone(sw.letters)],
        });
      } else {
        const record = SupervisionSchema.parse(clone(sw.record));
        s.supervisions.set(supervisionKey(record.caseNo, record.kind, record.due), record);
      }
    }
    for (const d of w.documents) s.docsOf(d.caseNo).set(d.documentId, clone(d));
    for (const m of moves) s.counters.set(m.counter, m.next);
    return { ok: true, case: clone(saved) };
  }

  private supervisionOf(sw: SupervisionWrite): Supervision | undefined {
    return sw.op === 'flag'
      ? this.state.supervisions.get(supervisionKey(sw.caseNo, sw.kind, sw.due))
      : this.state.supervisions.get(supervisionKey(sw.record.caseNo, sw.record.kind, sw.record.due));
  }

  // ---- supervisions -------------------------------------------------------------------------

  async supervisionsOf(caseNo: string, kind?: ClockKind): Promise<Supervision[]> {
    await tick();
    const prefix = `${caseNo}#${kind ? `${kind}#` : ''}`;
    return clone(
      [...this.state.supervisions]
        .filter(([k]) => k.startsWith(prefix))
        .sort(([a], [b]) => byKey(a, b))
        .map(([, v]) => v),
    );
  }

  async getSupervision(caseNo: string, supervisionId: string): Promise<Supervision | null> {
    await tick();
    const [kind, due] = supervisionId.split('.');
    if (!kind || !due) return null;
    const found = this.state.supervisions.get(supervisionKey(caseNo, kind, due));
    this.read(found ? [found] : []);
    return clone(found ?? null);
  }

  async openSupervisions(deptCode?: string | null): Promise<Supervision[]> {
    await tick();
    const sortKey = (s: Supervision) => `${s.deptCode ?? '~OFFICE'}#${s.openedOn}#${s.caseNo}#${s.kind}`;
    return clone(
      [...this.state.supervisions.values()]
        .filter((s) => s.status === 'open' && (deptCode === undefined || (s.deptCode ?? null) === deptCode))
        .sort((a, b) => byKey(sortKey(a), sortKey(b))),
    );
  }

  private openClocks(p: (clock: ClockState) => boolean): RunningClock[] {
    const out: RunningClock[] = [];
    for (const c of this.state.cases.values()) {
      for (const [kind, clock] of Object.entries(c.clocks) as [ClockKind, ClockState][]) if (p(clock)) out.push({ caseNo: c.caseNo, kind, due: clock.due });
    }
    return out.sort((a, b) => byKey(`${a.due}#${a.caseNo}#${a.kind}`, `${b.due}#${b.caseNo}#${b.kind}`));
  }

  async runningClocks(upTo: string, kinds: readonly ClockKind[]): Promise<RunningClock[]> {
    await tick();
    return this.read(this.openClocks((clock) => clock.status === 'running' && clock.due <= upTo)).filter((r) => kinds.includes(r.kind));
  }

  async openClocksFrom(from: string): Promise<RunningClock[]> {
    await tick();
    return this.read(this.openClocks((clock) => clock.status !== 'stopped' && clock.due >= from));
  }

  // ---- the dashboard --------------------------------------------------------------------------
  // Computed from the cases and supervisions themselves: the oracle the adapter's counters match.

  async dashboardTallies(today: string, end: string): Promise<Tally[]> {
    await tick();
    const counts = new Map<string, number>();
    const add = (t: string) => counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const c of this.state.cases.values()) clockTallies(c).forEach(add);
    const byCase = new Map<string, Supervision[]>();
    for (const sup of this.state.supervisions.values()) byCase.set(sup.caseNo, [...(byCase.get(sup.caseNo) ?? []), sup]);
    for (const list of byCase.values()) supervisionTallies(list).forEach(add);
    const ranges = [TALLY_RANGES.first(end), TALLY_RANGES.next(today, end), TALLY_RANGES.supervisions()];
    const tallies = [...counts]
      .filter(([name]) => ranges.some((r) => name >= r.from && name <= r.to))
      .sort(([a], [b]) => byKey(a, b))
      .map(([name, n]) => ({ name, n }));
    return this.read(tallies);
  }

  async dashboardClocks(deptCode: string | null, from: string | null, until: string, limit: number): Promise<DashboardClockEntry[]> {
    await tick();
    const entries: (DashboardClockEntry & { key: string })[] = [];
    for (const c of this.state.cases.values()) {
      for (const k of dashboardClocks(c)) {
        if (k.deptCode !== deptCode || k.due >= until || (from !== null && k.due < from)) continue;
        const clock = c.clocks[k.kind] as ClockState;
        entries.push({
          key: `${k.due}#${c.caseNo}#${k.kind}`,
          caseNo: c.caseNo,
          kind: k.kind,
          due: k.due,
          subject: c.subject,
          status: c.status,
          label: clock.derivation.label ?? CLOCK_LABELS[k.kind],
        });
      }
    }
    const page = entries.sort((a, b) => byKey(a.key, b.key)).slice(0, limit);
    return clone(this.read(page).map(({ key: _key, ...e }) => e));
  }

  async openSupervisionsOf(deptCode: string | null, q: { flagged?: boolean; limit: number }): Promise<Supervision[]> {
    const open = await this.openSupervisions(deptCode);
    return this.read(open.filter((x) => !q.flagged || x.level === 'flagged').slice(0, q.limit));
  }

  // ---- the outbox ---------------------------------------------------------------------------

  async outbox(date: string, q: { status?: NoticeStatus; limit: number; cursor?: string }): Promise<Page<OutboxEntry>> {
    await tick();
    const entries = [...this.state.notices.values()]
      .filter((n) => n.notice.createdOn === date && (!q.status || n.delivery.status === q.status))
      .map((n) => ({ key: `${n.notice.createdAt}#${n.notice.noticeId}`, item: { notice: n.notice, delivery: n.delivery } }));
    return pageOf(entries, 'asc', q.limit, q.cursor);
  }

  /** The notice by its id (the adapter takes the item's sort key; nothing in shared/app calls this). */
  async getNotice(_caseNo: string, noticeId: string): Promise<OutboxEntry | null> {
    await tick();
    const n = this.state.notices.get(noticeId);
    return n ? clone({ notice: n.notice, delivery: n.delivery }) : null;
  }

  private stored(notice: Notice): StoredNotice | undefined {
    return this.state.notices.get(notice.noticeId);
  }

  async claimNotice(notice: Notice, now: Date, leaseMs: number): Promise<ClaimResult> {
    await tick();
    const n = this.stored(notice);
    const d = n?.delivery;
    if (!n || !d || !(d.status === 'pending' || (d.status === 'sending' && (n.leaseUntil ?? 0) < now.getTime()))) {
      return { claimed: false, reason: d?.status === 'sending' || d?.status === 'pending' ? 'busy' : 'done' };
    }
    this.state.checkFault('claimNotice');
    const leaseUntil = now.getTime() + leaseMs;
    n.delivery = { ...d, status: 'sending', attempts: d.attempts + 1 };
    n.leaseUntil = leaseUntil;
    n.due = { list: 'retry', at: new Date(leaseUntil) };
    return { claimed: true, attempts: n.delivery.attempts };
  }

  async markNotice(notice: Notice, delivery: Omit<Delivery, 'attempts'>, next: { retryAt?: Date } = {}): Promise<void> {
    await tick();
    const n = this.stored(notice);
    if (!n) throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    this.state.checkFault('markNotice');
    const fields = Object.fromEntries(
      Object.entries({ status: delivery.status, channel: delivery.channel, sentAt: delivery.sentAt, error: delivery.error }).filter(([, v]) => v !== undefined),
    );
    n.delivery = { ...n.delivery, ...fields } as Delivery;
    delete n.leaseUntil;
    if (delivery.status === 'pending') n.due = { list: 'retry', at: next.retryAt ?? new Date() };
    else if (delivery.status === 'failed') n.due = { list: 'failed', at: next.retryAt ?? new Date() };
    else delete n.due;
  }

  async failNotice(entry: UndeliveredEntry, now: Date, error: string): Promise<boolean> {
    await tick();
    const n = this.stored(entry.notice);
    if (!n || n.delivery.status !== entry.delivery.status || n.delivery.attempts !== entry.delivery.attempts) return false;
    this.state.checkFault('failNotice');
    n.delivery = { ...n.delivery, status: 'failed', error: error.slice(0, 500) };
    delete n.leaseUntil;
    n.due = { list: 'failed', at: now };
    return true;
  }

  async dueNotices(_shard: number, now: Date, q: { limit: number; cursor?: string }): Promise<Page<UndeliveredEntry>> {
    await tick();
    const due = [...this.state.notices.values()]
      .filter((n) => n.due?.list === 'retry' && n.due.at.getTime() <= now.getTime())
      .map((n) => ({
        key: `${n.due?.at.toISOString()}#${n.notice.noticeId}`,
        item: { notice: n.notice, delivery: n.delivery, ...(n.leaseUntil !== undefined ? { leaseUntil: n.leaseUntil } : {}) },
      }));
    return pageOf(due, 'asc', q.limit, q.cursor);
  }

  async failedNoticeCount(): Promise<number> {
    await tick();
    return [...this.state.notices.values()].filter((n) => n.due?.list === 'failed').length;
  }
}

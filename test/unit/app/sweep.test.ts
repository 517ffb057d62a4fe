/**
 * The deadline sweep and the oversight use cases over the in-memory fakes (test/support/fakes):
 * reminders, overdue notices, supervision with its 督办单 and its escalation, closing after a
 * review window, archive eligibility; idempotent, resumable after a failed write, each notice once
 * when two runs overlap; the dashboard, the supervision lists and answers, the outbox and the
 * sweep on demand, each for the roles that may see them.
 */
import { describe, expect, it } from 'vitest';
import type { SweepReport } from '../../../shared/app/sweep';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { parseOfficeSettings } from '../../../shared/domain/office';
import type { Actor } from '../../../shared/domain/roles';
import { addDays } from '../../../shared/domain/time';
import { fakeApp, type FakeApp } from '../../support/fakes/use-cases';
import { parseActionBody } from '../../../shared/app/action-body';
import { SupervisionAnswerInputSchema } from '../../../shared/domain/supervision';
import { parseInput } from '../../../shared/domain/validation';
import { archivist, clerk, director, housing, hrss, opinion, registration } from '../lifecycle/fixtures';

/** A supervision answer as its route parses it. */
const answer = (raw: unknown) => parseInput(SupervisionAnswerInputSchema, raw);

const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '系统管理员', roles: ['admin'] };

let serial = 0;
/** A case accepted and assigned to HRSS on 2026-03-04: handling due 05-06, the department's 04-24. */
async function assignedCase(app: FakeApp): Promise<string> {
  app.ports.clock.set('2026-03-04T02:00:00Z');
  serial += 1;
  const reg = await app.registry.register(
    clerk,
    registration({ petitioners: [{ name: `测试${serial}`, phone: `1380000${String(serial).padStart(4, '0')}` }] }),
  );
  const accepted = await app.registry.act(director, reg.case.caseNo, 'accept', {}, 1);
  await app.registry.act(director, reg.case.caseNo, 'assign', { deptCode: 'HRSS' }, accepted.version);
  return reg.case.caseNo;
}

async function runOn(app: FakeApp, day: string, utc = '00:00'): Promise<SweepReport> {
  app.ports.clock.set(`${day}T${utc}:00Z`);
  const report = await app.sweep.run();
  expect(report).toMatchObject({ complete: true, errors: 0 });
  return report;
}

async function act(app: FakeApp, caseNo: string, action: Parameters<FakeApp['registry']['act']>[2], input: unknown, actor: Actor = director) {
  const c = await app.registry.getCase(clerk, caseNo);
  return app.registry.act(actor, caseNo, action, parseActionBody(action, input), c.version);
}

const noticeIds = (app: FakeApp, caseNo: string) => [...app.ports.state.notices.keys()].filter((id) => id.startsWith(`${caseNo}#`)).sort();

describe('the deadline sweep', () => {
  it('reminds before the due dates, once however often it runs', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    expect(await runOn(app, '2026-04-16')).toMatchObject({ acted: 0 });
    const report = await runOn(app, '2026-04-24');
    expect(report.reminders).toBeGreaterThanOrEqual(1);
    expect(noticeIds(app, caseNo)).toContain(`${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`);
    const before = noticeIds(app, caseNo);
    expect(await runOn(app, '2026-04-24', '09:00')).toMatchObject({ acted: 0, notices: 0 });
    expect(noticeIds(app, caseNo)).toEqual(before);
    expect((await app.registry.timeline(clerk, caseNo)).filter((e) => e.type === 'sweep.reminder').length).toBe(report.reminders);
  });

  it('opens a supervision straight at the flagged level, with its 督办单, when it first runs long after the due date', async () => {
    const app = fakeApp({ letters: true });
    const caseNo = await assignedCase(app);
    const report = await runOn(app, '2026-05-20');
    expect(report).toMatchObject({ supervisionsOpened: 1, flagged: 1, reminders: 0, letters: 1 });
    expect(noticeIds(app, caseNo)).toEqual([
      `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
      `${caseNo}#departmentDue#2026-04-24#overdue#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#flagged#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#flagged#director`,
    ]);
    const [sup] = await app.ports.store.supervisionsOf(caseNo);
    expect(sup).toMatchObject({
      level: 'flagged',
      openedOn: '2026-05-20',
      flaggedOn: '2026-05-20',
      deptCode: 'HRSS',
      status: 'open',
      letters: [expect.objectContaining({ level: 'flagged' })],
    });
    const letter = (await app.ports.repo.listDocuments(caseNo)).find((d) => d.documentId === sup?.letters[0]?.documentId);
    expect(letter).toMatchObject({ kind: 'generated', letterKind: 'supervision-notice', status: 'verified', numbering: { seq: 1 } });
    expect(
      Buffer.from(app.ports.buckets.get('documents', letter?.key ?? '')?.bytes ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(await runOn(app, '2026-05-20', '09:00')).toMatchObject({ acted: 0, entries: 0 });
  });

  it('escalates an open supervision to flagged on its day, and settles it when the handling clock stops late', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    expect(await runOn(app, '2026-05-07')).toMatchObject({ supervisionsOpened: 1 });
    expect((await app.ports.store.openSupervisions('HRSS')).map((s) => [s.caseNo, s.level])).toEqual([[caseNo, 'supervision']]);
    const flaggedOn = (await runOn(app, '2026-05-17')).flagged;
    expect(flaggedOn).toBe(1);
    expect((await app.ports.store.openSupervisions('HRSS'))[0]).toMatchObject({ level: 'flagged', flaggedOn: '2026-05-17' });

    app.ports.clock.set('2026-05-18T02:00:00Z');
    await act(app, caseNo, 'answer', opinion, hrss);
    await act(app, caseNo, 'approve-reply', {});
    expect(await runOn(app, '2026-05-18', '04:00')).toMatchObject({ resolved: 1 });
    expect(await app.ports.store.openSupervisions('HRSS')).toEqual([]);
    expect((await app.ports.store.supervisionsOf(caseNo))[0]).toMatchObject({ status: 'resolved', resolvedOn: '2026-05-18' });
    expect((await app.registry.timeline(clerk, caseNo)).filter((e) => e.type === 'supervision.resolved')).toHaveLength(1);
  });

  it('a run whose write fails leaves the milestone to the next run, which acts on it exactly once', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    app.ports.state.failNext('commit', new Error('throttled'));
    app.ports.clock.set('2026-04-25T00:00:00Z');
    const failed = await app.sweep.run();
    expect(failed.errors).toBe(1);
    const partial = noticeIds(app, caseNo);
    const second = await runOn(app, '2026-04-25', '01:00');
    expect(second.acted).toBe(1);
    const all = noticeIds(app, caseNo);
    expect(all).toEqual([
      `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
      `${caseNo}#departmentDue#2026-04-24#overdue#dept-HRSS`,
      `${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`,
    ]);
    expect(failed.acted).toBe(1);
    expect(partial.length).toBeLessThan(all.length);
  });

  it('sends each notice once when two runs overlap', async () => {
    const app = fakeApp();
    const cases = [];
    for (let i = 0; i < 4; i++) cases.push(await assignedCase(app));
    app.ports.clock.set('2026-04-25T00:00:00Z');
    const [a, b] = await Promise.all([app.sweep.run({ concurrency: 4 }), app.sweep.run({ concurrency: 4 })]);
    expect(a.errors + b.errors).toBe(0);
    for (const caseNo of cases) {
      expect(noticeIds(app, caseNo)).toEqual([
        `${caseNo}#departmentDue#2026-04-24#overdue#clerk`,
        `${caseNo}#departmentDue#2026-04-24#overdue#dept-HRSS`,
        `${caseNo}#handling#2026-05-06#remind-5#dept-HRSS`,
      ]);
      const sweepEvents = (await app.registry.timeline(clerk, caseNo)).map((e) => e.type).filter((t) => t.startsWith('sweep.'));
      expect(sweepEvents.sort()).toEqual(['sweep.overdue', 'sweep.reminder']);
    }
    expect(a.acted + b.acted).toBe(cases.length * 2);
  });

  it('closes a case whose review window passed, then marks it eligible for archiving after the office’s delay', async () => {
    const app = fakeApp({ settings: parseOfficeSettings(JSON.stringify({ sweep: { archiveAfterDays: 30 } })) });
    const caseNo = await assignedCase(app);
    app.ports.clock.set('2026-04-01T02:00:00Z');
    await act(app, caseNo, 'answer', opinion, hrss);
    await act(app, caseNo, 'approve-reply', {});
    app.ports.clock.set('2026-04-03T02:00:00Z');
    await act(app, caseNo, 'deliver', { deliveredOn: '2026-04-03', method: 'post' }, clerk);
    const window = (await app.ports.repo.getCase(caseNo))?.clocks.reviewRequestWindow?.due as string;
    expect(await runOn(app, window)).toMatchObject({ closed: 0 });
    let closedOn = '';
    for (const day of ['2026-05-07', '2026-05-08', '2026-05-09', '2026-05-10', '2026-05-11']) {
      const r = await runOn(app, day);
      if (r.closed > 0) {
        closedOn = day;
        break;
      }
    }
    expect(closedOn).not.toBe('');
    const closed = await app.ports.repo.getCase(caseNo);
    expect(closed?.status).toBe('closed');
    expect((await app.registry.timeline(clerk, caseNo)).at(-1)?.type).toBe('case.closed');
    // Archive eligibility comes after the office's delay; the entry is the case's own.
    const eligible = [...app.ports.state.entries.values()].find((e) => e.caseNo === caseNo && e.target === 'archive');
    expect(eligible?.milestone.date).toBe(addDays(closedOn, 30));
    expect(await runOn(app, addDays(closedOn, 29))).toMatchObject({ archiveMarked: 0 });
    expect(await runOn(app, eligible?.milestone.date as string)).toMatchObject({ archiveMarked: 1 });
    expect((await app.ports.repo.getCase(caseNo))?.archiveEligibleOn).toBe(eligible?.milestone.date);
  });
});

describe('oversight', () => {
  it('shows the dashboard to the office and to a department, its own clocks only', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    await runOn(app, '2026-05-07');
    app.ports.clock.set('2026-05-07T02:00:00Z');
    const office = await app.oversight.dashboard(director);
    expect(office.today).toBe('2026-05-07');
    expect(office.totals).toMatchObject({ underSupervision: 1 });
    expect(office.totals.overdue).toBeGreaterThanOrEqual(1);
    // The counts of every group; the cases behind them of the group asked for.
    expect(office.departments.find((d) => d.deptCode === 'HRSS')).toMatchObject({ listed: false, underSupervision: { count: 1, items: [] } });
    const listed = await app.oversight.dashboard(director, { group: 'HRSS' });
    const hr = listed.departments.find((d) => d.deptCode === 'HRSS');
    expect(hr?.underSupervision.items.map((s) => s.caseNo)).toEqual([caseNo]);
    expect(listed.departments.filter((d) => d.listed).map((d) => d.deptCode)).toEqual(['HRSS']);
    expect(office.perMonth.at(-1)).toEqual({ month: '2026-05', count: 0 });
    expect(office.perMonth.find((m) => m.month === '2026-03')).toEqual({ month: '2026-03', count: 1 });
    const dept = await app.oversight.dashboard(housing);
    expect(dept.departments.flatMap((d) => d.underSupervision.items)).toEqual([]);
    await expect(app.oversight.dashboard(archivist)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets the supervised department answer its supervision once per reading, with a notice to the director', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    await runOn(app, '2026-05-07');
    app.ports.clock.set('2026-05-08T02:00:00Z');
    const [open] = (await app.oversight.supervisions(hrss, {})).items;
    expect(open).toMatchObject({ caseNo, unanswered: true, levelLabel: expect.any(String) });
    await expect(app.oversight.answer(housing, caseNo, open?.supervisionId ?? '', answer({ text: '已办理' }))).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.oversight.answer(hrss, caseNo, 'handling.2026-01-01', answer({ text: '已办理' }))).rejects.toBeInstanceOf(NotFoundError);
    expect(() => answer({ text: '' })).toThrow(ValidationError);
    await expect(app.oversight.answer(hrss, caseNo, open?.supervisionId ?? '', { text: '已办理', documentIds: ['nope'] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const answered = await app.oversight.answer(hrss, caseNo, open?.supervisionId ?? '', answer({ text: '已督促承办人员加快办理，预计五日内答复。' }));
    expect(answered).toMatchObject({ unanswered: false, answers: [expect.objectContaining({ by: 'hrss1' })] });
    expect((await app.oversight.supervisions(director, {})).items).toEqual([]);
    expect((await app.oversight.supervisions(director, { state: 'open' })).items.map((s) => s.caseNo)).toEqual([caseNo]);
    expect((await app.oversight.caseSupervisions(clerk, caseNo)).items).toHaveLength(1);
    expect(noticeIds(app, caseNo)).toContain(`${caseNo}#handling#2026-05-06#answer-1#director`);
    expect((await app.registry.timeline(clerk, caseNo)).at(-1)?.type).toBe('supervision.answered');
  });

  it('shows the day’s outbox: everything to the office, a department its own notices', async () => {
    const app = fakeApp();
    const caseNo = await assignedCase(app);
    await runOn(app, '2026-04-25');
    const office = await app.oversight.outbox(clerk, { date: '2026-04-25', limit: 50 });
    expect(office.items.map((e) => e.notice.noticeId).sort()).toEqual(noticeIds(app, caseNo));
    const hr = await app.oversight.outbox(hrss, { date: '2026-04-25', limit: 50 });
    expect(hr.items.every((e) => e.notice.recipient.kind === 'department' && e.notice.recipient.deptCode === 'HRSS')).toBe(true);
    expect(hr.items.length).toBe(2);
    expect((await app.oversight.outbox(housing, { date: '2026-04-25', limit: 50 })).items).toEqual([]);
    expect((await app.oversight.outbox(director, { date: '2026-04-25', status: 'sent', limit: 50 })).items).toEqual([]);
  });

  it('runs the sweep on demand for an admin, never for a day after today', async () => {
    const app = fakeApp();
    await assignedCase(app);
    app.ports.clock.set('2026-04-25T02:00:00Z');
    await expect(app.oversight.runSweep(director, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(app.oversight.runSweep(admin, { date: '2026-04-26' })).rejects.toBeInstanceOf(ValidationError);
    expect(await app.oversight.runSweep(admin, {})).toMatchObject({ date: '2026-04-25', acted: 2, complete: true });
  });
});

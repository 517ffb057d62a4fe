/**
 * The deadline sweep through the local gateway, on a fake clock: a case's handling clock walked
 * day by day from its acceptance through reminder, reminder, the due date, supervision (督办)
 * with its 督办单, flagged supervision (挂牌督办) and the department's written answer — with the
 * sweep run three times every day (08:00, 12:00, 17:00 Asia/Shanghai) — and every notice found in
 * the outbox exactly once, in the API and in the outbox folder. Then the dashboard, as each role
 * sees it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { verifyCaseAudit } from '../../shared/adapters/audit-verify';
import { addDays } from '../../shared/domain/time';
import { startTestStack, type TestStack } from '../support/stack';
import { uploadPresignedPost } from '../support/upload';
import { eventually, ifMatch, png, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z', outboxPollMs: 0 });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
}, 60_000);
afterAll(() => stack?.stop());

interface OutboxItem {
  notice: {
    noticeId: string;
    caseNo: string;
    clock: string;
    due: string;
    milestone: string;
    recipient: { kind: string; deptCode?: string };
    subject: string;
    body: string;
    createdOn: string;
    documentIds: string[];
  };
  delivery: { status: string };
}

/** The three sweeps of a day: 08:00, 12:00 and 17:00 in Beijing. */
async function sweepDay(day: string): Promise<void> {
  for (const utc of ['00:00', '04:00', '09:00']) {
    stack.clock.set(`${day}T${utc}:00Z`);
    const run = await stack.api.post('/admin/sweep', {}, { token: t.admin });
    expect(run.status, JSON.stringify(run.json)).toBe(200);
    expect(run.json).toMatchObject({ date: day, complete: true, errors: 0 });
  }
}

async function outboxOf(day: string): Promise<OutboxItem[]> {
  const res = await stack.api.get(`/outbox?date=${day}`, { token: t.clerk });
  expect(res.status).toBe(200);
  return res.json.items as OutboxItem[];
}

describe('a handling clock walked through the deadline sweep', () => {
  const notices: OutboxItem[] = [];
  let caseNo: string;
  let handlingDue: string;
  let departmentDue: string;

  it('sends each reminder, the supervision and the flagged supervision once, three sweeps a day', async () => {
    const api = stack.api;
    const reg = await api.post('/cases', registration(), { token: t.clerk, headers: { 'idempotency-key': 'e2e-sweep-walk-0001' } });
    expect(reg.status).toBe(201);
    caseNo = reg.json.case.caseNo;
    stack.clock.set('2026-03-04T02:00:00Z');
    const accepted = await api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
    expect(accepted.status).toBe(200);
    const assigned = await api.post(`/cases/${caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status).toBe(200);
    handlingDue = assigned.json.clocks.handling.due;
    departmentDue = assigned.json.clocks.departmentDue.due;
    // 60 days from 03-04 end on 05-03, inside the Labour Day holiday → 05-06; the department's
    // date is 10 days earlier, 04-26 a Sunday → back to Friday 04-24.
    expect(handlingDue).toBe('2026-05-06');
    expect(departmentDue).toBe('2026-04-24');

    for (let day = '2026-03-04'; day <= '2026-05-18'; day = addDays(day, 1)) {
      await sweepDay(day);
      const sent = await outboxOf(day);
      notices.push(...sent);
      if (day === handlingDue) {
        // The due date itself: still on time, nothing is sent about the handling clock.
        expect(sent.filter((n) => n.notice.clock === 'handling')).toEqual([]);
        const dash = await api.get('/dashboard', { token: t.hrss });
        const hrss = dash.json.departments.find((g: { deptCode: string }) => g.deptCode === 'HRSS');
        expect(hrss.dueThisWeek.items).toContainEqual(expect.objectContaining({ caseNo, clock: 'handling', due: handlingDue, daysLeft: 0 }));
      }
    }

    const handling = notices.filter((n) => n.notice.clock === 'handling').map((n) => [n.notice.createdOn, n.notice.milestone, n.notice.recipient.kind]);
    expect(handling).toEqual([
      ['2026-04-24', 'remind-5', 'department'], // 5 working days before 05-06 (05-01..05-05 are holidays)
      ['2026-04-30', 'remind-1', 'department'],
      ['2026-05-07', 'supervision', 'department'], // the day after the due date: 督办
      ['2026-05-07', 'supervision', 'director'],
      ['2026-05-17', 'flagged', 'department'], // overdue by more than 10 days: 挂牌督办
      ['2026-05-17', 'flagged', 'director'],
    ]);
    const department = notices.filter((n) => n.notice.clock === 'departmentDue').map((n) => [n.notice.createdOn, n.notice.milestone, n.notice.recipient.kind]);
    expect(department).toEqual([
      ['2026-04-17', 'remind-5', 'department'],
      ['2026-04-23', 'remind-1', 'department'],
      ['2026-04-25', 'overdue', 'clerk'], // the clerk chases departments (催办)
      ['2026-04-25', 'overdue', 'department'],
    ]);
    // Exactly once each, although every day was swept three times.
    const ids = notices.map((n) => n.notice.noticeId);
    expect(new Set(ids).size).toBe(ids.length);

    // Each names the case, the clock, the due date and what to do, in Chinese.
    const supervision = notices.find((n) => n.notice.milestone === 'supervision' && n.notice.recipient.kind === 'department');
    expect(supervision?.notice.subject).toBe(`【督办】${caseNo} 办理期限已超期1日`);
    expect(supervision?.notice.body).toContain('人力资源和社会保障局：');
    expect(supervision?.notice.body).toContain(caseNo);
    expect(supervision?.notice.body).toContain('办理期限已于2026年5月6日届满');
    expect(supervision?.notice.body).toMatch(/现予以督办（督办单江信督〔2026〕\d+号）/);
    expect(supervision?.notice.body).toContain('前将办理情况和结果书面报送本机关');
    const reminder = notices.find((n) => n.notice.milestone === 'remind-5' && n.notice.clock === 'handling');
    expect(reminder?.notice.body).toContain('将于2026年5月6日届满，距今还有5个工作日。请抓紧办理');

    // The two 督办单 are documents of the case, referred to by the notices.
    const c = await api.get(`/cases/${caseNo}`, { token: t.hrss });
    const letters = c.json.documents.filter((d: { letterKind?: string }) => d.letterKind === 'supervision-notice');
    expect(letters).toHaveLength(2);
    expect(letters.map((d: { documentNo: string }) => d.documentNo)).toEqual([
      expect.stringMatching(/^江信督〔2026〕\d+号$/),
      expect.stringMatching(/^江信督〔2026〕\d+号$/),
    ]);
    expect(supervision?.notice.documentIds).toEqual([letters[0].documentId]);
    const pdf = await api.get(`/cases/${caseNo}/documents/${letters[1].documentId}/download`, { token: t.hrss });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await (await fetch(pdf.json.url)).arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  }, 240_000);

  it('keeps the department’s written answer, with its time and author, and lists what is unanswered', async () => {
    const api = stack.api;
    const id = `handling.${handlingDue}`;
    const unanswered = await api.get('/supervisions', { token: t.director });
    expect(unanswered.json.items).toContainEqual(
      expect.objectContaining({ caseNo, supervisionId: id, level: 'flagged', levelLabel: '挂牌督办', unanswered: true, deptCode: 'HRSS' }),
    );

    // Another department may not answer; the supervised one does, with a document it uploaded.
    stack.clock.set('2026-05-18T03:00:00Z');
    expect((await api.post(`/cases/${caseNo}/supervisions/${id}/answer`, { text: '无关单位' }, { token: t.housing })).status).toBe(404);
    const image = png();
    const link = await api.post(
      `/cases/${caseNo}/documents`,
      { kind: 'response', contentType: 'image/png', size: image.byteLength, fileName: '整改情况.png' },
      { token: t.hrss },
    );
    expect(link.status).toBe(201);
    expect((await uploadPresignedPost(link.json.upload, image, { contentType: 'image/png' })).status).toBeLessThan(300);
    await eventually(async () => {
      const c = await api.get(`/cases/${caseNo}`, { token: t.hrss });
      return c.json.documents.some((d: { documentId: string; status: string }) => d.documentId === link.json.documentId && d.status === 'verified')
        ? true
        : undefined;
    }, 'the response to be verified');
    const text = '我局已约谈涉事企业，责令其于5月25日前足额支付拖欠工资，并将于支付完成后报送办理结果。';
    expect((await api.post(`/cases/${caseNo}/supervisions/${id}/answer`, { text: '' }, { token: t.hrss })).status).toBe(400);
    const answered = await api.post(`/cases/${caseNo}/supervisions/${id}/answer`, { text, documentIds: [link.json.documentId] }, { token: t.hrss });
    expect(answered.status, JSON.stringify(answered.json)).toBe(200);
    expect(answered.json).toMatchObject({
      unanswered: false,
      answers: [{ text, documentIds: [link.json.documentId], level: 'flagged', by: 'hrss1', deptCode: 'HRSS', at: '2026-05-18T03:00:00.000Z' }],
    });

    expect((await api.get('/supervisions', { token: t.director })).json.items.map((s: { caseNo: string }) => s.caseNo)).not.toContain(caseNo);
    const open = await api.get('/supervisions?state=open', { token: t.clerk });
    expect(open.json.items).toContainEqual(expect.objectContaining({ caseNo, unanswered: false }));
    const record = await api.get(`/cases/${caseNo}/supervisions`, { token: t.hrss });
    expect(record.json.items).toEqual([
      expect.objectContaining({
        supervisionId: id,
        level: 'flagged',
        openedOn: '2026-05-07',
        flaggedOn: '2026-05-17',
        status: 'open',
        letters: [expect.objectContaining({ level: 'supervision' }), expect.objectContaining({ level: 'flagged' })],
      }),
    ]);
    const toDirector = (await outboxOf('2026-05-18')).filter((n) => n.notice.caseNo === caseNo);
    expect(toDirector.map((n) => [n.notice.milestone, n.notice.recipient.kind])).toEqual([['answer-1', 'director']]);
    notices.push(...toDirector);
  });

  it('leaves every notice once in the outbox folder and the audit chain intact', async () => {
    await stack.drainOutbox(120);
    const files = readdirSync(stack.outboxDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.json') && f.includes(caseNo));
    expect(files.sort()).toEqual(notices.map((n) => join(n.notice.createdOn, `${n.notice.noticeId.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`)).sort());
    const delivered = await stack.api.get('/outbox?date=2026-05-07&status=sent', { token: t.director });
    expect(delivered.json.items.filter((n: OutboxItem) => n.notice.caseNo === caseNo)).toHaveLength(2);

    const timeline = await stack.api.get(`/cases/${caseNo}/timeline`, { token: t.clerk });
    const types = (timeline.json.events as { type: string; actor: unknown }[]).map((e) => e.type);
    expect(types.filter((x) => x.startsWith('sweep.') || x.startsWith('supervision.'))).toEqual([
      'sweep.reminder', // department, 5 working days
      'sweep.reminder', // department, 1 working day
      'sweep.reminder', // handling, 5 working days
      'sweep.overdue', // department's date passed: 催办
      'sweep.reminder', // handling, 1 working day
      'supervision.opened',
      'supervision.flagged',
      'supervision.answered',
    ]);
    expect(timeline.json.events.find((e: { type: string }) => e.type === 'supervision.opened').actor).toEqual({ system: 'deadline-sweep' });
    const repo = new DynamoDbCaseRepository(documentClient(stack.clients.dynamodb), stack.tableName);
    expect(await verifyCaseAudit(repo, caseNo)).toEqual({ ok: true, count: types.length });
  });

  it('shows each role the dashboard it may see', async () => {
    stack.clock.set('2026-05-18T03:00:00Z');
    const director = await stack.api.get('/dashboard?group=HRSS', { token: t.director });
    expect(director.status).toBe(200);
    const hrss = director.json.departments.find((g: { deptCode: string }) => g.deptCode === 'HRSS');
    expect(hrss).toMatchObject({ name: '人力资源和社会保障局', listed: true, underSupervision: { count: 1 }, flagged: { count: 1 } });
    expect(hrss.flagged.items.map((s: { caseNo: string; level: string }) => [s.caseNo, s.level])).toEqual([[caseNo, 'flagged']]);
    // Without `group` the office gets every group's counts, and no list.
    const counts = await stack.api.get('/dashboard', { token: t.director });
    const row = counts.json.departments.find((g: { deptCode: string }) => g.deptCode === 'HRSS');
    expect(row).toMatchObject({ listed: false, overdue: { count: 1, items: [] }, flagged: { count: 1, items: [] } });
    expect(hrss.overdue.items.map((i: { caseNo: string; clock: string }) => [i.caseNo, i.clock])).toEqual([
      [caseNo, 'departmentDue'],
      [caseNo, 'handling'],
    ]);
    expect(hrss.overdue.count).toBe(1);
    expect(director.json.totals).toMatchObject({ overdue: 1, underSupervision: 1, flagged: 1, failedNotices: 0 });

    // The department sees its own group only; another department sees nothing of it.
    const mine = await stack.api.get('/dashboard', { token: t.hrss });
    expect(mine.json.departments.map((g: { deptCode: string }) => g.deptCode)).toEqual(['HRSS']);
    expect(mine.json.departments[0]).toMatchObject({ overdue: { count: 1 }, flagged: { count: 1 } });
    const other = await stack.api.get('/dashboard', { token: t.housing });
    expect(other.json.departments.map((g: { deptCode: string }) => g.deptCode)).toEqual(['HOUSING']);
    expect(other.json.totals).toEqual({ dueThisWeek: 0, overdue: 0, underSupervision: 0, flagged: 0 });
    expect(JSON.stringify(other.json)).not.toContain(caseNo);
    expect((await stack.api.get('/supervisions', { token: t.housing })).json.items).toEqual([]);
    expect((await stack.api.get('/outbox?date=2026-05-07', { token: t.housing })).json.items).toEqual([]);
    expect((await stack.api.get('/outbox?date=2026-05-07', { token: t.hrss })).json.items.map((n: OutboxItem) => n.notice.recipient.kind)).toEqual([
      'department',
    ]);

    // Only an admin runs the sweep, and never for a day ahead.
    expect((await stack.api.post('/admin/sweep', {}, { token: t.director })).status).toBe(403);
    expect((await stack.api.post('/admin/sweep', { date: '2026-05-19' }, { token: t.admin })).status).toBe(400);
    expect((await stack.api.get('/dashboard', { token: t.archivist })).status).toBe(403);
  });
});

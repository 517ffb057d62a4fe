/**
 * The deadline sweep on the office's other clocks, through the local gateway on a fake clock:
 * reminders and the overdue notice of a registered case's notify clock; review and re-review
 * request windows that pass without a request close the case (and one with a request in time
 * does not); closed cases are marked eligible for archiving — whether the sweep or a clerk
 * closed them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/time';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string; housing: string };

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z', outboxPollMs: 0 });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
}, 60_000);
afterAll(() => stack?.stop());

const opinion = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
  decision: '责令该公司于十五日内足额支付。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

async function sweep(day: string, utc = '00:00'): Promise<Record<string, unknown>> {
  stack.clock.set(`${day}T${utc}:00Z`);
  const run = await stack.api.post('/admin/sweep', {}, { token: t.admin });
  expect(run.status, JSON.stringify(run.json)).toBe(200);
  expect(run.json).toMatchObject({ complete: true, errors: 0 });
  return run.json as Record<string, unknown>;
}

async function sweepUntil(last: string, from: string): Promise<void> {
  for (let day = from; day <= last; day = addDays(day, 1)) await sweep(day);
}

async function act(
  caseNo: string,
  action: string,
  body: Record<string, unknown>,
  token: string,
): Promise<{ version: number; status: string; clocks: Record<string, { due: string }> }> {
  const current = await stack.api.get(`/cases/${caseNo}`, { token: t.clerk });
  const res = await stack.api.post(`/cases/${caseNo}/${action}`, body, { token, headers: ifMatch(current.json.version) });
  expect(res.status, `${action}: ${JSON.stringify(res.json)}`).toBe(200);
  return res.json;
}

async function register(key: string, over: Record<string, unknown> = {}): Promise<string> {
  const reg = await stack.api.post('/cases', registration(over), { token: t.clerk, headers: { 'idempotency-key': key } });
  expect(reg.status).toBe(201);
  return reg.json.case.caseNo;
}

async function noticesOf(caseNo: string, days: string[]) {
  const out: { milestone: string; clock: string; to: string; createdOn: string; body: string }[] = [];
  for (const day of days) {
    const res = await stack.api.get(`/outbox?date=${day}`, { token: t.clerk });
    for (const { notice } of res.json.items)
      if (notice.caseNo === caseNo)
        out.push({ milestone: notice.milestone, clock: notice.clock, to: notice.recipient.kind, createdOn: notice.createdOn, body: notice.body });
  }
  return out;
}

describe('the sweep on the office’s other clocks', () => {
  let registered: string;
  let reviewClosed: string;
  let reviewRequested: string;
  let alsoClosed: string;
  let clerkClosed: string;

  it('prepares cases at each stage', async () => {
    registered = await register('e2e-sweep-win-registered', { petitioners: [{ name: '李秀英', phone: '13900001111' }] });
    reviewClosed = await register('e2e-sweep-win-review');
    reviewRequested = await register('e2e-sweep-win-requested', { petitioners: [{ name: '王建国', phone: '13900002222' }] });
    alsoClosed = await register('e2e-sweep-win-rereview', { petitioners: [{ name: '赵敏', phone: '13900003333' }] });
    clerkClosed = await register('e2e-sweep-win-declined', {
      petitioners: [{ name: '钱伟', phone: '13900004444' }],
      statutoryRoute: { litigation: true, arbitration: false, reconsideration: false },
    });

    stack.clock.set('2026-03-04T02:00:00Z');
    for (const caseNo of [reviewClosed, reviewRequested, alsoClosed]) {
      await act(caseNo, 'accept', { warningsOverride: '不同事项' }, t.director);
      await act(caseNo, 'assign', { deptCode: 'HOUSING' }, t.director);
      await act(caseNo, 'answer', opinion, t.housing);
      await act(caseNo, 'approve-reply', {}, t.director);
      const delivered = await act(caseNo, 'deliver', { deliveredOn: '2026-03-04' }, t.clerk);
      expect(delivered.clocks.reviewRequestWindow?.due).toBe('2026-04-03');
    }
    await act(clerkClosed, 'decline', { route: 'litigation', reason: '该事项已由人民法院受理' }, t.director);
  });

  it('reminds the clerk of a registered case’s notify clock, then tells the director it is overdue', async () => {
    await sweepUntil('2026-03-18', '2026-03-04');
    const sent = await noticesOf(registered, ['2026-03-10', '2026-03-16', '2026-03-18']);
    // Notify due 03-17 (15 days from 03-02): 5 and 1 working days before, then the day after.
    expect(sent.map((n) => [n.createdOn, n.milestone, n.to])).toEqual([
      ['2026-03-10', 'remind-5', 'clerk'],
      ['2026-03-16', 'remind-1', 'clerk'],
      ['2026-03-18', 'overdue', 'clerk'],
      ['2026-03-18', 'overdue', 'director'],
    ]);
    expect(sent[0]?.body).toContain('受理告知期限将于2026年3月17日届满，距今还有5个工作日。请及时作出受理、不予受理或者转送的决定');
  });

  it('closes a case whose review window passed without a request, and only that one', async () => {
    await sweepUntil('2026-04-01', '2026-03-19');
    stack.clock.set('2026-04-02T02:00:00Z');
    await act(reviewRequested, 'request-review', { requestedOn: '2026-04-01' }, t.clerk);
    await act(clerkClosed, 'close', {}, t.clerk);
    await sweepUntil('2026-04-03', '2026-04-02');
    expect((await stack.api.get(`/cases/${reviewClosed}`, { token: t.clerk })).json.status).toBe('delivered');
    const report = await sweep('2026-04-04');
    expect(report).toMatchObject({ closed: 2 });
    const closed = (await stack.api.get(`/cases/${reviewClosed}`, { token: t.clerk })).json;
    expect(closed).toMatchObject({
      status: 'closed',
      closed: { by: 'deadline-sweep', reason: '复查申请期限届满，未申请复查' },
      archiveEligibleOn: '2026-04-04',
    });
    const event = closed.timeline.find((e: { type: string }) => e.type === 'case.closed');
    expect(event).toMatchObject({ actor: { system: 'deadline-sweep' }, data: { window: 'reviewRequestWindow', windowDue: '2026-04-03' } });
    expect((await stack.api.get(`/cases/${reviewRequested}`, { token: t.clerk })).json.status).toBe('under_review');
    const told = await noticesOf(reviewClosed, ['2026-04-04']);
    expect(told.map((n) => [n.milestone, n.to])).toEqual([['close', 'clerk']]);
    expect(told[0]?.body).toContain('复查申请期限已于2026年4月3日届满，信访人未在期限内申请复查');

    // Swept again the same day: nothing more.
    expect(await sweep('2026-04-04', '09:00')).toMatchObject({ acted: 0, notices: 0 });
  });

  it('marks a case a clerk closed as eligible for archiving, once', async () => {
    const c = (await stack.api.get(`/cases/${clerkClosed}`, { token: t.clerk })).json;
    expect(c).toMatchObject({ status: 'closed', archiveEligibleOn: '2026-04-02' });
    expect(c.timeline.filter((e: { type: string }) => e.type === 'case.archive-eligible')).toEqual([
      expect.objectContaining({ actor: { system: 'deadline-sweep' }, data: { archiveEligibleOn: '2026-04-02', closedOn: '2026-04-02' } }),
    ]);
  });

  it('closes a case whose re-review window passed', async () => {
    // Closed by the sweep already (review window); a second case goes on to a review.
    stack.clock.set('2026-04-06T02:00:00Z');
    const again = await register('e2e-sweep-win-rereview-2', { petitioners: [{ name: '孙丽', phone: '13900005555' }], receivedOn: '2026-04-06' });
    await act(again, 'accept', { warningsOverride: '不同事项' }, t.director);
    await act(again, 'assign', { deptCode: 'HOUSING' }, t.director);
    await act(again, 'answer', opinion, t.housing);
    await act(again, 'approve-reply', {}, t.director);
    await act(again, 'deliver', { deliveredOn: '2026-04-06' }, t.clerk);
    stack.clock.set('2026-04-07T02:00:00Z');
    await act(again, 'request-review', { requestedOn: '2026-04-07' }, t.clerk);
    const reviewed = await act(again, 'review-opinion', { outcome: 'reject', summary: '维持原处理意见', deliveredOn: '2026-04-07' }, t.director);
    expect(reviewed.clocks.rereviewRequestWindow?.due).toBe('2026-05-07');
    await sweepUntil('2026-05-08', '2026-04-07');
    const closed = (await stack.api.get(`/cases/${again}`, { token: t.clerk })).json;
    expect(closed).toMatchObject({
      status: 'closed',
      closed: { by: 'deadline-sweep', reason: '复核申请期限届满，未申请复核' },
      archiveEligibleOn: '2026-05-08',
    });
    expect((await stack.api.get(`/cases/${alsoClosed}`, { token: t.clerk })).json.status).toBe('closed');
  });
});

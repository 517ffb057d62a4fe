/**
 * Text that ends up in a letter is checked with the letter's rules when it is typed, and a
 * refusal names the request's own field: an emoji in an answer is refused at `answer` (not when
 * the director approves it), an emoji in the subject at registration (not as
 * `content.paragraphs.0`), and a name as long as the registration allows is printed, not refused
 * later as `petitionerName`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

const fields = (json: { error?: { issues?: { field: string }[] } }) => (json.error?.issues ?? []).map((i) => i.field);
const answer = {
  request: '请求支付拖欠工资3.2万元',
  facts: '经调查，该公司确实拖欠信访人工资3.2万元。',
  decision: '责令该公司于十五日内足额支付。',
  outcome: 'support',
  legalBasis: '《保障农民工工资支付条例》第三条',
};

let n = 0;
async function register(over: Record<string, unknown> = {}) {
  n += 1;
  const r = await stack.api.post('/cases', registration({ petitioners: [{ name: `字段测试${n}`, phone: `1390000${String(n).padStart(4, '0')}` }], ...over }), {
    token: t.clerk,
  });
  expect(r.status).toBe(201);
  return r.json.case as { caseNo: string; version: number };
}

async function act(caseNo: string, action: string, body: object, token: string) {
  const current = await stack.api.get(`/cases/${caseNo}`, { token });
  return stack.api.post(`/cases/${caseNo}/${action}`, body, { token, headers: ifMatch(current.json.version) });
}

describe('text that ends up in a letter', () => {
  it('refuses an emoji in the answer when the department sends it, naming the field; the answer without it is approved', async () => {
    const c = await register();
    expect((await act(c.caseNo, 'accept', {}, t.director)).status).toBe(200);
    expect((await act(c.caseNo, 'assign', { deptCode: 'HRSS' }, t.director)).status).toBe(200);

    const refused = await act(c.caseNo, 'answer', { ...answer, facts: `${answer.facts}已解决😀` }, t.hrss);
    expect(refused.status).toBe(400);
    expect(fields(refused.json)).toEqual(['body.facts']);
    expect(refused.json.error.issues[0].reason).toContain('U+1F600');

    expect((await act(c.caseNo, 'answer', answer, t.hrss)).status).toBe(200);
    expect((await act(c.caseNo, 'approve-reply', {}, t.director)).status).toBe(200);
  });

  it('refuses what the non-acceptance notice cannot print in a decline reason or the reason of a proposed decline, naming the field', async () => {
    const c = await register();
    const declined = await act(c.caseNo, 'decline', { route: 'litigation', reason: '已起诉🙂' }, t.director);
    expect(declined.status).toBe(400);
    expect(fields(declined.json)).toEqual(['body.reason']);
    const multiLine = await act(c.caseNo, 'decline', { route: 'litigation', reason: '该事项已由人民法院立案受理\n另行告知' }, t.director);
    expect(fields(multiLine.json)).toEqual(['body.reason']);
    const proposed = await act(c.caseNo, 'propose', { action: 'decline', route: 'litigation', reason: '已起诉🙂' }, t.clerk);
    expect(fields(proposed.json)).toEqual(['body.reason']);
  });

  it('refuses an emoji in the subject or a name at registration, naming the field', async () => {
    const subject = await stack.api.post('/cases', registration({ subject: '请求解决拖欠工资问题😡' }), { token: t.clerk });
    expect(subject.status).toBe(400);
    expect(fields(subject.json)).toEqual(['body.subject']);
    const name = await stack.api.post('/cases/check', registration({ petitioners: [{ name: '张😀' }] }), { token: t.clerk });
    expect(name.status).toBe(400);
    expect(fields(name.json)).toEqual(['body.petitioners.0.name']);
  });

  it('prints a name as long as the registration allows (50 characters), for a joint petition too', async () => {
    const long = '欧阳'.repeat(25);
    expect(long).toHaveLength(50);
    const one = await stack.api.post('/cases', registration({ petitioners: [{ name: long, phone: '13900009001' }] }), { token: t.clerk });
    expect(one.status).toBe(201);
    const many = await stack.api.post('/cases', registration({ petitioners: [{ name: long, phone: '13900009002' }], persons: 100_000, representatives: [] }), {
      token: t.clerk,
    });
    expect(many.status).toBe(201);
    const accepted = await act(many.json.case.caseNo, 'accept', {}, t.director);
    expect(accepted.status).toBe(200);
  });
});

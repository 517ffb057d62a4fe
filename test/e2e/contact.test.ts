/**
 * A department reveals the contact details of a petitioner of its own case (issue 10 item 11):
 * scoped like every case route, refused on an accusation, each reveal an audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/domain/audit';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

const petitioner = { name: '周建国', idNumber: '11010519491231002X', phone: '13812345678', address: '江川区宁海街道建设路12号' };

/** A case of its own petitioner, accepted and assigned to a department. */
async function assigned(deptCode: string, over: Record<string, unknown> = {}) {
  const r = await stack.api.post('/cases', registration({ petitioners: [petitioner], ...over }), { token: t.clerk });
  expect(r.status, r.text).toBe(201);
  const a = await stack.api.post(
    `/cases/${r.json.case.caseNo}/accept`,
    { warningsOverride: '同一信访人的另一事项，已核实' },
    { token: t.director, headers: ifMatch(r.json.case.version) },
  );
  expect(a.status, a.text).toBe(200);
  const b = await stack.api.post(`/cases/${r.json.case.caseNo}/assign`, { deptCode }, { token: t.director, headers: ifMatch(a.json.version) });
  expect(b.status, b.text).toBe(200);
  return { caseNo: r.json.case.caseNo as string, version: b.json.version as number };
}

async function events(caseNo: string) {
  const timeline = await stack.api.get(`/cases/${caseNo}/timeline`, { token: t.clerk });
  return timeline.json.events as { type: string; actor: { username?: string }; data: Record<string, unknown> }[];
}

describe('a department revealing the contact details of its case', () => {
  it('sees them masked on the case, in full on a reveal, and each reveal is an audit event without the values', async () => {
    // Prepare
    const { caseNo } = await assigned('HRSS');
    const shown = await stack.api.get(`/cases/${caseNo}`, { token: t.hrss });

    // Act
    const first = await stack.api.get(`/cases/${caseNo}/contact`, { token: t.hrss });
    const second = await stack.api.get(`/cases/${caseNo}/contact`, { token: t.hrss });

    // Assess: masked on the page (address too), full on the reveal.
    expect(shown.json.petitioners[0]).toMatchObject({
      name: petitioner.name,
      idNumber: '110105********002X',
      phone: '138****5678',
      address: '江川区宁海街道****',
    });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ caseNo, petitioners: [petitioner] });
    expect(second.status).toBe(200);
    const all = await events(caseNo);
    const reveals = all.filter((e) => e.type === 'case.contact-revealed');
    expect(reveals).toHaveLength(2);
    expect(reveals[0]?.actor.username).toBe('hrss1');
    expect(JSON.stringify(reveals)).not.toContain(petitioner.phone);
    expect(JSON.stringify(reveals)).not.toContain(petitioner.idNumber);
    expect(JSON.stringify(reveals)).not.toContain('建设路');
    expect(verifyChain(caseNo, all as never)).toMatchObject({ ok: true });
  });

  it('is 404 to another department, as every route of a case it cannot read, and 403 to other roles', async () => {
    const { caseNo } = await assigned('HRSS');
    const before = (await events(caseNo)).length;

    expect((await stack.api.get(`/cases/${caseNo}/contact`, { token: t.housing })).status).toBe(404);
    expect((await stack.api.get(`/cases/${caseNo}/contact`, { token: t.clerk })).status).toBe(403);
    expect((await stack.api.get(`/cases/${caseNo}/contact`, { token: t.archivist })).status).toBe(403);
    expect((await stack.api.get('/cases/XF-2026-999999/contact', { token: t.hrss })).status).toBe(404);

    expect((await events(caseNo)).length).toBe(before);
  });

  it('is refused on an accusation, whose accuser stays protected, and on a case no longer with the department', async () => {
    // Prepare: an accusation assigned to a department it does not accuse; a case reassigned away.
    const accusation = await assigned('HRSS', {
      petitioners: [{ ...petitioner, name: '郑检举' }],
      itemType: 'accusation',
      category: 'accusation',
      accusedUnits: [{ name: '江川市住房和城乡建设局', deptCode: 'HOUSING' }],
      subject: '检举某单位工作人员违规收受礼金',
    });
    const moved = await assigned('HRSS', { petitioners: [{ ...petitioner, name: '王改派' }] });
    const reassigned = await stack.api.post(
      `/cases/${moved.caseNo}/reassign`,
      { deptCode: 'CIVIL', reason: '职责调整' },
      { token: t.director, headers: ifMatch(moved.version) },
    );
    expect(reassigned.status, reassigned.text).toBe(200);

    // Act
    const onAccusation = await stack.api.get(`/cases/${accusation.caseNo}/contact`, { token: t.hrss });
    const afterMove = await stack.api.get(`/cases/${moved.caseNo}/contact`, { token: t.hrss });

    // Assess
    expect(onAccusation.status).toBe(403);
    expect(onAccusation.json.error.details.reason).toMatch(/检举控告人的身份受保护/);
    expect(afterMove.status).toBe(403);
    expect(afterMove.json.error.details.reason).toMatch(/未交由本单位办理/);
    for (const caseNo of [accusation.caseNo, moved.caseNo]) expect((await events(caseNo)).map((e) => e.type)).not.toContain('case.contact-revealed');
  });
});

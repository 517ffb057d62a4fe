/**
 * The office's directory as data, through the local gateway (issue 16): the admin adds a
 * department and a user in it; the user signs in with the built-in issuer (whose user store is
 * the table) and sees the department's inbox; a case assigned there reaches it; a rename shows in
 * the vocabulary the case page reads; a disabled user's next request is refused with the token
 * they already hold; a retired department takes no new case and its code never returns; every
 * change is an event of the office's hash-chained trail, which verifies — and stops verifying
 * when an event is altered.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOfficeStore } from '../../shared/adapters/office-store';
import { verifyOfficeTrail } from '../../shared/app/office-audit';
import { officeKey } from '../../shared/storage/office-keys';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };
let store: DynamoDbOfficeStore;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-11-20T02:00:00Z', outboxPollMs: 0 });
  t = { ...(await tokens(stack)), admin: await stack.token('admin1') };
  store = new DynamoDbOfficeStore(documentClient(stack.clients.dynamodb), stack.tableName);
});
afterAll(async () => {
  await stack?.stop();
});

const vocabularyName = async (code: string) =>
  ((await stack.api.get('/vocabulary')).json.departments as { code: string; name: string }[]).find((d) => d.code === code)?.name;

describe('departments and users, from the admin API', () => {
  let caseNo = '';
  let waterToken = '';

  it('is for the admin alone, and validates what it is sent', async () => {
    expect((await stack.api.get('/admin/departments', { token: t.director })).status).toBe(403);
    expect((await stack.api.post('/admin/users', { username: 'x1y', displayName: '某人', role: 'clerk' }, { token: t.clerk })).status).toBe(403);
    const bad = await stack.api.post('/admin/departments', { code: 'water', name: '水' }, { token: t.admin });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['body.code', 'body.name']);
    const noDept = await stack.api.post('/admin/users', { username: 'dept9', displayName: '某人', role: 'department' }, { token: t.admin });
    expect(noDept.status).toBe(400);
    expect(noDept.json.error.issues[0].field).toBe('body.deptCode');
    // The seeded departments are OFFICE_CONFIG's (the demo office's), and the seeded users the demo users.
    const list = await stack.api.get('/admin/departments', { token: t.admin });
    expect(list.json.departments.map((d: { code: string }) => d.code)).toContain('HRSS');
    expect((await stack.api.get('/admin/users', { token: t.admin })).json.users.find((u: { username: string }) => u.username === 'hrss1')).toMatchObject({
      displayName: '周强',
      role: 'department',
      deptCode: 'HRSS',
      enabled: true,
    });
  });

  it('adds a department and a user in it, who signs in and sees the empty inbox', async () => {
    const dept = await stack.api.post('/admin/departments', { code: 'WATER', name: '水务局' }, { token: t.admin });
    expect(dept.status, JSON.stringify(dept.json)).toBe(201);
    expect(await vocabularyName('WATER')).toBe('水务局');
    const user = await stack.api.post(
      '/admin/users',
      { username: 'water1', displayName: '钱多多', role: 'department', deptCode: 'WATER', phone: '13900001111' },
      { token: t.admin },
    );
    expect(user.status, JSON.stringify(user.json)).toBe(201);
    expect(user.json).toMatchObject({ username: 'water1', displayName: '钱多多', deptCode: 'WATER', enabled: true });
    expect(user.json.sub).toBeUndefined();

    const signIn = await stack.api.post('/local-auth/token', { username: 'water1' });
    expect(signIn.status).toBe(200);
    expect(signIn.json.user).toMatchObject({ name: '钱多多', deptCode: 'WATER', deptName: '水务局' });
    waterToken = signIn.json.token;
    const me = await stack.api.get('/me', { token: waterToken });
    expect(me.json).toMatchObject({ username: 'water1', displayName: '钱多多', roles: ['department'], deptCode: 'WATER' });
    const inbox = await stack.api.get('/inbox', { token: waterToken });
    expect(inbox.status).toBe(200);
    expect(inbox.json.items).toEqual([]);
    // Everyone may read who is who, by name (no phone, no email), so screens show people by name.
    const people = await stack.api.get('/people', { token: waterToken });
    expect(people.status).toBe(200);
    expect(people.json.people).toContainEqual({ username: 'water1', displayName: '钱多多', role: 'department', deptCode: 'WATER' });
    expect(people.json.people).toContainEqual({ username: 'director1', displayName: '李建国', role: 'director' });
    expect((await stack.api.get('/people')).status).toBe(401);
  });

  it('assigns a case to the new department, and shows its new name after a rename', async () => {
    const reg = await stack.api.post('/cases', registration({ receivedOn: '2026-11-19' }), {
      token: t.clerk,
      headers: { 'idempotency-key': 'admin-dir-case-1' },
    });
    expect(reg.status, JSON.stringify(reg.json)).toBe(201);
    caseNo = reg.json.case.caseNo;
    const accepted = await stack.api.post(`/cases/${caseNo}/accept`, {}, { token: t.director, headers: ifMatch(reg.json.case.version) });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const assigned = await stack.api.post(`/cases/${caseNo}/assign`, { deptCode: 'WATER' }, { token: t.director, headers: ifMatch(accepted.json.version) });
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
    expect((await stack.api.get('/inbox', { token: waterToken })).json.items.map((c: { caseNo: string }) => c.caseNo)).toEqual([caseNo]);

    const renamed = await stack.api.put('/admin/departments/WATER', { name: '水利局' }, { token: t.admin });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(await vocabularyName('WATER')).toBe('水利局');
    expect((await stack.api.get(`/cases/${caseNo}`, { token: waterToken })).json.deptCode).toBe('WATER');
  });

  it("refuses a disabled user's next request, with the token they already hold, and lets them back when enabled", async () => {
    const disabled = await stack.api.post('/admin/users/water1/disable', {}, { token: t.admin });
    expect(disabled.status).toBe(200);
    expect(disabled.json.enabled).toBe(false);
    const refused = await stack.api.get('/inbox', { token: waterToken });
    expect(refused.status).toBe(401);
    expect((await stack.api.post('/local-auth/token', { username: 'water1' })).status).toBe(404);
    expect((await stack.api.post('/admin/users/water1/enable', {}, { token: t.admin })).status).toBe(200);
    expect((await stack.api.get('/inbox', { token: waterToken })).status).toBe(200);
  });

  it("takes a change of role or department at the user's next request", async () => {
    const moved = await stack.api.put('/admin/users/water1', { deptCode: 'HRSS' }, { token: t.admin });
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    // Same token, new department: the WATER case is no longer theirs to see.
    expect((await stack.api.get(`/cases/${caseNo}`, { token: waterToken })).status).toBe(404);
    expect((await stack.api.get('/me', { token: waterToken })).json.deptCode).toBe('HRSS');
    expect((await stack.api.put('/admin/users/water1', { deptCode: 'WATER' }, { token: t.admin })).status).toBe(200);
  });

  it('retires a department: no new case, no new user, its code never returns', async () => {
    const busy = await stack.api.post('/admin/departments/WATER/retire', {}, { token: t.admin });
    expect(busy.status).toBe(409);
    expect((await stack.api.post('/admin/users/water1/disable', {}, { token: t.admin })).status).toBe(200);
    const retired = await stack.api.post('/admin/departments/WATER/retire', {}, { token: t.admin });
    expect(retired.status, JSON.stringify(retired.json)).toBe(200);
    expect(retired.json.retired).toBe(true);
    // Its open case stays with it until a director reassigns it; it takes no new assignment.
    const c = (await stack.api.get(`/cases/${caseNo}`, { token: t.director })).json;
    expect(c.deptCode).toBe('WATER');
    const away = await stack.api.post(
      `/cases/${caseNo}/reassign`,
      { deptCode: 'HRSS', reason: '部门撤销，改由人社局办理' },
      { token: t.director, headers: ifMatch(c.version) },
    );
    expect(away.status, JSON.stringify(away.json)).toBe(200);
    const back = await stack.api.post(
      `/cases/${caseNo}/reassign`,
      { deptCode: 'WATER', reason: '退回原部门' },
      { token: t.director, headers: ifMatch(away.json.version) },
    );
    expect(back.status).toBe(400);
    expect(back.json.error.issues[0]).toMatchObject({ field: 'deptCode', reason: 'department WATER is retired' });
    const again = await stack.api.post('/admin/departments', { code: 'WATER', name: '新水务局' }, { token: t.admin });
    expect(again.status).toBe(400);
    expect(again.json.error.issues[0].field).toBe('code');
    const user = await stack.api.post('/admin/users', { username: 'water2', displayName: '孙二', role: 'department', deptCode: 'WATER' }, { token: t.admin });
    expect(user.status).toBe(400);
    expect((await stack.api.post('/admin/users/water1/enable', {}, { token: t.admin })).status).toBe(400);
  });

  it('records every change in the office trail (who, when, before → after), which verifies and detects tampering', async () => {
    const trail = await stack.api.get('/admin/audit?limit=100', { token: t.admin });
    expect(trail.status).toBe(200);
    const events = trail.json.events as { seq: number; type: string; actor: { username: string; displayName: string }; data: Record<string, unknown> }[];
    expect(events.map((e) => e.type).reverse()).toEqual([
      'department.created',
      'user.created',
      'department.renamed',
      'user.disabled',
      'user.enabled',
      'user.changed',
      'user.changed',
      'user.disabled',
      'department.retired',
    ]);
    expect(events[0]?.actor).toEqual({ username: 'admin1', displayName: '刘洋' });
    expect(events.find((e) => e.type === 'department.renamed')?.data).toEqual({ code: 'WATER', before: { name: '水务局' }, after: { name: '水利局' } });
    const created = events.find((e) => e.type === 'user.created')?.data as { after: { phone: string } };
    expect(created.after.phone).not.toContain('13900001111');
    expect((await stack.api.get('/admin/audit', { token: t.clerk })).status).toBe(403);

    // 立即校验 (POST /admin/audit/verifications): the admin's alone; the same check as `npm run audit:verify -- office`.
    const verify = (token: string) => stack.api.post('/admin/audit/verifications', {}, { token });
    expect((await verify(t.clerk)).status).toBe(403);
    expect((await verify(t.director)).status).toBe(403);
    const intact = await verify(t.admin);
    expect(intact.status).toBe(200);
    expect(intact.json).toEqual({ ok: true, entries: 9, checkedAt: expect.stringMatching(/^2026-11-20T/) });
    expect(await verifyOfficeTrail(store, intact.json.checkedAt)).toEqual(intact.json);
    // The check is no change of the office: the trail still holds the nine events.
    expect((await stack.api.get('/admin/audit', { token: t.admin })).json.events).toHaveLength(9);
    await documentClient(stack.clients.dynamodb).send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: officeKey.auditEvent(3),
        UpdateExpression: 'SET #e.#d.#a.#n = :n',
        ExpressionAttributeNames: { '#e': 'event', '#d': 'data', '#a': 'after', '#n': 'name' },
        ExpressionAttributeValues: { ':n': '改过的名字' },
      }),
    );
    const broken = await verify(t.admin);
    expect(broken.status).toBe(200);
    expect(broken.json).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: 3, reason: 'hash-mismatch' } });
  });
});

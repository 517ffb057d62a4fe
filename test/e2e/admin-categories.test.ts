/**
 * 分类管理 through the local gateway (issue 16): the taxonomy the stack seeded from OFFICE_CONFIG
 * (the defaults, two levels); the admin adds a category and a subcategory, a case is registered
 * with them and reads them back; the admin renames and retires them: the old case keeps its
 * codes and shows the new name, the vocabulary marks them retired, registration refuses them,
 * the reports still name them; codes never return; every change is in the office trail, which
 * verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyOfficeTrail } from '../../shared/app/office-audit';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbOfficeStore } from '../../shared/adapters/office-store';
import { startTestStack, type TestStack } from '../support/stack';
import { registration } from './helpers';

let stack: TestStack;
let admin = '';
let clerk = '';

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T02:00:00Z', outboxPollMs: 0 });
  [admin, clerk] = await Promise.all([stack.token('admin1'), stack.token('clerk1')]);
});
afterAll(async () => {
  await stack?.stop();
});

interface Entry {
  code: string;
  name: string;
  retired?: boolean;
  subcategories: { code: string; name: string; retired?: boolean }[];
}
const vocabulary = async () => (await stack.api.get('/vocabulary')).json.categories as Entry[];

describe('categories, from the admin API', () => {
  let caseNo = '';

  it('starts from the taxonomy OFFICE_CONFIG seeded (the defaults, two levels); admin only; validated', async () => {
    const list = await stack.api.get('/admin/categories', { token: admin });
    expect(list.status, list.text).toBe(200);
    const labour = (list.json.categories as Entry[]).find((c) => c.code === 'labour');
    expect(labour?.name).toBe('劳动社保');
    expect(labour?.subcategories.map((s) => s.code)).toContain('wages');
    expect((await stack.api.get('/admin/categories', { token: clerk })).status).toBe(403);
    const bad = await stack.api.post('/admin/categories', { code: 'Water', name: '水' }, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['body.code', 'body.name']);
  });

  it('adds a category and a subcategory, which registration accepts and the case reads back', async () => {
    expect((await stack.api.post('/admin/categories', { code: 'water', name: '水利水务' }, { token: admin })).status).toBe(201);
    const sub = await stack.api.post('/admin/categories', { code: 'dams', name: '水库移民', parent: 'water' }, { token: admin });
    expect(sub.status, sub.text).toBe(201);
    expect((await vocabulary()).find((c) => c.code === 'water')).toEqual({
      code: 'water',
      name: '水利水务',
      subcategories: [{ code: 'dams', name: '水库移民' }],
    });

    const reg = await stack.api.post('/cases', registration({ category: 'water', subcategory: 'dams' }), {
      token: clerk,
      headers: { 'idempotency-key': 'categories-1' },
    });
    expect(reg.status, reg.text).toBe(201);
    caseNo = reg.json.case.caseNo;
    expect(reg.json.case).toMatchObject({ category: 'water', subcategory: 'dams' });
    // A subcategory must be one of its category's.
    const wrong = await stack.api.post('/cases', registration({ category: 'labour', subcategory: 'dams' }), {
      token: clerk,
      headers: { 'idempotency-key': 'categories-2' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.issues[0]).toMatchObject({ field: 'subcategory', reason: 'unknown subcategory labour.dams' });
  });

  it('renames and retires: the old case keeps its codes and the new names, forms are offered them no more, registration refuses them', async () => {
    expect((await stack.api.put('/admin/categories/water.dams', { name: '水库移民安置' }, { token: admin })).status).toBe(200);
    expect((await stack.api.post('/admin/categories/water.dams/retire', {}, { token: admin })).status).toBe(200);
    expect((await stack.api.post('/admin/categories/water/retire', {}, { token: admin })).status).toBe(200);

    const water = (await vocabulary()).find((c) => c.code === 'water');
    expect(water).toEqual({ code: 'water', name: '水利水务', retired: true, subcategories: [{ code: 'dams', name: '水库移民安置', retired: true }] });
    const old = await stack.api.get(`/cases/${caseNo}`, { token: clerk });
    expect(old.status).toBe(200);
    expect(old.json).toMatchObject({ category: 'water', subcategory: 'dams' });

    const refused = await stack.api.post('/cases', registration({ category: 'water' }), { token: clerk, headers: { 'idempotency-key': 'categories-3' } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues[0]).toMatchObject({ field: 'category', reason: 'category water is retired' });

    // Codes never return, even retired; the reports still name the retired category.
    const again = await stack.api.post('/admin/categories', { code: 'water', name: '水务' }, { token: admin });
    expect(again.status).toBe(400);
    expect(again.json.error.issues[0].field).toBe('code');
    const reports = await stack.api.get('/reports?period=2026-03&dimensions=category', { token: await stack.token('director1') });
    expect(reports.status, reports.text).toBe(200);
    expect(JSON.stringify(reports.json)).toContain('水利水务');
  });

  it('records every change in the office trail, which verifies', async () => {
    const trail = await stack.api.get('/admin/audit?limit=100', { token: admin });
    const events = trail.json.events as { type: string; data: { code: string } }[];
    expect(events.map((e) => [e.type, e.data.code]).reverse()).toEqual([
      ['category.created', 'water'],
      ['category.created', 'water.dams'],
      ['category.renamed', 'water.dams'],
      ['category.retired', 'water.dams'],
      ['category.retired', 'water'],
    ]);
    expect(await verifyOfficeTrail(new DynamoDbOfficeStore(documentClient(stack.clients.dynamodb), stack.tableName), new Date().toISOString())).toMatchObject({
      ok: true,
      entries: 5,
    });
  });
});

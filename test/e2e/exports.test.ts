/**
 * Exports through the gateway (docs/exports.md, issue 13): a report as XLSX, CSV and PDF whose
 * numbers equal GET /reports, 案件查询 and 待办案件 as XLSX with the list's masking and scope, each a
 * presigned link to a file under exports/, each an event of the office trail (report.exported,
 * cases.exported). One stack for the file.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { extractPageTexts, normalise } from '../unit/letters/pdf';
import { registration, sha256, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>> & { admin: string };
const cases: { first: string; visit: string; third: string } = { first: '', visit: '', third: '' };

async function register(over: Record<string, unknown>, key: string): Promise<{ caseNo: string; version: number }> {
  const res = await stack.api.post('/cases', registration(over), { token: t.clerk, headers: { 'idempotency-key': key } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { caseNo: res.json.case.caseNo as string, version: res.json.case.version as number };
}

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-20T01:00:00Z' });
  t = { ...(await tokens(stack)), admin: (await stack.token('admin1'))! };
  cases.first = (await register({ receivedOn: '2026-02-10', petitioners: [{ name: '李四', phone: '13600000001' }], locality: 'ninghai' }, 'exp-0001')).caseNo;
  const visit = await register(
    {
      receivedOn: '2026-03-03',
      subject: '反映征地补偿款未发放问题',
      category: 'land',
      petitioners: [{ name: '王五', phone: '13600000002', address: '江川区九溪镇上村5号' }],
      persons: 8,
      representatives: ['王五'],
      channel: { type: 'visit' },
      level: 'skip-level',
      locality: 'jiuxi',
    },
    'exp-0002',
  );
  cases.visit = visit.caseNo;
  cases.third = (await register({ receivedOn: '2026-03-06', petitioners: [{ name: '钱七', phone: '13600000004' }], locality: 'jiuxi' }, 'exp-0003')).caseNo;
  const accepted = await stack.api.post(`/cases/${visit.caseNo}/accept`, {}, { token: t.director, headers: { 'if-match': `"${visit.version}"` } });
  expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
  const assigned = await stack.api.post(
    `/cases/${visit.caseNo}/assign`,
    { deptCode: 'HRSS' },
    { token: t.director, headers: { 'if-match': `"${accepted.json.version}"` } },
  );
  expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
}, 90_000);
afterAll(() => stack?.stop());

/** The export's link, then the file behind it (checked against the link's size and hash). */
async function download(path: string, token: string): Promise<{ link: Record<string, unknown>; bytes: Uint8Array }> {
  const res = await stack.api.get(path, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const file = await fetch(res.json.url as string);
  expect(file.status).toBe(200);
  const bytes = new Uint8Array(await file.arrayBuffer());
  expect(bytes.length).toBe(res.json.bytes);
  expect(sha256(bytes)).toBe(res.json.sha256);
  expect(file.headers.get('content-disposition')).toContain(encodeURIComponent(res.json.fileName as string));
  return { link: res.json, bytes };
}

async function workbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** A sheet as rows of header → value. */
function table(wb: ExcelJS.Workbook, name: string): Record<string, unknown>[] {
  const ws = wb.getWorksheet(name)!;
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])));
  });
  return rows;
}

async function trail(): Promise<{ type: string; actor: { username?: string }; data: Record<string, unknown> }[]> {
  const res = await stack.api.get('/admin/audit?limit=100', { token: t.admin });
  expect(res.status).toBe(200);
  return res.json.events;
}

describe('GET /exports/report', () => {
  it('answers a link to an XLSX whose figures equal GET /reports, and records report.exported', async () => {
    const api = (await stack.api.get('/reports?period=2026-03', { token: t.director })).json;
    const { link, bytes } = await download('/exports/report?period=2026-03&format=xlsx', t.director);
    expect(link).toMatchObject({ fileName: '信访统计_2026-03_全部.xlsx', expiresInSec: 300 });
    const wb = await workbook(bytes);
    const overall = table(wb, '总体');
    const row = (label: string) => overall.find((r) => r['指标'] === label)!;
    expect(row('信访总量')).toMatchObject({ 数值: api.figures.total.value, 人次: api.figures.total.persons });
    expect(row('集体访')).toMatchObject({ 数值: 1, 人次: 8 });
    expect(row('越级到市访')['数值']).toBe(api.figures.skipToCity.value);
    expect(row('重复信访率')).toMatchObject({ 分子: api.figures.repeatRate.formula.numerator, 分母: api.figures.repeatRate.formula.denominator });
    const byLocality = table(wb, '按问题属地');
    expect(byLocality.find((r) => r['问题属地'] === '九溪镇' && r['指标'] === '信访总量')?.['数值']).toBe(2);
    const exported = (await trail()).find((e) => e.type === 'report.exported');
    expect(exported).toMatchObject({ actor: { username: 'director1' }, data: { period: '2026-03', format: 'xlsx', scope: '全部', sha256: link.sha256 } });
  });

  it('answers the CSV of a department with its own figures only', async () => {
    const api = (await stack.api.get('/reports?period=2026-03', { token: t.hrss })).json;
    expect(api.scope.deptCode).toBe('HRSS');
    const { link, bytes } = await download('/exports/report?period=2026-03&format=csv', t.hrss);
    expect(link.fileName).toBe('信访统计_2026-03_人力资源和社会保障局.csv');
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF统计期间,统计范围')).toBe(true);
    const total = lines.find((l) => l.includes(',总体,全部,信访总量,'))!.split(',');
    expect(total.slice(6, 8)).toEqual([String(api.figures.total.value), String(api.figures.total.persons)]);
    expect((await stack.api.get('/exports/report?period=2026-03&format=csv&deptCode=HOUSING', { token: t.hrss })).status).toBe(403);
  });

  it('answers the 信访工作统计分析 PDF of a quarter: the sentences with the API numbers, the charts labelled', async () => {
    const api = (await stack.api.get('/reports?period=2026-Q1', { token: t.director })).json;
    const { link, bytes } = await download('/exports/report?period=2026-Q1&format=pdf', t.director);
    expect(link).toMatchObject({ fileName: '信访统计_2026-Q1_全部.pdf', contentType: 'application/pdf' });
    const text = (await extractPageTexts(bytes)).map(normalise).join('');
    expect(text).toContain('2026年第1季度信访工作统计分析');
    expect(text).toContain(normalise(`本季度共登记信访事项${api.figures.total.value}批次${api.figures.total.persons}人次`));
    expect(text).toContain(normalise(`来访${api.figures.visits.value}批次${api.figures.visits.persons}人次`));
    expect(text).toContain('图1信访形式分布（批次）');
    expect(text).toContain('本期上年同期');
  });

  it('refuses an unknown format and a bad period, naming the field', async () => {
    const bad = await stack.api.get('/exports/report?period=2026-03&format=docx', { token: t.director });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].field).toBe('query.format');
    expect((await stack.api.get('/exports/report?period=2026-13&format=xlsx', { token: t.director })).status).toBe(400);
    expect((await stack.api.get('/exports/report?period=2026-03&format=xlsx', { token: t.archivist })).status).toBe(403);
  });
});

describe('GET /exports/report-cases', () => {
  it("exports exactly the drill-down's cases, masked as the list shows them, recorded as cases.exported", async () => {
    const q = 'period=2026-03&figure=total&dimension=locality&value=jiuxi';
    const drill = (await stack.api.get(`/reports/cases?${q}`, { token: t.director })).json;
    expect(drill.count).toBe(2);
    expect(drill.row).toEqual({ dimension: 'locality', key: 'jiuxi', label: '九溪镇' });
    const { link, bytes } = await download(`/exports/report-cases?${q}`, t.director);
    expect(link).toMatchObject({ rows: 2, fileName: '案件明细_2026年3月_信访总量_九溪镇_2026-03-20.xlsx' });
    const rows = table(await workbook(bytes), '案件明细');
    expect(rows.map((r) => r['案件编号'])).toEqual(drill.caseNos);
    expect(JSON.stringify(rows)).not.toContain('13600000002');
    const exported = (await trail()).find((e) => e.type === 'cases.exported' && e.data.list === 'report');
    expect(exported).toMatchObject({
      actor: { username: 'director1' },
      data: { rows: 2, withheld: 0, filters: { period: '2026-03', figure: 'total', dimension: 'locality', value: 'jiuxi' } },
    });
  });

  it("gives a department its own cases only, refuses another's, and names a bad query's field", async () => {
    const own = await download('/exports/report-cases?period=2026-03&figure=total', t.hrss);
    expect(table(await workbook(own.bytes), '案件明细').map((r) => r['标题'])).toEqual(['反映征地补偿款未发放问题']);
    expect((await stack.api.get('/exports/report-cases?period=2026-03&figure=total&deptCode=HOUSING', { token: t.hrss })).status).toBe(403);
    const bad = await stack.api.get('/exports/report-cases?period=2026-03&figure=nope', { token: t.director });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].field).toBe('query.figure');
    expect((await stack.api.get('/exports/report-cases?period=2026-03&figure=total', { token: t.archivist })).status).toBe(403);
  });
});

describe('GET /exports/cases and /exports/inbox', () => {
  it('exports 案件查询 with its filters as the list shows it: phone numbers masked, recorded as cases.exported', async () => {
    const list = (await stack.api.get('/cases?receivedFrom=2026-03-01&limit=100', { token: t.clerk })).json;
    const { link, bytes } = await download('/exports/cases?receivedFrom=2026-03-01', t.clerk);
    expect(link.rows).toBe(list.items.length);
    const rows = table(await workbook(bytes), '案件查询');
    expect(rows.map((r) => r['案件编号']).sort()).toEqual(list.items.map((c: { caseNo: string }) => c.caseNo).sort());
    const visit = rows.find((r) => r['标题'] === '反映征地补偿款未发放问题')!;
    expect(visit).toMatchObject({ 信访人: '王五', 人数: 8, 信访形式: '来访', 集体访: '是', 承办单位: '人力资源和社会保障局' });
    expect(String(visit['联系电话（脱敏）'])).not.toContain('13600000002');
    expect(String(visit['联系电话（脱敏）'])).toMatch(/^136\*+0002$/);
    expect(JSON.stringify(rows)).not.toContain('13600000002');
    const exported = (await trail()).find((e) => e.type === 'cases.exported' && e.actor.username === 'clerk1');
    expect(exported?.data).toMatchObject({ list: 'search', rows: list.items.length, filters: { receivedFrom: '2026-03-01' } });
  });

  it('exports words found by the search, and a department only its own cases', async () => {
    const found = await download(`/exports/cases?q=${encodeURIComponent('征地补偿')}`, t.director);
    expect(table(await workbook(found.bytes), '案件查询').map((r) => r['标题'])).toEqual(['反映征地补偿款未发放问题']);
    const own = await download('/exports/cases', t.hrss);
    expect(own.link.rows).toBe(1);
    const none = await download('/exports/cases', t.housing);
    expect(none.link.rows).toBe(0);
  });

  it("exports a department's 待办案件 (the inbox), and only to a department", async () => {
    const inbox = (await stack.api.get('/inbox?limit=100', { token: t.hrss })).json;
    const { link, bytes } = await download('/exports/inbox', t.hrss);
    expect(link.rows).toBe(inbox.items.length);
    expect(table(await workbook(bytes), '待办案件').map((r) => r['案件编号'])).toEqual(inbox.items.map((c: { caseNo: string }) => c.caseNo));
    expect((await stack.api.get('/exports/inbox', { token: t.clerk })).status).toBe(403);
    const exported = (await trail()).find((e) => e.type === 'cases.exported' && e.data.list === 'inbox');
    expect(exported?.actor.username).toBe('hrss1');
  });
});

describe('GET /exports/forms (issue 18 item 11)', () => {
  it('prints the 来访登记表 and 交办单 of chosen cases in one PDF, recorded as forms.printed', async () => {
    const { link, bytes } = await download(`/exports/forms?form=registration&caseNos=${cases.visit},${cases.first}`, t.clerk);
    expect(link).toMatchObject({ contentType: 'application/pdf', fileName: expect.stringMatching(/^信访事项登记表_2件_/) });
    const pages = (await extractPageTexts(bytes)).map(normalise);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain(normalise('来访登记表'));
    expect(pages[0]).toContain(normalise(`案件编号${cases.visit}`));
    expect(pages[0]).toContain(normalise('王五，电话13600000002，住址江川区九溪镇上村5号'));
    expect(pages[1]).toContain(normalise('信访事项登记表'));
    expect(pages[1]).toContain(normalise(`案件编号${cases.first}`));
    const assignment = (await extractPageTexts((await download(`/exports/forms?form=assignment&caseNos=${cases.visit}`, t.director)).bytes)).map(normalise);
    expect(assignment[0]).toContain(normalise('交办单'));
    expect(assignment[0]).toContain(normalise('承办单位'));
    expect(assignment[0]).toMatch(/办理期限2026年\d+月\d+日前办结/);
    const printed = (await trail()).find((e) => e.type === 'forms.printed' && e.actor.username === 'clerk1');
    expect(printed?.data).toMatchObject({ form: 'registration', caseNos: [cases.visit, cases.first], pages: 2 });
  });

  it("gives a department its own case, masked, refuses another's, and names a bad query's field", async () => {
    const own = (await extractPageTexts((await download(`/exports/forms?form=registration&caseNos=${cases.visit}`, t.hrss)).bytes)).map(normalise);
    expect(own[0]).toContain(normalise(`案件编号${cases.visit}`));
    expect(own[0]).not.toContain('13600000002');
    expect((await stack.api.get(`/exports/forms?form=registration&caseNos=${cases.first}`, { token: t.hrss })).status).toBe(404);
    expect((await stack.api.get(`/exports/forms?form=registration&caseNos=${cases.visit}`, { token: t.archivist })).status).toBe(403);
    for (const bad of ['form=letter&caseNos=XF-2026-000001', 'form=registration&caseNos=', 'form=registration']) {
      const res = await stack.api.get(`/exports/forms?${bad}`, { token: t.clerk });
      expect(res.status, bad).toBe(400);
    }
    const many = Array.from({ length: 51 }, (_, i) => `XF-2026-${String(i + 1).padStart(6, '0')}`).join(',');
    expect((await stack.api.get(`/exports/forms?form=registration&caseNos=${many}`, { token: t.clerk })).status).toBe(400);
  });
});

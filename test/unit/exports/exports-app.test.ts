/**
 * The exports use case (shared/app/exports.ts) over fakes: a list is read page by page into one
 * workbook, more than MAX_EXPORT_ROWS cases is a 409 in Chinese with nothing stored or recorded,
 * the file goes under exports/ with a 5-minute link, and the trail keeps no raw ID or phone number.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { auditableFilters, drillFileName, Exports, MAX_EXPORT_ROWS, TooManyRowsError, type ExportsDeps } from '../../../shared/app/exports';
import { monthPeriod } from '../../../shared/domain/reports';
import type { Actor } from '../../../shared/domain/roles';
import type { CaseListRow } from '../../../shared/exports/case-xlsx';
import { loadLetterFonts } from '../../../shared/letters/fonts';
import { fixtureReport, FIXTURE_SETTINGS } from '../../support/fixtures/report';
import { NotFoundError } from '../../../shared/domain/errors';
import { maskIdNumber, maskPhone } from '../../../shared/domain/pii';
import { extractPageTexts, normalise } from '../letters/pdf';
import { registered } from '../lifecycle/fixtures';

const clerk: Actor = { userId: 'u1', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
const dept: Actor = { userId: 'u2', username: 'hrss1', displayName: '周强', roles: ['department'], deptCode: 'HRSS' };

function row(i: number): CaseListRow {
  return {
    caseNo: `XF-2026-${String(i).padStart(6, '0')}`,
    subject: `=HYPERLINK("x") 第${i}件`,
    statusLabel: '已受理',
    itemType: 'request-appeal',
    category: 'labour',
    channel: 'letter',
    receivedOn: '2026-03-02',
    persons: 1,
    collective: false,
    firstTime: true,
    petitioners: [{ name: '张建华', phone: '138****5678' }],
    deptCode: 'HRSS',
    statutory: { label: '办理期限', due: '2026-05-01', daysLeft: 12, paused: false },
  };
}

function setup(total: number, maxRows?: number, withheldEvery = 0) {
  const stored: { key: string; bytes: Uint8Array; contentType: string }[] = [];
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const pages: (string | undefined)[] = [];
  const page = (cursor: string | undefined) => {
    pages.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    const to = Math.min(total, from + 100);
    const items = Array.from({ length: to - from }, (_, i) => row(from + i + 1));
    return Promise.resolve(to < total ? { items, cursor: String(to) } : { items });
  };
  const deps: ExportsDeps = {
    report: () => Promise.resolve(fixtureReport()),
    casesPage: (_a, _f, _l, cursor) => page(cursor),
    inboxPage: (_a, _l, cursor) => page(cursor),
    // The drill-down's list: `total` cases behind 2026年3月's 来访 of 劳动社保; every `withheldEvery`-th one the user may not open.
    reportCases: (_a, q) =>
      Promise.resolve({
        period: q.period,
        asOf: '2026-03-20',
        scope: { deptCode: q.deptCode ?? null, label: q.deptCode ? '人力资源和社会保障局' : '全部' },
        figure: { id: q.figure, label: '来访', kind: 'count' as const },
        part: q.part ?? 'value',
        row: { dimension: 'category' as const, key: 'labour', label: '劳动社保' },
        count: total,
        persons: total,
        caseNos: Array.from({ length: total }, (_, i) => row(i + 1).caseNo),
        page: async (offset: number, limit: number) => {
          const { items } = await page(offset === 0 ? undefined : String(offset));
          const shown = items.slice(0, limit).filter((_, i) => withheldEvery === 0 || (offset + i + 1) % withheldEvery !== 0);
          return { items: shown, withheld: Math.min(limit, items.length) - shown.length };
        },
      }),
    storage: {
      put: (key, bytes, contentType) => {
        stored.push({ key, bytes, contentType });
        return Promise.resolve();
      },
      presignDownload: ({ key, expiresInSec }) => Promise.resolve(`https://bucket.example/${key}?X-Amz-Expires=${expiresInSec}`),
    },
    audit: (e) => {
      events.push(e);
      return Promise.resolve();
    },
    clock: { now: () => new Date('2026-03-20T01:00:00Z') },
    labels: () => ({ categories: FIXTURE_SETTINGS.categories, departments: FIXTURE_SETTINGS.departments }),
    // 信访事项登记表: the case as the user may open it (a department's copy masked), or a 404.
    caseView: (actor, caseNo) => {
      if (caseNo === 'XF-2026-000404') return Promise.reject(new NotFoundError('Case', 'XF-2026-000404'));
      const c = registered({ petitioners: [{ name: '张建华', idNumber: '11010519491231002X', phone: '13812345678' }] });
      const petitioners = actor.roles.includes('department')
        ? c.petitioners.map((p) => ({ ...p, idNumber: maskIdNumber(p.idNumber ?? ''), phone: maskPhone(p.phone ?? '') }))
        : c.petitioners;
      return Promise.resolve({ ...c, caseNo, petitioners, documents: [] });
    },
    peopleNames: () => Promise.resolve(new Map([['clerk1', '王芳']])),
    fonts: () => loadLetterFonts(),
    organName: () => '江川市信访局',
    newId: () => 'id1',
    ...(maxRows !== undefined ? { maxRows } : {}),
  };
  return { exports: new Exports(deps), stored, events, pages };
}

describe('a case list export', () => {
  it('reads every page into one workbook, stores it under exports/ and links to it for 5 minutes', async () => {
    const { exports, stored, events, pages } = setup(250);
    const link = await exports.cases(clerk, { status: 'accepted', petitionerPhone: '13812345678' });
    expect(pages).toEqual([undefined, '100', '200']);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).toBe('exports/2026-03-20/id1.xlsx');
    expect(link).toMatchObject({ rows: 250, fileName: '案件查询_2026-03-20.xlsx', expiresInSec: 300, expiresAt: '2026-03-20T01:05:00.000Z' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(stored[0]!.bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('案件查询')!;
    expect(ws.rowCount).toBe(251);
    // Text stays text: a subject that looks like a formula is no formula in the workbook.
    expect(ws.getRow(2).getCell(2).value).toBe('=HYPERLINK("x") 第1件');
    expect(ws.getRow(2).getCell(8).value).toBe('劳动社保');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'cases.exported',
        data: expect.objectContaining({ list: 'search', rows: 250, filters: { status: 'accepted', petitionerPhone: '138****5678' } }),
      }),
    ]);
  });

  it(`refuses more than the bound (${MAX_EXPORT_ROWS}) with a Chinese reason, storing and recording nothing`, async () => {
    expect(MAX_EXPORT_ROWS).toBe(5000);
    const { exports, stored, events } = setup(301, 300);
    const refused = await exports.inbox(dept).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRowsError);
    expect((refused as Error).message).toBe('导出的案件超过300件，请缩小查询范围（如收到日期、状态、承办单位）后再导出。');
    expect(stored).toEqual([]);
    expect(events).toEqual([]);
    const exactly = setup(300, 300);
    expect((await exactly.exports.inbox(dept)).rows).toBe(300);
  });

  it('keeps no raw ID or phone number of the filters in the trail', () => {
    expect(auditableFilters({ petitionerIdNumber: '11010519491231002X', petitionerPhone: '13812345678', petitionerName: '张建华', status: 'closed' })).toEqual({
      petitionerIdNumber: expect.not.stringContaining('19491231'),
      petitionerPhone: '138****5678',
      petitionerName: expect.not.stringMatching(/^张建华$/),
      status: 'closed',
    });
    expect(auditableFilters({ q: '11010519491231002X 工资' }).q).toBe('（含证件号码或电话号码，不予记录）');
    expect(auditableFilters({ q: '工资 宁海' }).q).toBe('工资 宁海');
  });

  it('is refused to an admin (no case content) and the inbox to the office', async () => {
    const { exports } = setup(1);
    await expect(exports.cases({ ...clerk, roles: ['admin'] }, {})).rejects.toThrow();
    await expect(exports.inbox(clerk)).rejects.toThrow();
  });
});

describe("a report's drill-down export", () => {
  const period = monthPeriod(2026, 3);

  it('holds every case behind the number, in the list order, named after the number, recorded with what it was and what was left out', async () => {
    const { exports, stored, events, pages } = setup(230, undefined, 50);
    const link = await exports.reportCases(dept, { period, figure: 'visits', dimension: 'category', value: 'labour', deptCode: 'HRSS' });
    expect(pages).toEqual([undefined, '100', '200']);
    expect(link).toMatchObject({ rows: 226, fileName: '案件明细_2026年3月_来访_劳动社保_人力资源和社会保障局_2026-03-20.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(stored[0]!.bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('案件明细')!;
    expect(ws.rowCount).toBe(227);
    expect(ws.getRow(2).getCell(1).value).toBe('XF-2026-000001');
    expect(ws.getRow(227).getCell(1).value).toBe('XF-2026-000230');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'cases.exported',
        data: expect.objectContaining({
          list: 'report',
          rows: 226,
          withheld: 4,
          filters: { period: '2026-03', figure: 'visits', dimension: 'category', value: 'labour', deptCode: 'HRSS' },
        }),
      }),
    ]);
  });

  it('refuses more cases than the bound before reading any of them', async () => {
    const { exports, stored, events, pages } = setup(301, 300);
    await expect(exports.reportCases(clerk, { period, figure: 'total' })).rejects.toBeInstanceOf(TooManyRowsError);
    expect([pages, stored, events]).toEqual([[], [], []]);
    await expect(exports.reportCases({ ...clerk, roles: ['archivist'] }, { period, figure: 'total' })).rejects.toThrow();
  });

  it('names the file after the number, a part and the scope, with nothing a file name may not hold', () => {
    const base = { period: monthPeriod(2026, 3), figure: { id: 'total' as const, label: '信访总量', kind: 'count' as const }, part: 'value' as const };
    expect(drillFileName({ ...base, scope: { deptCode: null, label: '全部' } })).toBe('案件明细_2026年3月_信访总量');
    expect(
      drillFileName({
        ...base,
        figure: { id: 'onTimeCompletionRate', label: '按期办结率', kind: 'rate' },
        part: 'denominator',
        row: { dimension: 'locality', key: 'x', label: 'A/B: C' },
        scope: { deptCode: 'HRSS', label: '人社局' },
      }),
    ).toBe('案件明细_2026年3月_按期办结率_分母_A-B-C_人社局');
  });
});

describe('a report export', () => {
  it('stores the XLSX, the CSV and the PDF and records report.exported with the hash', async () => {
    const { exports, stored, events } = setup(0);
    const x = await exports.report(clerk, { period: fixtureReport().period, format: 'xlsx' });
    const c = await exports.report(clerk, { period: fixtureReport().period, format: 'csv' });
    const p = await exports.report(clerk, { period: fixtureReport().period, format: 'pdf' });
    expect(stored.map((s) => s.contentType)).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv; charset=utf-8',
      'application/pdf',
    ]);
    expect(p.fileName).toBe('信访统计_2026-Q1_全部.pdf');
    expect(new TextDecoder().decode(stored[2]!.bytes.slice(0, 5))).toBe('%PDF-');
    expect(x.fileName).toBe('信访统计_2026-Q1_全部.xlsx');
    expect(c.fileName).toBe('信访统计_2026-Q1_全部.csv');
    expect(events.map((e) => [e.type, e.data.format, e.data.sha256])).toEqual([
      ['report.exported', 'xlsx', x.sha256],
      ['report.exported', 'csv', c.sha256],
      ['report.exported', 'pdf', p.sha256],
    ]);
  });
});

describe('printed forms (GET /exports/forms)', () => {
  it('sets one form per case in one PDF under exports/, recorded with the case numbers', async () => {
    const { exports, stored, events } = setup(0);
    const link = await exports.forms(clerk, { form: 'registration', caseNos: ['XF-2026-000001', 'XF-2026-000002', 'XF-2026-000001'] });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).toBe('exports/2026-03-20/id1.pdf');
    expect(link).toMatchObject({ contentType: 'application/pdf', fileName: '信访事项登记表_2件_2026-03-20.pdf' });
    const texts = (await extractPageTexts(stored[0]!.bytes)).map(normalise);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(normalise('案件编号XF-2026-000001'));
    expect(texts[1]).toContain(normalise('案件编号XF-2026-000002'));
    expect(texts[0]).toContain('11010519491231002X');
    expect(texts[0]).toContain(normalise('登记人王芳'));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'forms.printed',
        data: expect.objectContaining({ form: 'registration', caseNos: ['XF-2026-000001', 'XF-2026-000002'], pages: 2 }),
      }),
    ]);
  });

  it("prints a department's copy masked, and makes nothing when a case is not the user's to open", async () => {
    const { exports, stored, events } = setup(0);
    await exports.forms(dept, { form: 'registration', caseNos: ['XF-2026-000001'] });
    const text = normalise((await extractPageTexts(stored[0]!.bytes))[0] ?? '');
    expect(text).not.toContain('11010519491231002X');
    expect(text).not.toContain('13812345678');
    await expect(exports.forms(dept, { form: 'assignment', caseNos: ['XF-2026-000001', 'XF-2026-000404'] })).rejects.toThrow(NotFoundError);
    expect(stored).toHaveLength(1);
    expect(events).toHaveLength(1);
    await expect(exports.forms({ ...clerk, roles: ['archivist'] }, { form: 'registration', caseNos: ['XF-2026-000001'] })).rejects.toThrow();
  });
});

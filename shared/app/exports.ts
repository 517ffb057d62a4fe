/**
 * Exports (DESIGN §8, issue 13; docs/exports.md): a report as XLSX, CSV or PDF (the 信访工作统计分析), and a list of cases
 * (案件查询, 待办案件) as XLSX, and the office's printed forms of chosen cases (登记表, 交办单, 送达回证) as PDF. Each file is rendered from what the user may see through the same
 * use cases the API answers with (the report of GET /reports; the pages of GET /cases and
 * GET /inbox, masked as the list masks them), put in the documents bucket under exports/ (kept a
 * day), and handed back as a short-lived presigned link, never as a large response. Each export is
 * an event of the office's audit trail (report.exported, cases.exported). No AWS SDK here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConflictError } from '../domain/errors';
import type { AuditActor } from '../domain/audit';
import { looksLikeRawPii, maskIdNumber, maskName, maskPhone } from '../domain/pii';
import type { Report } from '../domain/reports';
import { requireRole, type Actor } from '../domain/roles';
import { shanghaiDate, type Clock } from '../domain/time';
import { caseListXlsx, type CaseListRow } from '../exports/case-xlsx';
import { reportCsv } from '../exports/report-csv';
import { renderReportPdf } from '../exports/report-pdf';
import { reportFileName } from '../exports/report-table';
import type { LetterFonts } from '../letters/fonts';
import { reportXlsx } from '../exports/report-xlsx';
import { renderOfficeForms } from '../letters/forms';
import { officeForm, OFFICE_FORM_LABELS, type FormCase, type FormLabels, type FormLetter, type OfficeFormKind } from '../domain/office-forms';
import { exportObjectKey } from '../storage/object-keys';
import { auditActor } from './actor';
import type { DocumentStorage, Page } from './ports';
import type { ReportCaseList, ReportCasesQuery, ReportQuery } from './reports';

/** How long a download link lives (seconds): long enough to click, short enough not to be passed on. */
export const EXPORT_LINK_SECONDS = 300;
/** The most cases one list export holds; more is a 409 asking to narrow the filter. */
export const MAX_EXPORT_ROWS = 5000;
/** Cases read per page while exporting a list. */
const PAGE = 100;

export const REPORT_FORMATS = ['xlsx', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** An export's answer: where to fetch the file, until when, and what it is. */
export interface ExportLink {
  url: string;
  fileName: string;
  contentType: string;
  expiresInSec: number;
  expiresAt: string;
  bytes: number;
  sha256: string;
  /** A list's cases. */
  rows?: number;
}

/** The office's audit trail (the admin's 操作记录): appends one event. */
export type OfficeAuditTrail = (event: { at: string; actor: AuditActor; type: string; data: Record<string, unknown> }) => Promise<void>;

/** The filters of 案件查询 (GET /cases without its paging). */
export interface CaseListFilters {
  q?: string;
  status?: string;
  channel?: string;
  awaiting?: string;
  deptCode?: string;
  category?: string;
  dueBefore?: string;
  receivedFrom?: string;
  receivedTo?: string;
  caseNo?: string;
  petitionerName?: string;
  petitionerIdNumber?: string;
  petitionerPhone?: string;
}

export interface ExportsDeps {
  /** The report of a period as the user may see it (Reports.report). */
  report: (actor: Actor, q: ReportQuery) => Promise<Report>;
  /** A page of 案件查询 as GET /cases answers it (the search with words, else the list). */
  casesPage: (actor: Actor, filters: CaseListFilters, limit: number, cursor: string | undefined) => Promise<Page<CaseListRow>>;
  /** A page of the department's inbox as GET /inbox answers it. */
  inboxPage: (actor: Actor, limit: number, cursor: string | undefined) => Promise<Page<CaseListRow>>;
  /** The cases behind a number of a report as the drill-down selects them (Reports.caseList). */
  reportCases: (actor: Actor, q: ReportCasesSelection) => Promise<DrillList>;
  storage: Pick<DocumentStorage, 'put' | 'presignDownload'>;
  audit: OfficeAuditTrail;
  clock: Clock;
  labels: () => {
    categories: readonly { code: string; name: string; subcategories?: readonly { code: string; name: string }[] }[];
    departments: readonly { code: string; name: string }[];
    localities?: readonly { code: string; name: string }[];
  };
  /** A case as the user may open it (GET /cases/{caseNo}: masked for a department; 404 for a case it may not see), with its letters. */
  caseView: (actor: Actor, caseNo: string) => Promise<FormCase & { documents: FormLetter[] }>;
  /** The office's users' display names by username (登记人 on the forms). */
  peopleNames: () => Promise<ReadonlyMap<string, string>>;
  /** The letter fonts (the PDF), loaded on the first PDF. */
  fonts: () => Promise<LetterFonts>;
  /** The issuing organ the PDF is headed and signed with (the letters' organ). */
  organName: () => string;
  newId?: () => string;
  /** The most cases one list export holds (default MAX_EXPORT_ROWS). */
  maxRows?: number;
}

/** The drill-down's query without its paging (GET /exports/report-cases). */
export type ReportCasesSelection = Omit<ReportCasesQuery, 'limit' | 'cursor'>;

/** Reports.caseList as the export reads it: the list's rows are its case summaries. */
export type DrillList = Omit<ReportCaseList, 'page'> & { page(offset: number, limit: number): Promise<{ items: CaseListRow[]; withheld: number }> };

/** Too many cases for one file: the reason is for the user, in Chinese. */
export class TooManyRowsError extends ConflictError {
  constructor(max: number) {
    super(`导出的案件超过${max}件，请缩小查询范围（如收到日期、状态、承办单位）后再导出。`, { max });
    this.name = 'TooManyRowsError';
  }
}

/** The filters as the audit trail keeps them: no raw ID or phone number, names masked. */
export function auditableFilters(f: CaseListFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || v === '') continue;
    if (k === 'petitionerIdNumber') out[k] = maskIdNumber(v);
    else if (k === 'petitionerPhone') out[k] = maskPhone(v);
    else if (k === 'petitionerName') out[k] = maskName(v);
    else if (k === 'q' && looksLikeRawPii(v)) out[k] = '（含证件号码或电话号码，不予记录）';
    else out[k] = v;
  }
  return out;
}

const PART_NAMES = { value: '', numerator: '分子', denominator: '分母' } as const;

/** 案件明细_2026年3月_信访总量[_分子][_来访][_人力资源和社会保障局]: what the drill-down's file holds. */
export function drillFileName(list: Pick<DrillList, 'period' | 'figure' | 'part' | 'row' | 'scope'>): string {
  const parts = ['案件明细', list.period.label, list.figure.label, PART_NAMES[list.part], list.row?.label ?? '', list.scope.deptCode ? list.scope.label : ''];
  return parts
    .filter((p) => p !== '')
    .join('_')
    .replace(/[\\/:*?"<>|\s]+/g, '-');
}

export class Exports {
  private readonly newId: () => string;

  constructor(private readonly deps: ExportsDeps) {
    this.newId = deps.newId ?? (() => randomUUID());
  }

  private async store(bytes: Uint8Array, ext: string, fileName: string, contentType: string, now: Date): Promise<ExportLink> {
    const key = exportObjectKey(shanghaiDate(now), this.newId(), ext);
    await this.deps.storage.put(key, bytes, contentType);
    const url = await this.deps.storage.presignDownload({ key, fileName, contentType, expiresInSec: EXPORT_LINK_SECONDS });
    return {
      url,
      fileName,
      contentType,
      expiresInSec: EXPORT_LINK_SECONDS,
      expiresAt: new Date(now.getTime() + EXPORT_LINK_SECONDS * 1000).toISOString(),
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }

  /** GET /exports/report: the report the user may see (GET /reports), as a file. */
  async report(actor: Actor, q: ReportQuery & { format: ReportFormat }): Promise<ExportLink> {
    requireRole(actor, 'clerk', 'director', 'department');
    const report = await this.deps.report(actor, q);
    const bytes =
      q.format === 'xlsx'
        ? await reportXlsx(report)
        : q.format === 'csv'
          ? reportCsv(report)
          : (await renderReportPdf({ report, fonts: await this.deps.fonts(), organName: this.deps.organName() })).bytes;
    const now = this.deps.clock.now();
    const link = await this.store(bytes, q.format, reportFileName(report, q.format), CONTENT_TYPES[q.format], now);
    await this.deps.audit({
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'report.exported',
      data: {
        period: report.period.key,
        periodLabel: report.period.label,
        format: q.format,
        scope: report.scope.label,
        ...(report.scope.deptCode ? { deptCode: report.scope.deptCode } : {}),
        view: q.view ?? 'recomputed',
        bytes: link.bytes,
        sha256: link.sha256,
      },
    });
    return link;
  }

  /** The cases of a list, page by page, stopping with TooManyRowsError past the bound. */
  private async *rows(next: (cursor: string | undefined) => Promise<Page<CaseListRow>>): AsyncGenerator<CaseListRow> {
    let cursor: string | undefined;
    const max = this.deps.maxRows ?? MAX_EXPORT_ROWS;
    let n = 0;
    do {
      const page = await next(cursor);
      for (const c of page.items) {
        n += 1;
        if (n > max) throw new TooManyRowsError(max);
        yield c;
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
  }

  private async list(
    actor: Actor,
    list: 'search' | 'inbox' | 'report',
    title: string,
    pages: AsyncIterable<CaseListRow>,
    filters: Record<string, string>,
    extra: { fileName?: string; data?: () => Record<string, unknown> } = {},
  ) {
    const now = this.deps.clock.now();
    const { bytes, rows } = await caseListXlsx(pages, { title, labels: this.deps.labels(), at: now });
    const stamp = shanghaiDate(now);
    const link = await this.store(bytes, 'xlsx', extra.fileName ?? `${title}_${stamp}.xlsx`, CONTENT_TYPES.xlsx, now);
    await this.deps.audit({
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'cases.exported',
      data: { list, filters, rows, ...extra.data?.(), bytes: link.bytes, sha256: link.sha256 },
    });
    return { ...link, rows };
  }

  /** GET /exports/cases: 案件查询 with its words and filters, as the user sees it. */
  async cases(actor: Actor, filters: CaseListFilters): Promise<ExportLink> {
    requireRole(actor, 'clerk', 'director', 'department', 'archivist');
    const pages = this.rows((cursor) => this.deps.casesPage(actor, filters, PAGE, cursor));
    return this.list(actor, 'search', '案件查询', pages, auditableFilters(filters));
  }

  /**
   * GET /exports/report-cases: the cases behind one number of a report (the drill-down,
   * GET /reports/cases), every one of them, scoped and masked as the drill-down lists them; a case
   * the user may not open is left out (counted as `withheld` in the trail). The facts are selected
   * once; past the bound nothing is read or stored.
   */
  async reportCases(actor: Actor, q: ReportCasesSelection): Promise<ExportLink> {
    requireRole(actor, 'clerk', 'director', 'department');
    const list = await this.deps.reportCases(actor, q);
    const max = this.deps.maxRows ?? MAX_EXPORT_ROWS;
    if (list.count > max) throw new TooManyRowsError(max);
    let withheld = 0;
    const pages = this.rows(async (cursor) => {
      const offset = cursor === undefined ? 0 : Number(cursor);
      const page = await list.page(offset, PAGE);
      withheld += page.withheld;
      return { items: page.items, ...(offset + PAGE < list.count ? { cursor: String(offset + PAGE) } : {}) };
    });
    const name = drillFileName(list);
    const filters: Record<string, string> = {
      period: list.period.key,
      figure: list.figure.id,
      ...(list.part !== 'value' ? { part: list.part } : {}),
      ...(list.row ? { dimension: list.row.dimension, value: list.row.key } : {}),
      ...(list.scope.deptCode ? { deptCode: list.scope.deptCode } : {}),
    };
    return this.list(actor, 'report', '案件明细', pages, filters, {
      fileName: `${name}_${shanghaiDate(this.deps.clock.now())}.xlsx`,
      // Read once every page is written.
      data: () => ({ withheld }),
    });
  }

  /**
   * GET /exports/forms: one of the office's printed forms (信访事项登记表 / 来访登记表, 交办单 /
   * 转办单, 送达回证) for each case named, in one PDF, each from a new page; each case read as the
   * user may open it (a department's copy masked; a case it may not see is a 404 and nothing is
   * made). Recorded as forms.printed in the office trail, with the case numbers.
   */
  async forms(actor: Actor, q: { form: OfficeFormKind; caseNos: string[] }): Promise<ExportLink> {
    requireRole(actor, 'clerk', 'director', 'department');
    const caseNos = [...new Set(q.caseNos)];
    const [names, ...views] = await Promise.all([this.deps.peopleNames(), ...caseNos.map((caseNo) => this.deps.caseView(actor, caseNo))]);
    const l = this.deps.labels();
    const labels: FormLabels = {
      organ: this.deps.organName(),
      category: (code, sub) => {
        const c = l.categories.find((x) => x.code === code);
        const s = sub ? c?.subcategories?.find((x) => x.code === sub) : undefined;
        return `${c?.name ?? code}${sub ? ` / ${s?.name ?? sub}` : ''}`;
      },
      department: (code) => l.departments.find((d) => d.code === code)?.name ?? code,
      locality: (code) => l.localities?.find((x) => x.code === code)?.name ?? code,
      person: (username) => names.get(username) ?? username,
    };
    const forms = views.map((v) => officeForm(q.form, v, labels, v.documents));
    const now = this.deps.clock.now();
    const { bytes, pages } = await renderOfficeForms(forms, await this.deps.fonts(), { date: shanghaiDate(now) });
    const title = caseNos.length === 1 ? `${forms[0]?.title ?? OFFICE_FORM_LABELS[q.form]}_${caseNos[0]}` : `${OFFICE_FORM_LABELS[q.form]}_${caseNos.length}件`;
    const link = await this.store(bytes, 'pdf', `${title}_${shanghaiDate(now)}.pdf`, CONTENT_TYPES.pdf, now);
    await this.deps.audit({
      at: now.toISOString(),
      actor: auditActor(actor),
      type: 'forms.printed',
      data: { form: q.form, caseNos, pages, bytes: link.bytes, sha256: link.sha256 },
    });
    return link;
  }

  /** GET /exports/inbox: the department's 待办案件. */
  async inbox(actor: Actor): Promise<ExportLink> {
    requireRole(actor, 'department');
    const pages = this.rows((cursor) => this.deps.inboxPage(actor, PAGE, cursor));
    return this.list(actor, 'inbox', '待办案件', pages, {});
  }
}

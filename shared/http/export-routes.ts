/**
 * The exports' HTTP routes (DESIGN §8, issue 13; docs/exports.md), part of the route table
 * (routes.ts spreads them in), served by the `exports` function: a report as XLSX or CSV, and the
 * case lists (案件查询, 待办案件, a report's drill-down) as XLSX, and the office's printed forms as PDF. Each answers a short-lived presigned link to the file in
 * the documents bucket, never the file itself (no large Lambda payload).
 */
import { z } from 'zod';
import { REPORT_FORMATS } from '../app/exports';
import { OFFICE_FORMS } from '../domain/office-forms';
import { ReportCasesQuerySchema, ReportQuerySchema } from './report-routes';
import { route } from './route';
import { CaseExportQuerySchema } from './schemas';

export const ReportExportQuerySchema = ReportQuerySchema.extend({
  /** `xlsx` (a sheet per breakdown), `csv` (one table of every figure), `pdf` (the 信访工作统计分析: sentences and charts in the letters' layout). */
  format: z.enum(REPORT_FORMATS),
});

/** The drill-down's query (GET /reports/cases) without its paging: the export holds every case behind the number. */
export const ReportCasesExportQuerySchema = ReportCasesQuerySchema.omit({ limit: true, cursor: true });

/** The most cases one print of forms holds. */
export const MAX_FORM_CASES = 50;

/** GET /exports/forms: which form, for which cases (`caseNos`: case numbers separated by commas). */
export const FormsExportQuerySchema = z.object({
  form: z.enum(OFFICE_FORMS),
  caseNos: z
    .string()
    .max(MAX_FORM_CASES * 41)
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c.length > 0),
    )
    .pipe(z.array(z.string().min(3).max(40)).min(1).max(MAX_FORM_CASES)),
});

/** Where to fetch an export, until when, and what it is. */
export const ExportLinkResponse = z.object({
  url: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  /** The link stops working after this many seconds (at expiresAt). */
  expiresInSec: z.number().int(),
  expiresAt: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** A list: how many cases it holds. */
  rows: z.number().int().optional(),
});

export const EXPORT_ROUTES = [
  route({
    id: 'exportReport',
    method: 'GET',
    path: '/exports/report',
    function: 'exports',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      "The report of GET /reports as a file (xlsx: 说明, 总体, a sheet per breakdown, 热点问题; csv: every figure in one table; pdf: the 信访工作统计分析 with its sentences and charts in the letters' official layout), as a presigned link valid for 5 minutes; recorded in the office trail (report.exported)",
    tag: 'reports',
    query: ReportExportQuerySchema,
    responses: { 200: ExportLinkResponse },
  }),
  route({
    id: 'exportCases',
    method: 'GET',
    path: '/exports/cases',
    function: 'exports',
    auth: true,
    roles: ['clerk', 'director', 'department', 'archivist'],
    summary:
      '案件查询 as XLSX: the cases GET /cases finds with the same words and filters, every page, masked as the list masks them; at most 5,000 (409 asks to narrow the filter); a presigned link; recorded in the office trail (cases.exported)',
    tag: 'cases',
    query: CaseExportQuerySchema,
    responses: { 200: ExportLinkResponse },
  }),
  route({
    id: 'exportReportCases',
    method: 'GET',
    path: '/exports/report-cases',
    function: 'exports',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      'The cases behind one number of a report (GET /reports/cases with the same query, without limit and cursor) as XLSX: every case the figure counted, scoped as the report (a department its own), masked as the list masks them, a case the user may not open left out; at most 5,000 (409); a presigned link; recorded in the office trail (cases.exported)',
    tag: 'reports',
    query: ReportCasesExportQuerySchema,
    responses: { 200: ExportLinkResponse },
  }),
  route({
    id: 'exportForms',
    method: 'GET',
    path: '/exports/forms',
    function: 'exports',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      "The office's printed forms of chosen cases as one PDF (form: registration 信访事项登记表 / 来访登记表, assignment 交办单 / 转办单, service-receipt 送达回证; caseNos: up to 50, comma-separated), each case as the user may open it (a department's copy masked; a case it may not see is a 404); a presigned link; recorded in the office trail (forms.printed)",
    tag: 'cases',
    query: FormsExportQuerySchema,
    namesCases: true,
    responses: { 200: ExportLinkResponse },
  }),
  route({
    id: 'exportInbox',
    method: 'GET',
    path: '/exports/inbox',
    function: 'exports',
    auth: true,
    roles: ['department'],
    summary: "The department's 待办案件 (GET /inbox) as XLSX, every page (at most 5,000); a presigned link; recorded in the office trail (cases.exported)",
    tag: 'cases',
    responses: { 200: ExportLinkResponse },
  }),
] as const;

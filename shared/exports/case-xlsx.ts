/**
 * A list of cases as XLSX (issue 13; docs/exports.md): 案件查询 (GET /cases with its words and
 * filters), 待办案件 (the department's inbox), a report's drill-down. The rows are the list's own
 * summaries, so personal data is masked exactly as the user sees it in the list (ID, phone and
 * address numbers always masked in lists). Streamed: each case is written as it arrives from the
 * list's pages, and an error from the source (too many rows) stops the workbook. Pure.
 */
import type { Writable } from 'node:stream';
import { CHANNEL_LABELS, ITEM_TYPE_LABELS, type ChannelType, type ItemType } from '../domain/taxonomy';
import { addRow, collectWorkbook, FMT_INTEGER, sheetWithHeader, workbookTo } from './xlsx';

/** What a list shows of a case (shared/app/views.ts CaseSummary has these fields). */
export interface CaseListRow {
  caseNo: string;
  subject: string;
  statusLabel: string;
  itemType: ItemType;
  category: string;
  channel: ChannelType;
  receivedOn: string;
  persons: number;
  collective: boolean;
  firstTime: boolean;
  petitioners: readonly { name: string; phone?: string | undefined }[];
  deptCode?: string | undefined;
  statutory?: { label: string; due: string; daysLeft?: number | undefined; paused: boolean } | undefined;
  department?: { due: string; daysLeft?: number | undefined } | undefined;
}

export interface CaseListMeta {
  /** The sheet's name: 案件查询, 待办案件, … */
  title: string;
  /** The names of the office's codes. */
  labels: { categories: readonly { code: string; name: string }[]; departments: readonly { code: string; name: string }[] };
  /** When it was exported (the workbook's date). */
  at: Date;
}

export const CASE_LIST_HEADER = [
  '案件编号',
  '标题',
  '信访人',
  '联系电话（脱敏）',
  '人数',
  '信访形式',
  '事项类型',
  '内容分类',
  '集体访',
  '初信初访',
  '状态',
  '承办单位',
  '收到日期',
  '法定期限',
  '期限类型',
  '剩余天数',
  '承办单位期限',
  '承办单位剩余天数',
] as const;

const WIDTHS = [16, 36, 16, 16, 6, 10, 10, 14, 7, 9, 10, 18, 11, 11, 14, 9, 12, 14];

function nameOf(list: readonly { code: string; name: string }[], code: string | undefined): string {
  if (!code) return '';
  return list.find((x) => x.code === code)?.name ?? code;
}

export function caseListCells(c: CaseListRow, labels: CaseListMeta['labels']): (string | number | null)[] {
  const names = c.petitioners.map((p) => p.name).join('、');
  const phones = c.petitioners
    .map((p) => p.phone)
    .filter((p): p is string => p !== undefined && p !== '')
    .join('、');
  return [
    c.caseNo,
    c.subject,
    names,
    phones,
    c.persons,
    CHANNEL_LABELS[c.channel] ?? c.channel,
    ITEM_TYPE_LABELS[c.itemType] ?? c.itemType,
    nameOf(labels.categories, c.category),
    c.collective ? '是' : '否',
    c.firstTime ? '是' : '否',
    c.statusLabel,
    nameOf(labels.departments, c.deptCode),
    c.receivedOn,
    c.statutory?.due ?? '',
    c.statutory ? `${c.statutory.label}${c.statutory.paused ? '（暂停计时）' : ''}` : '',
    c.statutory?.daysLeft ?? null,
    c.department?.due ?? '',
    c.department?.daysLeft ?? null,
  ];
}

/** Writes the cases of `rows` as they come; resolves with how many were written. */
export async function writeCaseListXlsx(rows: AsyncIterable<CaseListRow>, stream: Writable, meta: CaseListMeta): Promise<number> {
  const wb = workbookTo(stream, { title: meta.title, created: meta.at });
  const ws = sheetWithHeader(
    wb,
    meta.title,
    CASE_LIST_HEADER.map((header, i) => ({
      header,
      width: WIDTHS[i] ?? 10,
      ...(header === '人数' || header.endsWith('剩余天数') ? { numFmt: FMT_INTEGER } : {}),
    })),
  );
  let n = 0;
  for await (const c of rows) {
    addRow(ws, caseListCells(c, meta.labels));
    n += 1;
  }
  ws.commit();
  await wb.commit();
  return n;
}

/** The workbook's bytes and its row count. */
export async function caseListXlsx(rows: AsyncIterable<CaseListRow>, meta: CaseListMeta): Promise<{ bytes: Uint8Array; rows: number }> {
  let count = 0;
  const bytes = await collectWorkbook(async (stream) => {
    count = await writeCaseListXlsx(rows, stream, meta);
  });
  return { bytes, rows: count };
}

/**
 * What every workbook of the registry shares (docs/exports.md): exceljs's streaming writer (rows are
 * written and committed one at a time, so a long list never sits in memory as cells), the number
 * formats, and a writer that collects the bytes. Pure: no clock (the workbook's dates are given).
 */
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** Counts: whole numbers. */
export const FMT_INTEGER = '0';
/** Rates, shares: 12.34% (the cell holds the fraction, 0.1234). */
export const FMT_PERCENT = '0.00%';
/** A change in per cent, signed: +3.90% / -1.96%. */
export const FMT_PERCENT_CHANGE = '+0.00%;-0.00%;0.00%';
/** A change of a rate, in points, signed. */
export const FMT_POINTS_CHANGE = '+0.00"个百分点";-0.00"个百分点";0.00"个百分点"';
/** Days, to 0.01. */
export const FMT_DAYS = '0.00';

export type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;
export type Sheet = ExcelJS.Worksheet;

export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };

/** A streaming workbook writing to `stream`; `created` is the day it is as of (no clock here). */
export function workbookTo(stream: Writable, meta: { title: string; created: Date }): Workbook {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = '信访事项登记系统';
  wb.title = meta.title;
  wb.created = meta.created;
  wb.modified = meta.created;
  return wb;
}

export interface Column {
  header: string;
  width: number;
  /** The number format of the column's values. */
  numFmt?: string;
}

/** A sheet with a bold, frozen, filterable header row. Sheet names: at most 31 characters, none of []:*?/\. */
export function sheetWithHeader(wb: Workbook, name: string, columns: readonly Column[]): Sheet {
  const safe = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
  const ws = wb.addWorksheet(safe, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.getRow(1);
  header.font = HEADER_FONT;
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle', wrapText: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  header.commit();
  return ws;
}

/** Adds a row and writes it out at once; `formats` sets a cell's number format by column (1-based). */
export function addRow(ws: Sheet, values: readonly (string | number | null | undefined)[], formats: Record<number, string> = {}): void {
  const row = ws.addRow(values.map((v) => (v === null ? undefined : v)));
  for (const [col, fmt] of Object.entries(formats)) row.getCell(Number(col)).numFmt = fmt;
  row.commit();
}

/** Runs `write` against a workbook streamed into memory and returns the bytes. */
export async function collectWorkbook(write: (stream: Writable) => Promise<void>): Promise<Uint8Array> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  try {
    await write(stream);
  } catch (error) {
    // Nothing half-written leaves here: the bytes so far are dropped.
    stream.destroy();
    throw error;
  }
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * CSV as Excel and LibreOffice read Chinese text (docs/exports.md): UTF-8 with a byte-order mark,
 * CRLF line ends, RFC 4180 quoting. A text cell that a spreadsheet would take for a formula
 * (=, +, -, @, tab, CR first) is prefixed with an apostrophe (OWASP "CSV injection"); numbers are
 * written as numbers. Pure.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The bytes of a CSV file: BOM, header, rows. */
export function csvBytes(header: readonly string[], rows: Iterable<readonly (string | number | null | undefined)[]>): Uint8Array {
  let out = `\uFEFF${csvLine(header)}`;
  for (const r of rows) out += csvLine(r);
  return new TextEncoder().encode(out);
}

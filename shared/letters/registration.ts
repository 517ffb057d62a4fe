/**
 * The registration form and contents list of an archived case (归档登记表 / 卷内目录) as PDF, laid
 * out by table-layout.ts in the letters' font. Pure: form data → bytes; the content comes from
 * shared/domain/archive.ts.
 *
 * Layout: A4; page 1 the registration form, a two-column table (item | value); from page 2 the
 * contents list, a table of 序号 · 题名 · 日期 · 页数 · SHA-256 (the full hash, on two lines),
 * its header repeated on every page; every page has a footer with the archive number and
 * `第n页 共N页`.
 */
import { ValidationError } from '../domain/errors';
import type { RegistrationForm } from '../domain/archive';
import type { LetterFonts } from './fonts';
import { FORM_SIZE, HASH_SIZE, LIST_SIZE, MM, Pages, writeTablePdf, type Column, type RenderedTables } from './table-layout';

export type RenderedRegistration = RenderedTables;

const FORM_COLUMNS: Column[] = [
  { width: 36 * MM, size: FORM_SIZE, align: 'centre' },
  { width: 124 * MM, size: FORM_SIZE },
];

const LIST_COLUMNS: Column[] = [
  { width: 11 * MM, size: LIST_SIZE, align: 'centre' },
  { width: 66 * MM, size: LIST_SIZE },
  { width: 22 * MM, size: LIST_SIZE, align: 'centre' },
  { width: 11 * MM, size: LIST_SIZE, align: 'centre' },
  // 32 hex digits at 7 pt are 44 mm: the hash fits on exactly two lines.
  { width: 50 * MM, size: HASH_SIZE },
];

/** Characters the fonts cannot draw, by form field: refused rather than printed as empty boxes. */
function checkGlyphs(form: RegistrationForm, fonts: LetterFonts): void {
  const texts: [string, string][] = [
    ['organ', form.organ],
    ...form.rows.map(([k, v], i): [string, string] => [`rows.${i}`, `${k}${v}`]),
    ...form.contents.map((c, i): [string, string] => [`contents.${i}.title`, c.title]),
  ];
  const issues = texts.flatMap(([field, text]) => {
    const missing = [...new Set([...text].filter((ch) => !/\s/u.test(ch) && fonts.regular.glyphId(ch.codePointAt(0) as number) === 0))];
    return missing.length > 0 ? [{ field, reason: `the font has no glyph for ${missing.join(' ')}` }] : [];
  });
  if (issues.length > 0) throw new ValidationError(issues, `${issues[0]?.field}: ${issues[0]?.reason}`);
}

export async function renderRegistrationForm(form: RegistrationForm, fonts: LetterFonts, options: { date: string }): Promise<RenderedRegistration> {
  checkGlyphs(form, fonts);
  const layout = new Pages(fonts);
  layout.newPage();
  layout.title('归档登记表', [form.organ, `档号：${form.archiveNo}`]);
  layout.table(
    FORM_COLUMNS,
    form.rows.map(([k, v]) => [k, v]),
  );
  layout.newPage();
  layout.title('卷内目录', [form.organ, `档号：${form.archiveNo}`]);
  layout.table(
    LIST_COLUMNS,
    form.contents.map((c) => [String(c.seq), c.title, c.date, c.pages, `${c.sha256.slice(0, 32)}\n${c.sha256.slice(32)}`]),
    ['序号', '题名', '日期', '页数', 'SHA-256'],
  );
  layout.footer((n, total) => `档号：${form.archiveNo}\u3000第${n}页 共${total}页`);

  return writeTablePdf(layout.pages, fonts, {
    title: `归档登记表 ${form.archiveNo}`,
    author: form.organ,
    subject: `档号 ${form.archiveNo}`,
    producer: 'Xinfang Registry archive (pdf-lib)',
    date: options.date,
  });
}

/** A registration-form renderer over fonts loaded on first use: what the archive run is given. */
export type RegistrationRenderer = (form: RegistrationForm, options: { date: string }) => Promise<RenderedRegistration>;

export function registrationRenderer(fonts: () => Promise<LetterFonts>): RegistrationRenderer {
  return async (form, options) => renderRegistrationForm(form, await fonts(), options);
}

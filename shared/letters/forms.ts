/**
 * The office's printed forms (shared/domain/office-forms.ts: 信访事项登记表 / 来访登记表, 交办单 /
 * 转办单, 送达回证) as one PDF: each form starts a page, its title centred, the organ and the case
 * number under it, a two-column table, the signature lines, and `案件编号 … 第n页 共N页` on each of
 * its pages. Pure: forms → bytes, the same bytes for the same forms and date.
 */
import { ValidationError } from '../domain/errors';
import type { OfficeForm } from '../domain/office-forms';
import type { LetterFonts } from './fonts';
import { FORM_SIZE, MM, Pages, writeTablePdf, type Column, type RenderedTables } from './table-layout';

const COLUMNS: Column[] = [
  { width: 40 * MM, size: FORM_SIZE, align: 'centre' },
  { width: 120 * MM, size: FORM_SIZE },
];

/** Characters the fonts cannot draw, by form and row: refused rather than printed as empty boxes. */
function checkGlyphs(forms: readonly OfficeForm[], fonts: LetterFonts): void {
  const issues = forms.flatMap((f, i) =>
    [f.title, f.organ, ...f.rows.map(([k, v]) => `${k}${v}`), ...f.signatures].flatMap((text) => {
      const missing = [...new Set([...text].filter((ch) => !/\s/u.test(ch) && fonts.regular.glyphId(ch.codePointAt(0) as number) === 0))];
      return missing.length > 0 ? [{ field: `forms.${i}`, reason: `${f.caseNo}: the font has no glyph for ${missing.join(' ')}` }] : [];
    }),
  );
  if (issues.length > 0) throw new ValidationError(issues, `${issues[0]?.field}: ${issues[0]?.reason}`);
}

export async function renderOfficeForms(forms: readonly OfficeForm[], fonts: LetterFonts, options: { date: string }): Promise<RenderedTables> {
  if (forms.length === 0) throw new Error('renderOfficeForms: no form');
  checkGlyphs(forms, fonts);
  const layout = new Pages(fonts);
  for (const form of forms) {
    const first = layout.pages.length;
    layout.newPage();
    layout.title(form.title, [form.organ, `案件编号：${form.caseNo}`]);
    layout.table(COLUMNS, form.rows);
    if (form.signatures.length > 0) layout.lines(form.signatures);
    layout.footer((n, total) => `${form.title}\u3000案件编号：${form.caseNo}\u3000第${n}页 共${total}页`, first);
  }
  const one = forms.length === 1 ? forms[0] : undefined;
  return writeTablePdf(layout.pages, fonts, {
    title: one ? `${one.title} ${one.caseNo}` : `${forms[0]?.title ?? ''}等${forms.length}份`,
    author: forms[0]?.organ ?? '',
    subject: forms.map((f) => f.caseNo).join(' '),
    producer: 'Xinfang Registry forms (pdf-lib)',
    date: options.date,
  });
}

/** registration.pdf read back as a reader would (pdfjs-dist), with its fonts checked for blank glyphs. */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistrationForm } from '../../../shared/domain/archive';
import { countPdfPages } from '../../../shared/domain/pdf-pages';
import { loadLetterFonts, type LetterFonts } from '../../../shared/letters/fonts';
import { renderRegistrationForm } from '../../../shared/letters/registration';
import { blankCharacters, embeddedFonts, extractPageTexts, normalise } from '../letters/pdf';

let fonts: LetterFonts;
beforeAll(async () => {
  fonts = await loadLetterFonts();
}, 60_000);

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function form(documents: number): RegistrationForm {
  return {
    organ: '江川市信访局',
    archiveNo: 'X001-2026-D30-0007',
    rows: [
      ['档号', 'X001-2026-D30-0007'],
      ['保管期限', '30年'],
      ['案件编号', 'XF-2026-000123'],
      ['信访事项', '请求协调解决拖欠工资问题'],
      ['问题类别', '劳动和社会保障（含劳资纠纷）'],
    ],
    contents: Array.from({ length: documents }, (_, i) => ({
      seq: i + 1,
      title: i % 2 === 0 ? `来信扫描件：来信扫描件第${i + 1}份.pdf` : `信访处理意见书（江信处〔2026〕${i}号）`,
      date: '2026-03-02',
      pages: String((i % 3) + 1),
      sha256: sha(String(i)),
    })),
  };
}

describe('registration.pdf (归档登记表 / 卷内目录)', () => {
  it('prints the registration form and every document with its title, date, pages and full SHA-256', async () => {
    const f = form(6);
    const { bytes, pages } = await renderRegistrationForm(f, fonts, { date: '2026-05-08' });
    expect(pages).toBe(2);
    expect(countPdfPages(bytes)).toBe(2);
    const texts = (await extractPageTexts(bytes)).map(normalise);
    expect(texts[0]).toContain(normalise('归档登记表'));
    expect(texts[0]).toContain('江川市信访局');
    for (const [k, v] of f.rows) expect(texts[0]).toContain(normalise(`${k}${v}`));
    expect(texts[1]).toContain(normalise('卷内目录'));
    expect(texts[1]).toContain(normalise('序号题名日期页数SHA-256'));
    for (const c of f.contents) expect(texts[1]).toContain(normalise(`${c.seq}${c.title}${c.date}${c.pages}${c.sha256}`));
    texts.forEach((t, i) => expect(t).toContain(normalise(`档号：X001-2026-D30-0007第${i + 1}页共2页`)));
  });

  it('draws every character with a real glyph (no blank subset glyphs)', async () => {
    const f = form(3);
    const { bytes } = await renderRegistrationForm(f, fonts, { date: '2026-05-08' });
    const all = [f.organ, ...f.rows.flat(), ...f.contents.map((c) => c.title), '归档登记表卷内目录序号题名日期页数第页共'].join('');
    expect(blankCharacters(await embeddedFonts(bytes), all)).toEqual([]);
  });

  it('continues a long contents list on further pages with the header repeated', async () => {
    const f = form(60);
    const { bytes, pages } = await renderRegistrationForm(f, fonts, { date: '2026-05-08' });
    expect(pages).toBeGreaterThanOrEqual(4);
    const texts = (await extractPageTexts(bytes)).map(normalise);
    for (const t of texts.slice(1)) expect(t).toContain(normalise('序号题名日期页数SHA-256'));
    const joined = texts.join('');
    for (const c of f.contents) expect(joined).toContain(c.sha256.slice(32));
    expect(texts.at(-1)).toContain(normalise(`第${pages}页共${pages}页`));
  });

  it('is the same bytes for the same form', async () => {
    const a = await renderRegistrationForm(form(4), fonts, { date: '2026-05-08' });
    const b = await renderRegistrationForm(form(4), fonts, { date: '2026-05-08' });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });

  it('refuses a character the font cannot draw rather than printing an empty box', async () => {
    const f = form(1);
    f.contents[0] = { ...(f.contents[0] as RegistrationForm['contents'][number]), title: 'scan \u{1F600}.pdf' };
    await expect(renderRegistrationForm(f, fonts, { date: '2026-05-08' })).rejects.toThrow(/contents\.0\.title/);
  });
});

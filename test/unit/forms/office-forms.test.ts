/** The office's printed forms (issue 18 item 11): what each says, and the PDF read back as a reader would. */
import { beforeAll, describe, expect, it } from 'vitest';
import { countPdfPages } from '../../../shared/domain/pdf-pages';
import { officeForm, type FormLabels } from '../../../shared/domain/office-forms';
import { loadLetterFonts, type LetterFonts } from '../../../shared/letters/fonts';
import { renderOfficeForms } from '../../../shared/letters/forms';
import { clerk, director, registered, run } from '../lifecycle/fixtures';
import { blankCharacters, embeddedFonts, extractPageTexts, normalise } from '../letters/pdf';

let fonts: LetterFonts;
beforeAll(async () => {
  fonts = await loadLetterFonts();
}, 60_000);

const labels: FormLabels = {
  organ: '江川市信访局',
  category: (code, sub) => (({ labour: '劳动社保' })[code] ?? code) + (sub ? ` / ${sub}` : ''),
  department: (code) => ({ HRSS: '江川市人力资源和社会保障局' })[code] ?? code,
  locality: (code) => code,
  person: (u) => ({ clerk1: '王芳' })[u] ?? u,
};

const row = (rows: [string, string][], label: string) => rows.find(([k]) => k === label)?.[1];

describe('信访事项登记表 / 来访登记表', () => {
  it('prints the registration as recorded: petitioners with their numbers, the matter, who registered it', () => {
    const f = officeForm('registration', registered(), labels);
    expect(f.title).toBe('信访事项登记表');
    expect(row(f.rows, '信访人')).toBe('张建华，身份证号码 11010519491231002X，电话 13812345678，住址 江川市城南区建设路12号');
    expect(row(f.rows, '收到日期')).toBe('2026年3月2日');
    expect(row(f.rows, '问题类别')).toBe('劳动社保');
    expect(row(f.rows, '登记人')).toBe('王芳');
    expect(row(f.rows, '法定途径情况')).toBe('未反映已进入其他法定途径');
  });

  it('is the 来访登记表 of a visit, dated by the visit, signed by the receiver and the visitor', () => {
    const f = officeForm('registration', registered({ channel: { type: 'visit' }, persons: 6, representatives: ['张建华'] }), labels);
    expect(f.title).toBe('来访登记表');
    expect(row(f.rows, '来访日期')).toBe('2026年3月2日');
    expect(row(f.rows, '人数')).toBe('6人');
    expect(f.signatures.join('')).toContain('来访人（签名）');
  });
});

describe('交办单', () => {
  it("names the department, the director's comment and the statutory deadline", () => {
    const c = run(registered(), [
      ['propose', clerk, '2026-03-03', { action: 'accept', deptCode: 'HRSS', reason: '属人社部门职责' }],
      ['approve-proposal', director, '2026-03-03', { comment: '请人社局依法处理，按期答复。' }],
    ]);
    const f = officeForm('assignment', c, labels);
    expect(f.title).toBe('交办单');
    expect(row(f.rows, '承办单位')).toBe('江川市人力资源和社会保障局');
    expect(row(f.rows, '批办意见')).toBe('请人社局依法处理，按期答复。');
    expect(row(f.rows, '办理期限')).toMatch(/^2026年\d+月\d+日前办结/);
    expect(f.signatures.join('')).toContain('签收人');
  });
});

describe('送达回证', () => {
  it("lists the letters served on the petitioner with their numbers, not the receipt or a department's 督办单", () => {
    const f = officeForm('service-receipt', registered(), labels, [
      { letterKind: 'receipt', createdAt: '2026-03-02T02:00:00Z' },
      { letterKind: 'acceptance-notice', documentNo: '江信受〔2026〕3号', createdAt: '2026-03-03T02:00:00Z' },
      { letterKind: 'supervision-notice', documentNo: '江信督〔2026〕1号', createdAt: '2026-04-03T02:00:00Z' },
    ]);
    expect(row(f.rows, '送达文书名称及文号')).toBe('受理告知书（江信受〔2026〕3号）\u30002026年3月3日');
    expect(row(f.rows, '受送达人')).toBe('张建华');
    expect(row(f.rows, '送达地点')).toBe('江川市城南区建设路12号');
  });
});

describe('the forms as PDF', () => {
  it('sets each form from a new page, every row readable, numbered per form, with real glyphs', async () => {
    const a = officeForm('registration', registered(), labels);
    const b = officeForm('registration', { ...registered({ channel: { type: 'visit' } }), caseNo: 'XF-2026-000002' }, labels);
    const { bytes, pages } = await renderOfficeForms([a, b], fonts, { date: '2026-03-04' });
    expect(pages).toBe(2);
    expect(countPdfPages(bytes)).toBe(2);
    const texts = (await extractPageTexts(bytes)).map(normalise);
    expect(texts[0]).toContain(normalise('信访事项登记表'));
    expect(texts[1]).toContain(normalise('来访登记表'));
    for (const [k, v] of a.rows) expect(texts[0]).toContain(normalise(`${k}${v}`));
    expect(texts[0]).toContain(normalise('案件编号：XF-2026-000001第1页共1页'));
    expect(texts[1]).toContain(normalise('案件编号：XF-2026-000002第1页共1页'));
    const all = [...a.rows.flat(), ...a.signatures, a.title, a.organ].join('');
    expect(blankCharacters(await embeddedFonts(bytes), all)).toEqual([]);
    const again = await renderOfficeForms([a, b], fonts, { date: '2026-03-04' });
    expect(Buffer.from(again.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a character the font cannot draw', async () => {
    const f = { ...officeForm('registration', registered(), labels), title: '登记表 \u{1F600}' };
    await expect(renderOfficeForms([f], fonts, { date: '2026-03-04' })).rejects.toThrow(/no glyph/);
  });
});

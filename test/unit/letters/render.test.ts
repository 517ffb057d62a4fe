/**
 * Every letter type rendered for the demo case and read back with pdfjs-dist: the full text
 * must come back exactly (compared with all whitespace removed, see pdf.ts `normalise`), each
 * character must have a real outline in the embedded font subset, and the form must hold
 * (heading on page 1 only, page numbers and the footer with case number and hash on every page).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_LETTER_DATA,
  DEMO_OFFICE_CONFIG,
  LETTER_TYPES,
  buildLetterContent,
  demoLongFacts,
  letterContentHash,
  loadLetterFonts,
  renderLetter,
  type LetterContent,
  type LetterFonts,
  type LetterType,
} from '../../../shared/letters';
import { ValidationError } from '../../../shared/domain/errors';
import { blankCharacters, embeddedFonts, extractPageTexts, normalise, shownCids, glyphHasOutline } from './pdf';

/** What each demo letter must say, written out in full. */
const EXPECTED: Record<LetterType, { documentNo: string | null; recipient: string; date: string; body: string[] }> = {
  receipt: {
    documentNo: null,
    recipient: '张秀兰',
    date: '二〇二六年九月十五日',
    body: [
      '你于2026年9月15日以走访形式提出的反映清河小区物业服务企业擅自提高物业服务费标准的信访事项，本机关已收到并登记。案件编号为XF-2026-000123，查询码为K7M2Q9PA。',
      '本机关将依照《信访工作条例》的规定办理，并及时告知你处理情况。',
      '你可以登录https://xf.jiangchuan.example，或者拨打电话0871-12345，凭案件编号和查询码查询办理进展。查询码是查询的凭据，请妥善保管，不要告知他人。',
    ],
  },
  'acceptance-notice': {
    documentNo: '江信受〔2026〕86号',
    recipient: '张秀兰',
    date: '二〇二六年九月二十二日',
    body: [
      '你于2026年9月15日提出的反映清河小区物业服务企业擅自提高物业服务费标准的信访事项（案件编号：XF-2026-000123），本机关已收悉。经审查，该事项属于本机关职责范围，符合受理条件，本机关于2026年9月22日决定予以受理。',
      '本机关将依照《信访工作条例》第三十四条的规定办理，并于2026年11月23日前向你出具书面答复意见；情况复杂需要延长办理期限的，将另行书面告知你延期理由。',
      '你可以登录https://xf.jiangchuan.example，或者拨打电话0871-12345，凭案件编号和查询码K7M2Q9PA查询办理进展。',
      '特此告知。',
    ],
  },
  'non-acceptance-notice': {
    documentNo: '江信不受〔2026〕17号',
    recipient: '李建国',
    date: '二〇二六年九月二十四日',
    body: [
      '你于2026年9月16日提出的反映江川市宏达建筑劳务有限公司拖欠劳动报酬的信访事项（案件编号：XF-2026-000131），本机关已收悉。',
      '经审查，你与江川市宏达建筑劳务有限公司之间因拖欠劳动报酬产生的争议属于劳动争议。该事项依法应当通过仲裁途径解决。根据《信访工作条例》第三十一条的规定，本机关不将其作为信访事项受理。',
      '请你依照有关法律法规的规定，向江川市劳动人事争议仲裁委员会申请仲裁。',
      '特此告知。',
    ],
  },
  'transfer-notice': {
    documentNo: '江信转〔2026〕42号',
    recipient: '王志强',
    date: '二〇二六年九月二十五日',
    body: [
      '你于2026年9月18日提出的反映江川县石门镇农村公路路面破损的信访事项（案件编号：XF-2026-000135），本机关已收悉。',
      '经审查，该事项依法应当由江川县人民政府处理。根据《信访工作条例》第二十二条的规定，本机关已于2026年9月25日将该事项转送江川县人民政府办理，请你与其联系，了解办理情况。',
      '特此告知。',
    ],
  },
  'extension-notice': {
    documentNo: '江信延〔2026〕9号',
    recipient: '张秀兰',
    date: '二〇二六年十一月十六日',
    body: [
      '你于2026年9月15日提出的反映清河小区物业服务企业擅自提高物业服务费标准的信访事项（案件编号：XF-2026-000123），本机关已于2026年9月22日受理，原定办理期限至2026年11月23日。',
      '因需要调取该小区近三年的物业服务收费台账并委托第三方机构进行审计，该事项不能在原定期限内办结。根据《信访工作条例》第三十四条的规定，经本机关负责人批准，办理期限延长至2026年12月21日。本机关将在延长的期限内办结，并书面答复你。',
      '特此告知。',
    ],
  },
  'handling-opinion': {
    documentNo: '江信处〔2026〕12号',
    recipient: '张秀兰',
    date: '二〇二六年十一月二十一日',
    body: [
      '你于2026年9月15日提出的反映清河小区物业服务企业擅自提高物业服务费标准的信访事项（案件编号：XF-2026-000123），本机关已于2026年9月22日受理。经调查核实，现提出处理意见如下。',
      '投诉请求：请求责令江川市安居物业服务有限公司停止执行自2026年7月起上调的物业服务费标准，并退还多收取的费用。',
      '事实和理由：经查，清河小区由江川市安居物业服务有限公司提供物业服务，物业服务合同约定住宅物业服务费为每月每平方米1.20元。2026年6月，该公司未经业主大会决定，也未与业主委员会协商一致，张贴通知自2026年7月起将收费标准上调至每月每平方米1.60元。江川市住房和城乡建设局于2026年10月12日组织现场核查，调取了物业服务合同、收费公示和缴费记录，确认上述情况属实。',
      '处理意见：责成江川市安居物业服务有限公司自本意见书送达之日起停止执行上调后的收费标准，恢复按合同约定的标准收费，并于2026年12月31日前退还2026年7月以来多收取的费用或抵扣此后的物业服务费。江川市住房和城乡建设局负责督促落实。',
      '依据《物业管理条例》第四十一条、《东州省物业管理条例》第五十二条和《信访工作条例》第三十二条的规定，本机关对你的投诉请求予以支持。',
      '如对本处理意见不服，可以自收到本意见书之日起30日内，向江川市人民政府书面提出复查请求。',
    ],
  },
  'review-opinion': {
    documentNo: '江信复〔2026〕5号',
    recipient: '陈玉梅',
    date: '二〇二六年十月三十日',
    body: [
      '你不服江川市清河区人民政府作出的《信访处理意见书》（清政信处〔2026〕31号），于2026年10月8日向本机关提出复查请求（案件编号：XF-2026-000088）。本机关依照《信访工作条例》第三十五条的规定进行了复查，现提出复查意见如下。',
      '复查请求：请求按照2026年评估时点的市场价格重新核定房屋征收补偿金额。',
      '事实和理由：经复查，清河区人民政府于2026年3月依法作出房屋征收决定，评估机构由被征收人协商选定，评估时点为征收决定公告之日，评估结果已送达你本人。你在法定期限内未申请复核评估。原处理意见认定事实清楚，适用依据正确。',
      '复查意见：维持江川市清河区人民政府作出的信访处理意见。',
      '依据《国有土地上房屋征收与补偿条例》第十九条、第二十条和《信访工作条例》第三十二条、第三十五条的规定，本机关对你的复查请求不予支持。',
      '如对本复查意见不服，可以自收到本意见书之日起30日内，向东州省人民政府书面提出复核请求。',
    ],
  },
  'rereview-opinion': {
    documentNo: '江信复核〔2026〕2号',
    recipient: '刘德明',
    date: '二〇二六年八月十四日',
    body: [
      '你不服江川县人民政府作出的《复查意见书》（江县信复〔2026〕7号），于2026年7月20日向本机关提出复核请求（案件编号：XF-2026-000041）。本机关依照《信访工作条例》第三十六条的规定进行了复核，现提出复核意见如下。',
      '复核请求：请求恢复本户在2019年土地调整前承包的两亩耕地。',
      '事实和理由：经复核，河口乡2019年的土地调整经村民会议三分之二以上成员同意，并报乡人民政府和县农业农村主管部门批准，程序合法。你家庭现承包耕地面积与调整方案一致，已领取土地承包经营权证书。',
      '复核意见：维持江川县人民政府作出的复查意见。',
      '依据《中华人民共和国农村土地承包法》第二十八条和《信访工作条例》第三十二条、第三十六条的规定，本机关对你的复核请求不予支持。',
      '本复核意见为终结意见。根据《信访工作条例》第三十六条的规定，信访人对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理。',
    ],
  },
  'supervision-notice': {
    documentNo: '江信督〔2026〕23号',
    recipient: '江川市住房和城乡建设局',
    date: '二〇二六年十一月十二日',
    body: [
      '本机关于2026年9月23日交由你单位办理的反映清河小区物业服务企业擅自提高物业服务费标准的信访事项（案件编号：XF-2026-000123），办理期限为2026年11月10日。截至2026年11月12日，你单位尚未报送办理结果。',
      '根据《信访工作条例》的有关规定，现对该事项予以督办。请你单位高度重视，落实责任，抓紧办理，并于2026年11月19日前将办理情况和结果书面报送本机关。',
    ],
  },
};

const TITLES: Record<LetterType, string> = {
  receipt: '受理凭证',
  'acceptance-notice': '受理告知书',
  'non-acceptance-notice': '不予受理告知书',
  'transfer-notice': '转送告知书',
  'extension-notice': '延期办理告知书',
  'handling-opinion': '信访处理意见书',
  'review-opinion': '复查意见书',
  'rereview-opinion': '复核意见书',
  'supervision-notice': '督办单',
};

let fonts: LetterFonts;
beforeAll(async () => {
  fonts = await loadLetterFonts();
});

interface Rendered {
  content: LetterContent;
  bytes: Uint8Array;
  pages: number;
  contentHash: string;
  texts: string[];
}
const rendered = new Map<LetterType, Rendered>();
async function render(type: LetterType): Promise<Rendered> {
  const done = rendered.get(type);
  if (done) return done;
  const content = buildLetterContent(type, DEMO_LETTER_DATA[type], DEMO_OFFICE_CONFIG);
  const out = await renderLetter(content, fonts);
  const r = { content, ...out, texts: await extractPageTexts(out.bytes) };
  rendered.set(type, r);
  return r;
}

/** Each page ends with its page number and the footer; returns the page text without them. */
function withoutFurniture(page: string, n: number, caseNo: string, contentHash: string): string {
  const furniture = normalise(`— ${n} —案件编号：${caseNo}\u3000校验码：${contentHash.slice(0, 12)}`);
  const text = normalise(page);
  expect(text.endsWith(furniture), `page ${n} ends with its page number and footer`).toBe(true);
  return text.slice(0, text.length - furniture.length);
}

/** The text of all pages, page numbers and footers removed (they may fall inside a sentence). */
function bodyText(r: Rendered): string {
  return r.texts.map((t, i) => withoutFurniture(t, i + 1, r.content.caseNo, r.contentHash)).join('');
}

describe.each(LETTER_TYPES)('the %s letter', (type) => {
  it('comes back from the PDF as exactly the expected text', async () => {
    // Prepare
    const expected = EXPECTED[type];
    const caseNo = DEMO_LETTER_DATA[type].caseNo;

    // Act
    const r = await render(type);

    // Assess: heading, number, title, salutation, body, signature, date, seal text; then the page furniture
    const body = r.texts.map((t, i) => withoutFurniture(t, i + 1, caseNo, r.contentHash)).join('');
    const want = normalise(
      [
        '江川市信访局',
        expected.documentNo ?? '',
        TITLES[type],
        `${expected.recipient}：`,
        ...expected.body,
        '江川市信访局',
        expected.date,
        '江川市信访局',
      ].join(''),
    );
    expect(body).toBe(want);
    expect(r.pages).toBe(r.texts.length);
  });

  it('draws every character from the embedded font subset, none blank', async () => {
    // Prepare
    const r = await render(type);
    const fontsInPdf = await embeddedFonts(r.bytes);
    const shown = await shownCids(r.bytes);

    // Act: every character of the extracted text, and every CID the content streams show
    const blank = blankCharacters(fontsInPdf, r.texts.join(''));
    const blankShown: string[] = [];
    for (const f of fontsInPdf) {
      for (const cid of shown.get(f.resource) ?? []) {
        const uni = f.toUnicode.get(cid);
        if (uni === undefined) blankShown.push(`${f.resource}:${cid} has no Unicode`);
        else if (!/\s/u.test(uni) && !glyphHasOutline(f.program, f.cidToGid(cid))) blankShown.push(uni);
      }
    }

    // Assess: subsets (not whole 15 MB fonts), only the two weights, and no blank glyph
    expect(fontsInPdf.map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
    for (const f of fontsInPdf) {
      expect(f.baseFont).toMatch(/^[A-Z]{6}\+/);
      expect(f.programBytes).toBeLessThan(200_000);
    }
    expect(blank).toEqual([]);
    expect(blankShown).toEqual([]);
  });

  it('is under 100 KB, and the same content gives the same bytes and hash', async () => {
    const r = await render(type);
    const again = await renderLetter(r.content, fonts);
    expect(r.bytes.length).toBeLessThan(100 * 1024);
    expect(Buffer.from(again.bytes).equals(Buffer.from(r.bytes))).toBe(true);
    expect(r.contentHash).toBe(letterContentHash(r.content));
    expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the form of a letter', () => {
  it('names the review organ and the 30-day limit in the handling opinion and the document number under the heading', async () => {
    const r = await render('handling-opinion');
    const all = bodyText(r);
    expect(all.startsWith(normalise('江川市信访局江信处〔2026〕12号信访处理意见书张秀兰：'))).toBe(true);
    expect(all).toContain('可以自收到本意见书之日起30日内，向江川市人民政府书面提出复查请求');
  });

  it('says in the re-review opinion that the matter is final', async () => {
    const r = await render('rereview-opinion');
    expect(bodyText(r)).toContain('信访人对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理');
  });

  it('gives the case number and query code on the receipt and says how to query', async () => {
    const r = await render('receipt');
    const all = bodyText(r);
    expect(all).toContain('案件编号为XF-2026-000123，查询码为K7M2Q9PA');
    expect(all).toContain('https://xf.jiangchuan.example');
  });

  it('flows a long body onto three or more pages, heading on page 1 only, page number and footer on each', async () => {
    // Prepare
    const data = { ...DEMO_LETTER_DATA['handling-opinion'], opinion: { ...DEMO_LETTER_DATA['handling-opinion'].opinion, facts: demoLongFacts(14) } };
    const content = buildLetterContent('handling-opinion', data, DEMO_OFFICE_CONFIG);

    // Act
    const out = await renderLetter(content, fonts);
    const texts = await extractPageTexts(out.bytes);

    // Assess
    expect(out.pages).toBeGreaterThanOrEqual(3);
    expect(texts).toHaveLength(out.pages);
    texts.forEach((t, i) => {
      withoutFurniture(t, i + 1, content.caseNo, out.contentHash);
      expect(normalise(t).includes('江信处〔2026〕12号'), `document number on page ${i + 1}`).toBe(i === 0);
      expect(normalise(t).includes('二〇二六年十一月二十一日'), `date on page ${i + 1}`).toBe(i === texts.length - 1);
    });
    const body = texts.map((t, i) => withoutFurniture(t, i + 1, content.caseNo, out.contentHash)).join('');
    expect(body).toBe(
      normalise(
        [
          '江川市信访局',
          '江信处〔2026〕12号',
          '信访处理意见书',
          '张秀兰：',
          ...content.paragraphs,
          '江川市信访局',
          '二〇二六年十一月二十一日',
          '江川市信访局',
        ].join(''),
      ),
    );
    // the last page never holds only the signature: body text precedes the signature on it
    expect(normalise(texts[texts.length - 1] ?? '').indexOf('江川市信访局')).toBeGreaterThan(0);
  });

  it('refuses content with a character the letter font cannot draw, naming the field', async () => {
    // The letter data is refused first (buildLetterContent checks printability); the renderer
    // still refuses stored content it cannot draw.
    expect(() =>
      buildLetterContent('acceptance-notice', { ...DEMO_LETTER_DATA['acceptance-notice'], petitionerName: '张\u{1F600}' }, DEMO_OFFICE_CONFIG),
    ).toThrow(/petitionerName/);
    const content = { ...buildLetterContent('acceptance-notice', DEMO_LETTER_DATA['acceptance-notice'], DEMO_OFFICE_CONFIG), recipient: '张\u{1F600}' };
    const error = await renderLetter(content, fonts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toContain('content.recipient');
  });

  it('refuses stored content of the wrong shape', async () => {
    const content = buildLetterContent('receipt', DEMO_LETTER_DATA.receipt, DEMO_OFFICE_CONFIG);
    const error = await renderLetter({ ...content, paragraphs: [] }, fonts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.field).toBe('content.paragraphs');
  });
});

describe('the blank-glyph check itself', () => {
  it('reports a character whose glyph has no outline and one not in the font', async () => {
    // The footer uses U+3000 (ideographic space): its glyph is empty by design. With whitespace
    // not skipped the checker must flag it; a character absent from the letter is flagged too.
    const r = await render('receipt');
    const fontsInPdf = await embeddedFonts(r.bytes);
    expect(blankCharacters(fontsInPdf, '\u3000', false)).toEqual(['\u3000']);
    expect(blankCharacters(fontsInPdf, '龘')).toEqual(['龘']);
    expect(blankCharacters(fontsInPdf, '江川')).toEqual([]);
  });
});

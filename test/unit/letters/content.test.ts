import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import {
  DEFAULT_TEMPLATES,
  DEMO_LETTER_DATA,
  DEMO_OFFICE_CONFIG,
  LETTER_TITLES,
  LETTER_TYPES,
  REQUIRED_PLACEHOLDERS,
  allowedPlaceholders,
  bodyDate,
  buildLetterContent,
  canonicalJson,
  chineseDate,
  formatDocumentNumber,
  letterContentHash,
  matchesShortHash,
  parseOfficeConfig,
  templatePlaceholders,
  validateTemplate,
  validateTemplates,
  type LetterType,
} from '../../../shared/letters';

function caught(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}
const fields = (e: ValidationError) => e.issues.map((i) => i.field);
const clone = <T>(v: T): T => structuredClone(v);

const OPINION_ELEMENTS = ['request', 'facts', 'decision', 'outcome', 'legalBasis'] as const;
const OPINION_TYPES = ['handling-opinion', 'review-opinion', 'rereview-opinion'] as const;

describe('the Art. 32 content of an opinion', () => {
  describe.each(OPINION_TYPES)('%s', (type) => {
    it.each(OPINION_ELEMENTS)('is refused without opinion.%s, naming the field', (element) => {
      // Prepare
      const data = clone(DEMO_LETTER_DATA[type]) as { opinion: Record<string, unknown> };
      delete data.opinion[element];

      // Act
      const error = caught(() => buildLetterContent(type, data, DEMO_OFFICE_CONFIG));

      // Assess
      expect(error.code).toBe('VALIDATION');
      expect(fields(error)).toEqual([`opinion.${element}`]);
      expect(error.issues[0]?.reason).toBe('required');
    });

    it.each(['request', 'facts', 'decision', 'legalBasis'] as const)('is refused with a blank opinion.%s', (element) => {
      const data = clone(DEMO_LETTER_DATA[type]) as { opinion: Record<string, unknown> };
      data.opinion[element] = ' \n\u3000';
      expect(fields(caught(() => buildLetterContent(type, data, DEMO_OFFICE_CONFIG)))).toEqual([`opinion.${element}`]);
    });

    it('is refused without any opinion, and with an outcome outside support / explain / reject', () => {
      const { opinion: _omit, ...noOpinion } = clone(DEMO_LETTER_DATA[type]);
      expect(fields(caught(() => buildLetterContent(type, noOpinion, DEMO_OFFICE_CONFIG)))).toEqual(['opinion']);
      const wrong = clone(DEMO_LETTER_DATA[type]);
      (wrong.opinion as { outcome: string }).outcome = 'partly';
      const error = caught(() => buildLetterContent(type, wrong, DEMO_OFFICE_CONFIG));
      expect(fields(error)).toEqual(['opinion.outcome']);
      expect(error.issues[0]?.reason).toBe('one of support, explain, reject');
    });

    it('is refused when the legal basis names no law in 《》', () => {
      const data = clone(DEMO_LETTER_DATA[type]);
      data.opinion.legalBasis = '有关规定';
      expect(fields(caught(() => buildLetterContent(type, data, DEMO_OFFICE_CONFIG)))).toEqual(['opinion.legalBasis']);
    });

    it('reports every missing element at once', () => {
      const data = clone(DEMO_LETTER_DATA[type]);
      data.opinion = {} as never;
      expect(fields(caught(() => buildLetterContent(type, data, DEMO_OFFICE_CONFIG))).sort()).toEqual(OPINION_ELEMENTS.map((e) => `opinion.${e}`).sort());
    });
  });

  it.each([
    ['support', '予以支持'],
    ['explain', '作出解释说明'],
    ['reject', '不予支持'],
  ] as const)('words the outcome %s as %s', (outcome, words) => {
    const data = clone(DEMO_LETTER_DATA['handling-opinion']);
    data.opinion.outcome = outcome;
    const content = buildLetterContent('handling-opinion', data, DEMO_OFFICE_CONFIG);
    expect(content.paragraphs).toContain(
      `依据《物业管理条例》第四十一条、《东州省物业管理条例》第五十二条和《信访工作条例》第三十二条的规定，本机关对你的投诉请求${words}。`,
    );
  });

  it('names the review organ of the office, or the one given for the letter, with the 30-day limit', () => {
    const standard = buildLetterContent('handling-opinion', DEMO_LETTER_DATA['handling-opinion'], DEMO_OFFICE_CONFIG);
    expect(standard.paragraphs.at(-1)).toBe('如对本处理意见不服，可以自收到本意见书之日起30日内，向江川市人民政府书面提出复查请求。');
    const other = buildLetterContent(
      'handling-opinion',
      { ...DEMO_LETTER_DATA['handling-opinion'], reviewOrgan: '江川市住房和城乡建设局' },
      DEMO_OFFICE_CONFIG,
    );
    expect(other.paragraphs.at(-1)).toBe('如对本处理意见不服，可以自收到本意见书之日起30日内，向江川市住房和城乡建设局书面提出复查请求。');
  });

  it('refuses a review organ that is the issuing organ itself', () => {
    const data = { ...DEMO_LETTER_DATA['handling-opinion'], reviewOrgan: '江川市信访局' };
    expect(fields(caught(() => buildLetterContent('handling-opinion', data, DEMO_OFFICE_CONFIG)))).toEqual(['reviewOrgan']);
  });

  it('names the re-review organ in a review opinion', () => {
    const content = buildLetterContent('review-opinion', DEMO_LETTER_DATA['review-opinion'], DEMO_OFFICE_CONFIG);
    expect(content.paragraphs.at(-1)).toBe('如对本复查意见不服，可以自收到本意见书之日起30日内，向东州省人民政府书面提出复核请求。');
  });

  it('refuses a review opinion without the opinion under review', () => {
    const { original: _omit, ...data } = clone(DEMO_LETTER_DATA['review-opinion']);
    expect(fields(caught(() => buildLetterContent('review-opinion', data, DEMO_OFFICE_CONFIG)))).toEqual(['original']);
  });
});

describe('the other content rules', () => {
  it('requires the sequence number when the letter has a document number, not for the receipt', () => {
    const { seq: _omit, ...data } = DEMO_LETTER_DATA['acceptance-notice'];
    expect(fields(caught(() => buildLetterContent('acceptance-notice', data, DEMO_OFFICE_CONFIG)))).toEqual(['seq']);
    expect(buildLetterContent('receipt', DEMO_LETTER_DATA.receipt, DEMO_OFFICE_CONFIG).documentNo).toBeNull();
  });

  it('limits an extension to 30 days after the original due date (Art. 34), plus at most a holiday roll', () => {
    const base = DEMO_LETTER_DATA['extension-notice'];
    // Original due 2026-11-23: 30 days is 12-23; a last day on a holiday may move on by up to 10 days (01-02), not more.
    expect(fields(caught(() => buildLetterContent('extension-notice', { ...base, newDue: '2027-01-03' }, DEMO_OFFICE_CONFIG)))).toEqual(['newDue']);
    expect(buildLetterContent('extension-notice', { ...base, newDue: '2027-01-02' }, DEMO_OFFICE_CONFIG).paragraphs[1]).toContain('2027年1月2日');
    expect(fields(caught(() => buildLetterContent('extension-notice', { ...base, newDue: '2026-11-20' }, DEMO_OFFICE_CONFIG)))).toEqual(['newDue']);
    expect(buildLetterContent('extension-notice', { ...base, newDue: '2026-12-23' }, DEMO_OFFICE_CONFIG).paragraphs[1]).toContain(
      '办理期限延长至2026年12月23日',
    );
  });

  it('refuses dates that do not exist or come before the petition was received', () => {
    const base = DEMO_LETTER_DATA['acceptance-notice'];
    expect(fields(caught(() => buildLetterContent('acceptance-notice', { ...base, handlingDue: '2026-11-31' }, DEMO_OFFICE_CONFIG)))).toEqual(['handlingDue']);
    expect(
      fields(
        caught(() => buildLetterContent('acceptance-notice', { ...base, acceptedDate: '2026-09-01', issueDate: '2026-09-01' }, DEMO_OFFICE_CONFIG)),
      ).sort(),
    ).toEqual(['acceptedDate', 'issueDate']);
  });

  it('needs an 8-character query code on the receipt', () => {
    expect(fields(caught(() => buildLetterContent('receipt', { ...DEMO_LETTER_DATA.receipt, queryCode: 'k7m2' }, DEMO_OFFICE_CONFIG)))).toEqual(['queryCode']);
  });

  it.each([
    ['litigation', '诉讼', '提起诉讼'],
    ['arbitration', '仲裁', '申请仲裁'],
    ['reconsideration', '行政复议', '申请行政复议'],
  ] as const)('names the statutory route %s and the organ in a non-acceptance notice', (kind, route, action) => {
    const data = { ...DEMO_LETTER_DATA['non-acceptance-notice'], route: { kind, organ: '某某机关' } };
    const content = buildLetterContent('non-acceptance-notice', data, DEMO_OFFICE_CONFIG);
    expect(content.paragraphs[1]).toContain(`该事项依法应当通过${route}途径解决`);
    expect(content.paragraphs[2]).toBe(`请你依照有关法律法规的规定，向某某机关${action}。`);
  });

  it('needs the name of an other statutory route', () => {
    const data = { ...DEMO_LETTER_DATA['non-acceptance-notice'], route: { kind: 'other', organ: '江川市人民政府' } };
    expect(fields(caught(() => buildLetterContent('non-acceptance-notice', data, DEMO_OFFICE_CONFIG)))).toEqual(['route.name']);
    const named = buildLetterContent('non-acceptance-notice', { ...data, route: { ...data.route, name: '行政裁决' } }, DEMO_OFFICE_CONFIG);
    expect(named.paragraphs[2]).toBe('请你依照有关法律法规的规定，向江川市人民政府申请行政裁决。');
  });

  it('addresses a supervision notice to the department and does not name the petitioner', () => {
    const content = buildLetterContent('supervision-notice', DEMO_LETTER_DATA['supervision-notice'], DEMO_OFFICE_CONFIG);
    expect(content.recipient).toBe('江川市住房和城乡建设局');
    expect(content.paragraphs.join('')).not.toContain('张秀兰');
    expect(content.paragraphs[1]).toContain('现对该事项予以督办');
    const flagged = buildLetterContent('supervision-notice', { ...DEMO_LETTER_DATA['supervision-notice'], level: 'flagged' }, DEMO_OFFICE_CONFIG);
    expect(flagged.paragraphs[1]).toContain('现对该事项予以挂牌督办');
  });

  it('refuses an unknown letter type', () => {
    expect(fields(caught(() => buildLetterContent('thank-you-note' as LetterType, {}, DEMO_OFFICE_CONFIG)))).toEqual(['type']);
  });

  it('gives every type its Chinese title and a complete content', () => {
    for (const type of LETTER_TYPES) {
      const c = buildLetterContent(type, DEMO_LETTER_DATA[type], DEMO_OFFICE_CONFIG);
      expect(c.title).toBe(LETTER_TITLES[type]);
      expect(c.paragraphs.join('')).not.toMatch(/\{\{|\}\}/);
      expect(c.caseNo).toBe(DEMO_LETTER_DATA[type].caseNo);
    }
  });
});

describe('templates', () => {
  it.each(LETTER_TYPES)('the default %s template passes its own check', (type) => {
    expect(validateTemplate(type, DEFAULT_TEMPLATES[type])).toBe(DEFAULT_TEMPLATES[type]);
    for (const p of templatePlaceholders(DEFAULT_TEMPLATES[type])) expect(allowedPlaceholders(type)).toContain(p);
  });

  it('refuses an unknown placeholder, naming it', () => {
    const error = caught(() => validateTemplate('acceptance-notice', `${DEFAULT_TEMPLATES['acceptance-notice']}\n请于{{deadline}}前来访。`));
    expect(fields(error)).toEqual(['template']);
    expect(error.issues[0]?.reason).toMatch(/^unknown placeholder \{\{deadline\}\}/);
  });

  it('refuses an override that drops an element the law requires', () => {
    const text = DEFAULT_TEMPLATES['handling-opinion'].replace('依据{{legalBasis}}和', '依据');
    const error = caught(() => validateTemplate('handling-opinion', text));
    expect(error.issues[0]?.reason).toBe('the handling-opinion template must contain {{legalBasis}}');
    expect(REQUIRED_PLACEHOLDERS['rereview-opinion']).toContain('finality');
  });

  it('refuses malformed braces and an empty template', () => {
    expect(caught(() => validateTemplate('transfer-notice', '转送{{receivingOrgan}}办理。{{ 转送日期')).issues[0]?.reason).toBe(
      'malformed placeholder (use {{name}})',
    );
    expect(caught(() => validateTemplate('transfer-notice', ' \n ')).issues.map((i) => i.reason)).toContain('required');
  });

  it('uses an office override, with placeholders filled and values kept literal', () => {
    // Prepare: an admin rewords the transfer notice
    const templates = validateTemplates({
      'transfer-notice':
        '{{petitionerName}}同志反映的{{subject}}问题，我局已于{{transferDate}}转{{receivingOrgan}}办理。\r\n\r\n  请直接与{{receivingOrgan}}联系。  ',
    });

    // Act
    const content = buildLetterContent(
      'transfer-notice',
      { ...DEMO_LETTER_DATA['transfer-notice'], subject: '反映{{caseNo}}路面破损' },
      DEMO_OFFICE_CONFIG,
      templates,
    );

    // Assess
    expect(content.paragraphs).toEqual([
      '王志强同志反映的反映{{caseNo}}路面破损问题，我局已于2026年9月25日转江川县人民政府办理。',
      '请直接与江川县人民政府联系。',
    ]);
  });

  it('refuses a bad override at build time under templates.<type>, and unknown types in a set', () => {
    const error = caught(() => buildLetterContent('receipt', DEMO_LETTER_DATA.receipt, DEMO_OFFICE_CONFIG, { receipt: '已收到。' }));
    expect(fields(error)).toEqual(['templates.receipt']);
    expect(fields(caught(() => validateTemplates({ memo: 'x' } as never)))).toEqual(['templates.memo']);
  });
});

describe('office configuration and document numbers', () => {
  it('formats a document number from its pattern, without leading zeros', () => {
    expect(formatDocumentNumber('{short}信复〔{year}〕{seq}号', { year: 2026, seq: 12, short: '江' })).toBe('江信复〔2026〕12号');
    expect(formatDocumentNumber('X信复〔{year}〕{seq}号', { year: 2026, seq: 1, short: '江' })).toBe('X信复〔2026〕1号');
  });

  it('refuses a pattern with an unknown token or without {seq}', () => {
    expect(fields(caught(() => formatDocumentNumber('{short}〔{yr}〕{seq}号', { year: 2026, seq: 1, short: '江' })))).toEqual(['documentNumberPattern']);
    const error = caught(() => parseOfficeConfig({ ...DEMO_OFFICE_CONFIG, documentNumberPatterns: { 'handling-opinion': '{short}信处〔{year}〕号' } }));
    expect(fields(error)).toEqual(['office.documentNumberPatterns.handling-opinion']);
  });

  it('fills defaults and names missing organ fields', () => {
    const config = parseOfficeConfig({
      organName: '东州省信访局',
      shortName: '东',
      reviewOrgan: '东州省人民政府',
      rereviewOrgan: '国家信访局',
      address: '东州市人民路1号',
      phone: '0870-12345',
      queryUrl: 'https://xf.dongzhou.example',
    });
    expect(config.sealText).toBe('东州省信访局');
    expect(config.documentNumberPatterns['review-opinion']).toBe('{short}信复〔{year}〕{seq}号');
    expect(config.documentNumberPatterns.receipt).toBeNull();
    const { reviewOrgan: _omit, ...noReview } = config;
    expect(fields(caught(() => parseOfficeConfig(noReview)))).toEqual(['office.reviewOrgan']);
  });

  it('prints the signature date in Chinese numerals, or Arabic when the office chooses GB/T 9704-2012 style', () => {
    expect(buildLetterContent('handling-opinion', DEMO_LETTER_DATA['handling-opinion'], DEMO_OFFICE_CONFIG).dateText).toBe('二〇二六年十一月二十一日');
    const arabic = parseOfficeConfig({ ...DEMO_OFFICE_CONFIG, signatureDateStyle: 'arabic' });
    expect(buildLetterContent('handling-opinion', DEMO_LETTER_DATA['handling-opinion'], arabic).dateText).toBe('2026年11月21日');
  });
});

describe('dates in Chinese', () => {
  it.each([
    ['2026-11-21', '二〇二六年十一月二十一日', '2026年11月21日'],
    ['2030-10-10', '二〇三〇年十月十日', '2030年10月10日'],
    ['2026-01-01', '二〇二六年一月一日', '2026年1月1日'],
    ['2027-12-31', '二〇二七年十二月三十一日', '2027年12月31日'],
  ])('%s is %s and %s', (iso, chinese, body) => {
    expect(chineseDate(iso)).toBe(chinese);
    expect(bodyDate(iso)).toBe(body);
  });

  it('refuses a day that does not exist', () => {
    expect(() => chineseDate('2026-02-29')).toThrow(RangeError);
  });
});

describe('the content hash', () => {
  const content = buildLetterContent('handling-opinion', DEMO_LETTER_DATA['handling-opinion'], DEMO_OFFICE_CONFIG);

  it('is the SHA-256 of the canonical JSON, independent of key order', () => {
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as typeof content;
    expect(canonicalJson(reordered)).toBe(canonicalJson(content));
    expect(letterContentHash(reordered)).toBe(letterContentHash(content));
    expect(canonicalJson({ b: 1, a: ['x', null] })).toBe('{"a":["x",null],"b":1}');
  });

  it('changes when one character of the letter changes', () => {
    const changed = { ...content, paragraphs: content.paragraphs.map((p, i) => (i === 1 ? p.replace('退还', '返还') : p)) };
    expect(letterContentHash(changed)).not.toBe(letterContentHash(content));
  });

  it('matches the 12 characters printed on the letter, and nothing shorter', () => {
    const hash = letterContentHash(content);
    expect(matchesShortHash(hash, ` ${hash.slice(0, 12).toUpperCase()} `)).toBe(true);
    expect(matchesShortHash(hash, hash.slice(0, 11))).toBe(false);
    expect(matchesShortHash(hash, '000000000000')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  compareMatches,
  maskNumbers,
  matchDocument,
  searchScopes,
  searchStateHash,
  scopeOf,
  type SearchDocument,
} from '../../../shared/domain/search/document';
import { indexTerms, normalizeText, parseQuery, piiTerm } from '../../../shared/domain/search/text';
import { TRADITIONAL_TO_SIMPLIFIED } from '../../../shared/domain/search/variants';
import { archivist, clerk, director, hrss, office, registered, run } from '../lifecycle/fixtures';

const key = 'unit-test-key';

describe('normalisation', () => {
  it('folds width, case and traditional characters, keeping every position', () => {
    const text = 'Ｇ３２０國道　張建華ABC，關於徵地補償';
    const n = normalizeText(text);
    expect(n).toBe('g320国道 张建华abc,关于征地补偿');
    expect(n.length).toBe(text.length);
  });

  it('keeps a character outside the BMP whole', () => {
    expect(normalizeText('𠈌建华')).toBe('𠈌建华');
  });

  it('maps each traditional character to a different simplified one, never through a chain', () => {
    expect(TRADITIONAL_TO_SIMPLIFIED.size).toBeGreaterThan(400);
    for (const [from, to] of TRADITIONAL_TO_SIMPLIFIED) {
      expect(from).not.toBe(to);
      expect(TRADITIONAL_TO_SIMPLIFIED.has(to), `${from}→${to}`).toBe(false);
    }
  });
});

describe('index terms', () => {
  it('are the characters and adjacent pairs of Han runs, and Latin words and numbers whole', () => {
    expect([...indexTerms(key, '路面破损 G320国道')].sort()).toEqual(['g320', '国', '国道', '损', '破', '破损', '路', '路面', '道', '面', '面破'].sort());
  });

  it('hold long numbers only as keyed hashes', () => {
    const terms = [...indexTerms(key, '电话13812345678，身份证11010519491231002x')];
    expect(terms.join(' ')).not.toMatch(/\d{7}/);
    expect(terms).toContain(piiTerm(key, '13812345678'));
    expect(terms).toContain(piiTerm(key, '11010519491231002X', 'id'));
    expect(piiTerm('another-key', '13812345678')).not.toBe(piiTerm(key, '13812345678'));
  });
});

describe('query words', () => {
  it('splits on spaces and punctuation, keeps points and hyphens inside a word, drops duplicates and empties', () => {
    expect(parseQuery(key, ' 石门镇，道路  3.2万元 石门镇 。').map((w) => w.normalized)).toEqual(['石门镇', '道路', '3.2万元']);
  });

  it('finds candidates by covering bigrams, a single character by itself, a personal number by hash', () => {
    const [long, one, phone] = parseQuery(key, '征地补偿款 涝 13812345678');
    expect(long?.terms).toEqual(['征地', '补偿', '偿款']);
    expect(one?.terms).toEqual(['涝']);
    expect(phone).toMatchObject({ pii: true, terms: [piiTerm(key, '13812345678')] });
  });
});

const doc = (fields: SearchDocument['fields'], receivedOn = '2026-03-01', caseNo = 'XF-2026-000001'): SearchDocument => ({ caseNo, receivedOn, fields });

describe('matching a document', () => {
  it('wants the word as typed: adjacent, not its pairs apart', () => {
    const words = parseQuery(key, '路面破损');
    expect(matchDocument(doc({ summary: '路面开挖后未恢复，卷帘门被撞得破损' }), words)).toBeNull();
    expect(matchDocument(doc({ summary: 'G320国道路面破损严重' }), words)).not.toBeNull();
  });

  it('wants every word (AND), each in any field', () => {
    const words = parseQuery(key, '石门镇 路灯');
    expect(matchDocument(doc({ subject: '石门镇路面破损' }), words)).toBeNull();
    expect(matchDocument(doc({ subject: '石门镇路面破损', fullText: '路灯不亮' }), words)).not.toBeNull();
  });

  it('highlights every occurrence in the original text, in the field that ranks first', () => {
    const m = matchDocument(doc({ subject: '關於徵地補償的申訴', fullText: '征地补偿款' }), parseQuery(key, '征地补偿'));
    expect(m?.highlights.map((h) => [h.field, h.ranges.map(([s, e]) => h.text.slice(s, e))])).toEqual([
      ['subject', ['徵地補償']],
      ['fullText', ['征地补偿']],
    ]);
  });

  it('shows a fragment of a long field around the match, personal numbers masked', () => {
    const long = `${'甲'.repeat(200)}联系电话13812345678${'乙'.repeat(200)}`;
    const [h] = matchDocument(doc({ fullText: long }), parseQuery(key, '联系电话'))?.highlights ?? [];
    expect(h?.clippedStart).toBe(true);
    expect(h?.clippedEnd).toBe(true);
    expect(h?.text).toContain('138****5678');
    expect(h?.text).not.toContain('12345678');
    expect(h?.text.slice(...(h?.ranges[0] ?? [0, 0]))).toBe('联系电话');
    expect(maskNumbers('ID 11010519491231002X')).toBe(`ID 110${'*'.repeat(11)}002X`);
  });

  it('masks a number the fragment cuts at its edge (only its first three digits show)', () => {
    // The fragment is 80 characters from 24 before the match: it ends after 1381 of the number.
    const long = `${'甲'.repeat(30)}联系电话${'乙'.repeat(48)}13812345678${'丙'.repeat(100)}`;
    const [h] = matchDocument(doc({ fullText: long }), parseQuery(key, '联系电话'))?.highlights ?? [];
    expect(h?.clippedEnd).toBe(true);
    expect(h?.text).toMatch(/乙138\*$/);
    expect(h?.text).not.toMatch(/\d{4}/);
  });

  it('ranks names and subject above the body, then the newer case', () => {
    const words = parseQuery(key, '张建华');
    const inBody = matchDocument(doc({ fullText: '张建华' }, '2026-05-01', 'XF-2026-000003'), words)!;
    const oldName = matchDocument(doc({ petitioners: '张建华' }, '2026-01-01', 'XF-2026-000001'), words)!;
    const newName = matchDocument(doc({ petitioners: '张建华' }, '2026-02-01', 'XF-2026-000002'), words)!;
    expect([inBody, oldName, newName].sort(compareMatches).map((m) => m.caseNo)).toEqual(['XF-2026-000002', 'XF-2026-000001', 'XF-2026-000003']);
  });
});

describe('scopes', () => {
  it('a case is in the office scope, and in the scope of each department it was assigned to', () => {
    const c = run(registered(), [
      ['accept', director, '2026-03-03', {}],
      ['assign', director, '2026-03-03', { deptCode: 'HRSS' }],
    ]);
    expect(searchScopes(registered(), office)).toEqual(['office']);
    expect(searchScopes(c, office)).toEqual(['office', 'dept:HRSS']);
    expect(searchStateHash(c)).not.toBe(searchStateHash(registered()));
  });

  it('an accused department never gets the scope of the accusation', () => {
    const c = {
      ...registered({ category: 'accusation', itemType: 'accusation', accusedUnits: [{ name: '江川市人力资源和社会保障局' }] }),
      departmentHistory: ['HRSS', 'JW'],
    };
    expect(searchScopes(c, office)).toEqual(['office', 'dept:JW']);
  });

  it('each role searches where it may read', () => {
    expect(scopeOf(clerk)).toEqual({ scope: 'office', archivedOnly: false });
    expect(scopeOf(hrss)).toEqual({ scope: 'dept:HRSS', archivedOnly: false });
    expect(scopeOf(archivist)).toEqual({ scope: 'office', archivedOnly: true });
    expect(scopeOf({ userId: 'a', username: 'admin1', displayName: 'a', roles: ['admin'] })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { characterErrorRate, characterErrors, countedCharacters, editDistance } from '../../../shared/domain/ocr-quality';

describe('OCR character error rate', () => {
  it('counts Han characters, digits and Latin letters, ignoring punctuation, spacing and width', () => {
    expect(countedCharacters('关于 ２０２６年，XinFang！')).toEqual([...'关于2026年xinfang']);
  });

  it('counts substitutions, insertions and deletions', () => {
    expect(editDistance([...'信访事项'], [...'信访事项'])).toBe(0);
    expect(editDistance([...'信访事项'], [...'信仿事项'])).toBe(1);
    expect(editDistance([...'信访事项'], [...'信访项'])).toBe(1);
    expect(editDistance([...'信访事项'], [...'信访事事项'])).toBe(1);
    expect(editDistance([], [...'abc'])).toBe(3);
  });

  it('is the total of edits over the total of characters of a set', () => {
    const a = characterErrors('信访事项办理', '信访事项办理'); // 0 of 6
    const b = characterErrors('一二三四', '一二'); // 2 of 4
    expect(a).toEqual({ errors: 0, characters: 6 });
    expect(b).toEqual({ errors: 2, characters: 4 });
    expect(characterErrorRate([a, b])).toBeCloseTo(0.2);
    expect(characterErrorRate([])).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { unprintable } from '../../../shared/domain/letter-coverage';
import { fontCoverage } from '../../../shared/letters/coverage-source';
import coverage from '../../../shared/domain/letter-font-coverage.json' with { type: 'json' };

describe('the letter font coverage the request schemas check against', () => {
  it('is exactly the code points the font has glyphs for (rewrite it with scripts/letter-font-coverage.ts)', async () => {
    expect(coverage.ranges).toEqual(await fontCoverage());
  });

  it('finds what the font cannot draw, and nothing else', () => {
    expect(unprintable('请求协调解决拖欠工资问题（2025年）《信访工作条例》第三十二条 A-1')).toEqual([]);
    expect(unprintable('已解决😀，谢谢🙏')).toEqual(['😀', '🙏']);
    expect(unprintable('\u{20000}')).toEqual(['\u{20000}']); // CJK Extension B: not in the letter font
  });
});

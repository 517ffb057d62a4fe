import { describe, expect, it } from 'vitest';
import { checkVerdict, parseRefs } from './fixity-text';

describe('立即检查', () => {
  it('reads several archive or case numbers from one box, whatever separates them, once each', () => {
    expect(parseRefs(' XF·2026-D30-0001，XF-2026-000012、 XF·2026-D30-0001\nXF-2026-000013; ')).toEqual([
      'XF·2026-D30-0001',
      'XF-2026-000012',
      'XF-2026-000013',
    ]);
    expect(parseRefs(' ，、 ')).toEqual([]);
  });

  it('says in one sentence what was checked and found', () => {
    expect(checkVerdict({ packages: 2, files: 9, problems: 0, state: 'done' })).toBe('已检查 2 件档案、9 个文件；未发现问题。');
    expect(checkVerdict({ packages: 1, files: 5, problems: 1, state: 'incomplete', notFound: ['XF-2026-000099'] })).toBe(
      '已检查 1 件档案、5 个文件；发现 1 个问题（文件缺失或被改动），已记入案件审计记录；未找到档案：XF-2026-000099；时间所限未能全部检查，请分批再查。',
    );
  });
});

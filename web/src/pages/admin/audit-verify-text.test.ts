import { describe, expect, it } from 'vitest';
import { verificationText } from './audit-verify-text';

describe('立即校验 in Chinese', () => {
  it('an intact chain: the records checked, dated in Beijing time', () => {
    expect(verificationText({ ok: true, entries: 4, checkedAt: '2026-12-06T02:52:00.000Z' })).toBe('已校验 4 条记录，哈希链完整（2026年12月6日 10:52）');
  });

  it('a broken chain: the record where it breaks and why, those before it intact', () => {
    const text = verificationText({ ok: false, entries: 2, checkedAt: '2026-12-05T16:39:00.000Z', firstBroken: { seq: 3, reason: 'hash-mismatch' } });
    expect(text).toBe('哈希链在第 3 条记录处断开：记录内容与其哈希值不符，记录已被改动。此前的 2 条记录完好。请核查（2026年12月6日 00:39）');
    expect(verificationText({ ok: false, entries: 0, checkedAt: '2026-12-06T02:52:00.000Z', firstBroken: { seq: 1, reason: 'gap' } })).not.toContain('此前');
  });
});

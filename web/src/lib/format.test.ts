/** Dates as people read them in the office: Chinese, and always Beijing's calendar day and time. */
import { describe, expect, it } from 'vitest';
import { chineseDate, chineseDatesIn, dateTime } from './format';

describe('chineseDate', () => {
  it('writes a civil date the Chinese way', () => {
    expect(chineseDate('2027-01-05')).toBe('2027年1月5日');
  });

  it('dates an instant by the Beijing calendar, not UTC: 00:39 on 5 December in Beijing is 5 December', () => {
    expect(chineseDate('2026-12-04T16:39:00.000Z')).toBe('2026年12月5日');
    expect(chineseDate('2126-12-04T16:39:00Z')).toBe('2126年12月5日');
    expect(chineseDate('2026-12-05T08:00:00+08:00')).toBe('2026年12月5日');
  });
});

describe('dateTime', () => {
  it('shows an instant in Beijing time with a Chinese date', () => {
    expect(dateTime('2026-12-04T16:39:00Z')).toBe('2026年12月5日 00:39');
    expect(dateTime('2026-06-15T01:30:00Z')).toBe('2026年6月15日 09:30');
  });
});

describe('chineseDatesIn', () => {
  it('rewrites the ISO dates inside a sentence', () => {
    expect(chineseDatesIn('复查申请期限至2027-01-05届满后可办结')).toBe('复查申请期限至2027年1月5日届满后可办结');
    expect(chineseDatesIn('归档于 2026-12-04T16:39:00Z')).toBe('归档于 2026年12月5日');
  });
});

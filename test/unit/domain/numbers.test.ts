import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import {
  CaseNumberSchema,
  QUERY_CODE_ALPHABET,
  QueryCodeSchema,
  formatCaseNumber,
  generateQueryCode,
  hashQueryCode,
  normaliseCaseNumber,
  normaliseQueryCode,
  parseCaseNumber,
  verifyQueryCode,
} from '../../../shared/domain/numbers';

const KEY = 'test-query-code-key';

describe('formatCaseNumber', () => {
  it('pads the sequence to six digits', () => {
    expect(formatCaseNumber('XF', 2026, 123)).toBe('XF-2026-000123');
  });

  it('lets the sequence grow beyond six digits when needed', () => {
    expect(formatCaseNumber('XF', 2026, 1_234_567)).toBe('XF-2026-1234567');
  });

  it('takes a configured prefix of letters and digits', () => {
    expect(formatCaseNumber('KMXF01', 2025, 1)).toBe('KMXF01-2025-000001');
  });

  it('refuses a bad prefix, year or sequence', () => {
    for (const [prefix, year, seq] of [
      ['xf', 2026, 1],
      ['', 2026, 1],
      ['ABCDEFGHI', 2026, 1],
      ['X-F', 2026, 1],
      ['XF', 26, 1],
      ['XF', 2026.5, 1],
      ['XF', 2026, 0],
      ['XF', 2026, 1.5],
      ['XF', 2026, Number.MAX_SAFE_INTEGER + 1],
    ] as const) {
      expect(() => formatCaseNumber(prefix, year, seq), `${prefix} ${year} ${seq}`).toThrow(ValidationError);
    }
  });
});

describe('parseCaseNumber', () => {
  it('round-trips with formatCaseNumber', () => {
    for (const [prefix, year, seq] of [
      ['XF', 2026, 123],
      ['XF', 2026, 1],
      ['KMXF01', 2025, 999_999],
      ['A', 2030, 1_000_000],
    ] as const) {
      // Act
      const parsed = parseCaseNumber(formatCaseNumber(prefix, year, seq));
      // Assess
      expect(parsed).toEqual({ prefix, year, seq });
    }
  });

  it('returns null for anything but the canonical spelling', () => {
    for (const s of [
      'XF-2026-123',
      'XF-2026-0000123',
      'XF-2026-000000',
      'xf-2026-000123',
      ' XF-2026-000123',
      'XF-26-000123',
      'XF2026000123',
      'X-F-2026-000123',
      '',
    ]) {
      expect(parseCaseNumber(s), s).toBeNull();
    }
  });
});

describe('CaseNumberSchema', () => {
  it('accepts canonical case numbers and rejects others', () => {
    expect(CaseNumberSchema.safeParse('XF-2026-000123').success).toBe(true);
    expect(CaseNumberSchema.safeParse('XF-2026-123').success).toBe(false);
  });
});

describe('normaliseCaseNumber', () => {
  it('turns typed case numbers into the canonical spelling', () => {
    expect(normaliseCaseNumber(' xf-2026-123 ')).toBe('XF-2026-000123');
    expect(normaliseCaseNumber('ＸＦ－２０２６－０００１２３')).toBe('XF-2026-000123');
    expect(normaliseCaseNumber('XF-2026-0001234567')).toBe('XF-2026-1234567');
  });

  it('leaves what it cannot parse for the schema to reject', () => {
    expect(CaseNumberSchema.safeParse(normaliseCaseNumber('no such case')).success).toBe(false);
  });
});

describe('generateQueryCode', () => {
  it('draws 8 characters from the unambiguous alphabet, over 1000 draws', () => {
    // Act
    const codes = Array.from({ length: 1000 }, () => generateQueryCode());
    // Assess
    for (const code of codes) expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(codes.join('')).not.toMatch(/[0O1IL]/);
    expect(new Set(codes).size).toBe(1000);
    // Every character of the alphabet shows up in 8000 draws (each is missed with p ≈ e^-258).
    expect(new Set(codes.join('')).size).toBe(QUERY_CODE_ALPHABET.length);
  });

  it('uses an alphabet of 31 characters without 0, O, 1, I or L', () => {
    expect(QUERY_CODE_ALPHABET).toHaveLength(31);
    expect(QUERY_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    expect(new Set(QUERY_CODE_ALPHABET).size).toBe(31);
  });

  it('throws away bytes of 248 and above instead of folding them onto the alphabet', () => {
    // Prepare: 248..255 would map to A..H under a plain modulo; they must be skipped.
    const bytes = [248, 255, 0, 249, 30, 31, 247, 250, 1, 2, 3, 4, 5, 6];
    let i = 0;
    const source = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!);
    // Act
    const code = generateQueryCode(source);
    // Assess: 0→A, 30→9, 31→A, 247→9 (247 % 31 = 30), 1→B, 2→C, 3→D, 4→E
    expect(code).toBe('A9A9BCDE');
  });

  it('keeps drawing until it has 8 usable bytes', () => {
    let calls = 0;
    const source = (n: number): Uint8Array => {
      calls += 1;
      return new Uint8Array(n).fill(calls < 3 ? 255 : 5);
    };
    expect(generateQueryCode(source)).toBe('FFFFFFFF');
    expect(calls).toBe(3);
  });

  it('maps the usable byte values evenly: 8 of the 248 to each of the 31 characters', () => {
    // Prepare
    const counts = new Map<string, number>();
    // Act: a source that only ever returns byte b gives a code of one repeated character.
    for (let b = 0; b < 248; b += 1) {
      const code = generateQueryCode((n) => new Uint8Array(n).fill(b));
      counts.set(code.charAt(0), (counts.get(code.charAt(0)) ?? 0) + 1);
    }
    // Assess
    expect(counts.size).toBe(31);
    expect([...counts.values()].every((n) => n === 8)).toBe(true);
  });

  it('refuses a random source that returns nothing', () => {
    expect(() => generateQueryCode(() => new Uint8Array(0))).toThrow();
  });
});

describe('normaliseQueryCode and QueryCodeSchema', () => {
  it('normalises typed codes', () => {
    expect(normaliseQueryCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normaliseQueryCode('AB CD EF GH')).toBe('ABCDEFGH');
    expect(normaliseQueryCode('ａｂｃｄ－ｅｆｇｈ')).toBe('ABCDEFGH');
  });

  it('accepts a code as typed and gives it back normalised', () => {
    expect(QueryCodeSchema.parse('k7m2-p9qx')).toBe('K7M2P9QX');
  });

  it('rejects codes with ambiguous characters or of the wrong length', () => {
    for (const code of ['ABCDEFG0', 'ABCDEFGO', 'ABCDEFG1', 'ABCDEFGI', 'ABCDEFGL', 'ABCDEFG', 'ABCDEFGHJ']) {
      expect(QueryCodeSchema.safeParse(code).success, code).toBe(false);
    }
  });
});

describe('hashQueryCode', () => {
  it('stores an HMAC of the case number and the normalised code, not the code', () => {
    // Act
    const stored = hashQueryCode(KEY, 'XF-2026-000123', 'k7m2-p9qx');
    // Assess
    expect(stored).toBe(createHmac('sha256', KEY).update('XF-2026-000123:K7M2P9QX').digest('hex'));
    expect(stored).not.toContain('K7M2P9QX');
  });

  it('differs between cases for the same code', () => {
    expect(hashQueryCode(KEY, 'XF-2026-000123', 'K7M2P9QX')).not.toBe(hashQueryCode(KEY, 'XF-2026-000124', 'K7M2P9QX'));
  });

  it('verifies the right code, as typed, and nothing else', () => {
    const stored = hashQueryCode(KEY, 'XF-2026-000123', 'K7M2P9QX');
    expect(verifyQueryCode(KEY, 'XF-2026-000123', ' k7m2 p9qx ', stored)).toBe(true);
    expect(verifyQueryCode(KEY, 'XF-2026-000123', 'K7M2P9QY', stored)).toBe(false);
    expect(verifyQueryCode(KEY, 'XF-2026-000124', 'K7M2P9QX', stored)).toBe(false);
    expect(verifyQueryCode('other-key', 'XF-2026-000123', 'K7M2P9QX', stored)).toBe(false);
    expect(verifyQueryCode(KEY, 'XF-2026-000123', 'K7M2P9QX', 'not-hex')).toBe(false);
  });

  it('refuses an empty key', () => {
    expect(() => hashQueryCode('', 'XF-2026-000123', 'K7M2P9QX')).toThrow();
  });
});

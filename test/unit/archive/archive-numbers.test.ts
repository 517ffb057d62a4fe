import { describe, expect, it } from 'vitest';
import { ArchiveNoSchema, formatArchiveNo, parseArchiveNo } from '../../../shared/domain/archive';

describe('archive numbers (档号)', () => {
  it('are fonds – year – retention code – item number, the item number padded to four digits', () => {
    expect(formatArchiveNo({ fonds: 'X001', year: 2026, retention: '30y', item: 7 })).toBe('X001-2026-D30-0007');
    expect(formatArchiveNo({ fonds: 'J12', year: 2027, retention: 'permanent', item: 1 })).toBe('J12-2027-Y-0001');
    expect(formatArchiveNo({ fonds: 'X001', year: 2026, retention: '10y', item: 9999 })).toBe('X001-2026-D10-9999');
  });

  it('grow beyond four digits instead of wrapping', () => {
    expect(formatArchiveNo({ fonds: 'X001', year: 2026, retention: '10y', item: 12345 })).toBe('X001-2026-D10-12345');
    expect(parseArchiveNo('X001-2026-D10-12345')).toEqual({ fonds: 'X001', year: 2026, retention: '10y', item: 12345 });
  });

  it('parse back to their parts, and only in the canonical spelling', () => {
    for (const no of ['X001-2026-D30-0007', 'J12-2027-Y-0001', 'X001-2026-D10-9999']) {
      const parts = parseArchiveNo(no);
      expect(parts).not.toBeNull();
      expect(formatArchiveNo(parts as NonNullable<typeof parts>)).toBe(no);
    }
    for (const bad of ['X001-2026-D30-7', 'X001-2026-D20-0007', 'x001-2026-D30-0007', 'X001-26-D30-0007', 'X001-2026-D30-00007', 'X001-2026-Y-0000a', '']) {
      expect(parseArchiveNo(bad), bad).toBeNull();
      expect(ArchiveNoSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('refuse parts that cannot make a number', () => {
    expect(() => formatArchiveNo({ fonds: 'x1', year: 2026, retention: '30y', item: 1 })).toThrow(/fonds/);
    expect(() => formatArchiveNo({ fonds: 'X001', year: 26, retention: '30y', item: 1 })).toThrow(/year/);
    expect(() => formatArchiveNo({ fonds: 'X001', year: 2026, retention: '30y', item: 0 })).toThrow(/item/);
    expect(() => formatArchiveNo({ fonds: 'X001', year: 2026, retention: '30y', item: 1.5 })).toThrow(/item/);
  });
});

/**
 * The office settings the admin changes (系统设置): laid over OFFICE_CONFIG and validated by the
 * schema that reads them; a case-number prefix from a later year only, never renumbering.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import { caseNumberPrefixFor, parseOfficeSettings } from '../../../shared/domain/office';
import { checkPrefixChange, editableView, settingsWith } from '../../../shared/domain/settings';

const base = parseOfficeSettings(undefined);

function issueOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues[0]?.field;
    throw e;
  }
  return undefined;
}

describe('case-number prefixes', () => {
  it('numbers a year with the last prefix set from that year or before, else the configured one', () => {
    const s = settingsWith(base, {
      caseNumberPrefixes: [
        { fromYear: 2027, prefix: 'JX' },
        { fromYear: 2029, prefix: 'JXS' },
      ],
    });
    expect([2026, 2027, 2028, 2029, 2030].map((y) => caseNumberPrefixFor(s, y))).toEqual(['XF', 'JX', 'JX', 'JXS', 'JXS']);
  });

  it('refuses prefixes out of order or malformed, naming the field', () => {
    expect(
      issueOf(() =>
        settingsWith(base, {
          caseNumberPrefixes: [
            { fromYear: 2028, prefix: 'A' },
            { fromYear: 2027, prefix: 'B' },
          ],
        }),
      ),
    ).toBe('body.caseNumberPrefixes');
    expect(issueOf(() => settingsWith(base, { caseNumberPrefixes: [{ fromYear: 2027, prefix: 'x-1' }] }))).toBe('body.caseNumberPrefixes.0.prefix');
  });

  it('lets a prefix start next year at the earliest, and keeps the prefixes of this year and before', () => {
    const set = [{ fromYear: 2027, prefix: 'JX' }];
    expect(() => checkPrefixChange([], set, 2026)).not.toThrow();
    expect(issueOf(() => checkPrefixChange([], [{ fromYear: 2026, prefix: 'JX' }], 2026))).toBe('body.caseNumberPrefixes');
    // In 2027 the 2027 prefix is settled: it can be neither removed nor changed; a 2028 one can be added.
    expect(issueOf(() => checkPrefixChange(set, [], 2027))).toBe('body.caseNumberPrefixes');
    expect(issueOf(() => checkPrefixChange(set, [{ fromYear: 2027, prefix: 'JY' }], 2027))).toBe('body.caseNumberPrefixes');
    expect(() => checkPrefixChange(set, [...set, { fromYear: 2028, prefix: 'JY' }], 2027)).not.toThrow();
  });
});

describe('settings laid over OFFICE_CONFIG', () => {
  it('shows what is in force and refuses a setting the admin may not change', () => {
    const s = settingsWith(base, { sweep: { reminderWorkingDays: [10, 5, 1] }, maxUploadBytes: 1024 });
    expect(editableView(s)).toMatchObject({ sweep: { reminderWorkingDays: [10, 5, 1] }, maxUploadBytes: 1024, caseNumberPrefix: 'XF', caseNumberPrefixes: [] });
    expect(issueOf(() => settingsWith(base, { sweep: { windowGraceDays: 3 } }))).toBe('body.sweep.windowGraceDays');
    expect(issueOf(() => settingsWith(base, { sweep: { reminderWorkingDays: [40] } }))).toBe('body.sweep.reminderWorkingDays.0');
  });
});

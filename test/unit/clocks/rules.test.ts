import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError } from '../../../shared/domain/errors';
import { DEFAULT_CLOCK_POLICY, RULE_SETS, resolvePolicy, ruleFor, type ClockKind } from '../../../shared/domain/clocks';
import { ITEM_TYPES } from '../../../shared/domain/taxonomy';

describe('rules of the 2022 条例 (DESIGN §3 table)', () => {
  it.each<[ClockKind, number, string, string]>([
    ['notify', 15, 'calendarDays', '第二十二条、第二十三条'],
    ['transferObjection', 5, 'workingDays', '第二十三条第三款'],
    ['handling', 60, 'calendarDays', '第三十四条'],
    ['reviewRequestWindow', 30, 'calendarDays', '第三十五条'],
    ['reviewDecision', 30, 'calendarDays', '第三十五条'],
    ['rereviewRequestWindow', 30, 'calendarDays', '第三十六条'],
    ['rereviewDecision', 30, 'calendarDays', '第三十六条'],
  ])('%s is %i %s under %s', (kind, length, unit, article) => {
    const rule = ruleFor(kind, '2022', 'request-appeal');
    expect(rule).toMatchObject({ kind, length, unit, ruleSet: '2022', source: 'statute' });
    expect(rule.article).toBe(`《信访工作条例》${article}`);
    expect(rule.label).not.toBe('');
  });

  it('gives the department due date from office policy', () => {
    expect(ruleFor('departmentDue')).toMatchObject({ length: 10, source: 'policy', article: '本机关规定' });
    expect(ruleFor('departmentDue', '2022', undefined, resolvePolicy({ departmentLeadDays: 7 })).length).toBe(7);
  });
});

describe('rules of the 2005 条例', () => {
  it.each<[ClockKind, number, string]>([
    ['notify', 15, '第二十一条、第二十二条'],
    ['handling', 60, '第三十三条'],
    ['reviewRequestWindow', 30, '第三十四条'],
    ['reviewDecision', 30, '第三十四条'],
    ['rereviewRequestWindow', 30, '第三十五条'],
    ['rereviewDecision', 30, '第三十五条'],
  ])('%s is %i days under %s', (kind, length, article) => {
    const rule = ruleFor(kind, '2005', 'request-appeal');
    expect(rule).toMatchObject({ length, unit: 'calendarDays', ruleSet: '2005' });
    expect(rule.article).toBe(`《信访条例》（2005）${article}`);
  });

  it('has no objection to a transfer from above', () => {
    expect(RULE_SETS['2005'].transferObjection).toBeUndefined();
    expect(() => ruleFor('transferObjection', '2005')).toThrow(RuleViolationError);
  });
});

describe('policy', () => {
  it('defaults to the counting of DESIGN §3', () => {
    expect(DEFAULT_CLOCK_POLICY).toEqual({
      startDayCounted: false,
      rollForward: true,
      handlingDaysOtherTypes: 60,
      departmentLeadDays: 10,
      maxExtensionDays: 30,
    });
    expect(resolvePolicy({ departmentLeadDays: 5 })).toEqual({ ...DEFAULT_CLOCK_POLICY, departmentLeadDays: 5 });
  });

  it('never allows an extension longer than the statutory 30 days', () => {
    expect(() => resolvePolicy({ maxExtensionDays: 31 })).toThrow(ValidationError);
  });

  it('names the three item types', () => {
    expect(ITEM_TYPES).toEqual(['suggestion', 'accusation', 'request-appeal']);
  });
});

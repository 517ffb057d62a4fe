import { describe, expect, it } from 'vitest';
import {
  ArchiveSettingsSchema,
  archiveYear,
  caseOutcome,
  decideRetention,
  DEFAULT_RETENTION_RULES,
  lockUntil,
  retentionEnds,
} from '../../../shared/domain/archive';
import { closedCase, declinedAndClosed } from './fixtures';

const defaults = ArchiveSettingsSchema.parse({});

describe('the retention class of a case', () => {
  it('follows the default rules: collective and accusation permanent, not accepted 10 years, handled 30 years', () => {
    expect(decideRetention(closedCase(), defaults)).toMatchObject({ retention: '30y', source: 'rule:4', reason: '一般信访事项的办理材料' });
    expect(decideRetention(declinedAndClosed(), defaults)).toMatchObject({ retention: '10y', source: 'rule:3' });
    expect(decideRetention({ ...closedCase(), collective: true }, defaults)).toMatchObject({ retention: 'permanent', reason: '集体信访事项' });
    expect(decideRetention({ ...closedCase(), category: 'accusation' }, defaults)).toMatchObject({ retention: 'permanent', source: 'rule:2' });
  });

  it('takes the last opinion given: a re-review outcome over a review over the reply', () => {
    const c = closedCase();
    expect(caseOutcome(c)).toBe('support');
    const reviewed = {
      ...c,
      review: {
        requestedOn: '2026-04-01',
        by: 'c',
        at: '2026-04-01T00:00:00Z',
        opinion: { outcome: 'reject' as const, summary: 's', deliveredOn: '2026-04-20', by: 'd', at: '2026-04-20T00:00:00Z' },
      },
    };
    expect(caseOutcome(reviewed)).toBe('reject');
    expect(caseOutcome(declinedAndClosed())).toBe('none');
  });

  it('uses the office’s own rules, first match wins, and the default when none matches', () => {
    const settings = ArchiveSettingsSchema.parse({
      rules: [
        { categories: ['land'], outcomes: ['support'], retention: 'permanent', reason: '征地补偿予以支持' },
        { categories: ['land'], retention: '30y', reason: '征地补偿' },
      ],
      defaultRetention: '10y',
      defaultReason: '其他',
    });
    expect(decideRetention({ ...closedCase(), category: 'land' }, settings)).toMatchObject({ retention: 'permanent', source: 'rule:1' });
    expect(decideRetention({ ...declinedAndClosed(), category: 'land' }, settings)).toMatchObject({ retention: '30y', source: 'rule:2' });
    expect(decideRetention(closedCase(), settings)).toEqual({ retention: '10y', reason: '其他', source: 'default' });
  });

  it('lets an archivist override it, with a reason', () => {
    expect(decideRetention(closedCase(), defaults, { retention: 'permanent', reason: '具有长期查考价值', by: 'archivist1' })).toEqual({
      retention: 'permanent',
      reason: '具有长期查考价值',
      source: 'override',
      override: { by: 'archivist1', reason: '具有长期查考价值' },
    });
    expect(() => decideRetention(closedCase(), defaults, { retention: '10y', reason: '  ', by: 'archivist1' })).toThrow(/reason/);
  });

  it('refuses rules without a class or a reason', () => {
    expect(ArchiveSettingsSchema.safeParse({ rules: [{ categories: ['land'], retention: '20y', reason: 'x' }] }).success).toBe(false);
    expect(ArchiveSettingsSchema.safeParse({ rules: [{ categories: ['land'], retention: '30y' }] }).success).toBe(false);
    expect(defaults.rules).toEqual(DEFAULT_RETENTION_RULES);
  });
});

describe('retention periods', () => {
  it('count from 1 January after the archive year, which is the year the case was closed', () => {
    expect(archiveYear(closedCase())).toBe(2026);
    expect(archiveYear({ closed: { reason: 'r', by: 'c', at: '2026-12-31T17:00:00Z' }, updatedAt: '2026-12-31T17:00:00Z' })).toBe(2027); // 01:00 in Beijing
    expect(retentionEnds(2026, '10y')).toBe('2037-01-01');
    expect(retentionEnds(2026, '30y')).toBe('2057-01-01');
    expect(retentionEnds(2026, 'permanent')).toBeUndefined();
  });

  it('lock archived objects until the disposal day begins in Beijing, or far ahead for permanent records', () => {
    expect(lockUntil('2037-01-01', new Date('2026-05-08T00:00:00Z'), 100).toISOString()).toBe('2036-12-31T16:00:00.000Z');
    expect(lockUntil(undefined, new Date('2026-05-08T00:00:00Z'), 100).toISOString()).toBe('2126-05-08T00:00:00.000Z');
  });
});

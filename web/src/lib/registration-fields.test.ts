import { describe, expect, it } from 'vitest';
import { buildVocabulary } from '@shared/app/vocabulary';
import { OfficeSettingsSchema } from '@shared/domain/office';
import { levelApplies, materialsOf, placeAndLevel, placeAndLevelErrors } from './registration-fields';

const vocab = buildVocabulary(OfficeSettingsSchema.parse({}));

describe('问题属地 and 信访层级 on the registration form', () => {
  it('offers the office localities and the four levels with Chinese labels', () => {
    expect(vocab.localities.map((l) => l.name)).toContain('宁海街道');
    expect(vocab.petitionLevels.map((l) => l.name)).toEqual(['本级访', '越级到市访', '赴省访', '进京访']);
  });

  it('records a level for visits and referrals only', () => {
    expect(levelApplies('visit', vocab)).toBe(true);
    expect(levelApplies('referral', vocab)).toBe(true);
    expect(levelApplies('letter', vocab)).toBe(false);
    expect(placeAndLevel({ channel: 'visit', locality: 'ninghai', level: 'capital' }, vocab)).toEqual({ locality: 'ninghai', level: 'capital' });
    // A level chosen before the channel changed to a letter is not sent (the API would refuse it).
    expect(placeAndLevel({ channel: 'letter', locality: 'ninghai', level: 'capital' }, vocab)).toEqual({ locality: 'ninghai' });
    expect(placeAndLevel({ channel: 'visit', locality: '', level: '' }, vocab)).toEqual({});
  });

  it('names a locality the office does not have, in Chinese', () => {
    expect(placeAndLevelErrors({ channel: 'visit', locality: 'atlantis' }, vocab)).toEqual({ locality: '问题属地不在本机关设置的属地中，请重新选择' });
    expect(placeAndLevelErrors({ channel: 'visit', locality: 'ninghai', level: 'moon' }, vocab)).toEqual({ level: '请选择信访层级' });
    expect(placeAndLevelErrors({ channel: 'letter', locality: 'ninghai', level: 'moon' }, vocab)).toEqual({});
  });
});

describe('the upload box by channel (issue 18 item 10)', () => {
  it('asks a letter for its scans and a visit for the materials the visitor brought', () => {
    expect(materialsOf('letter')).toMatchObject({ title: '来信扫描件' });
    expect(materialsOf('letter').hint).toContain('扫描件');
    expect(materialsOf('visit').title).toBe('来访材料');
    expect(materialsOf('visit').drop).not.toContain('来信');
    expect(materialsOf('visit').hint).toBeUndefined();
    expect(materialsOf('referral').title).toBe('转来材料');
    expect(materialsOf('online').title).toBe('相关材料');
  });
});

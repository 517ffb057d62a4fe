import { describe, expect, it } from 'vitest';
import { contactRevealRefusal } from '../../../shared/domain/contact-rules';
import { maskAddress } from '../../../shared/domain/pii';

const hrss = { roles: ['department'], deptCode: 'HRSS' };

describe('who may reveal the contact details of a case', () => {
  it('is the department the case is assigned to now', () => {
    expect(contactRevealRefusal(hrss, { deptCode: 'HRSS', itemType: 'request-appeal' })).toBeNull();
    expect(contactRevealRefusal(hrss, { deptCode: 'HRSS', itemType: 'suggestion' })).toBeNull();
  });

  it('is not another department, nor one the case has left, nor a case not yet assigned', () => {
    expect(contactRevealRefusal(hrss, { deptCode: 'CIVIL', itemType: 'request-appeal' })).toBe('not-assigned');
    expect(contactRevealRefusal(hrss, { itemType: 'request-appeal' })).toBe('not-assigned');
  });

  it('never reveals the accuser of an accusation, even to the department handling it', () => {
    expect(contactRevealRefusal(hrss, { deptCode: 'HRSS', itemType: 'accusation' })).toBe('accusation');
  });

  it('is for department users only (the office sees the details anyway; others never)', () => {
    for (const roles of [['clerk'], ['director'], ['archivist'], ['admin']])
      expect(contactRevealRefusal({ roles }, { deptCode: 'HRSS', itemType: 'request-appeal' })).toBe('not-department');
    expect(contactRevealRefusal({ roles: ['department'] }, { itemType: 'request-appeal' })).toBe('not-department');
  });
});

describe('maskAddress', () => {
  it('keeps the first 7 characters and hides the length of the rest', () => {
    expect(maskAddress('江川区宁海街道建设路12号')).toBe('江川区宁海街道****');
    expect(maskAddress('江川区宁海街道建设路12号3栋2单元501室')).toBe('江川区宁海街道****');
  });

  it('keeps nothing of a short address', () => {
    expect(maskAddress('建设路12号')).toBe('****');
    expect(maskAddress('  ')).toBe('');
  });
});

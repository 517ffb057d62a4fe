/** The API's validation reasons as the office reads them, next to the right field. */
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translateReason } from './messages';

describe('field errors', () => {
  it('translates the reasons the API gives, and passes others through as sent', () => {
    expect(translateReason('must not be empty')).toBe('不能为空');
    expect(translateReason('must be at most 100 characters')).toBe('不能超过100个字符');
    expect(translateReason('must be a date YYYY-MM-DD')).toBe('请填写日期（年-月-日）');
    expect(translateReason('something new the API says')).toBe('something new the API says');
  });

  it('keys each issue by the field as sent and by the form field', () => {
    const error = new ApiError(400, 'VALIDATION', 'bad', [
      { field: 'body.purpose', reason: 'give a reason' },
      { field: 'petitioners.0.name', reason: 'must not be empty' },
      { field: 'body.purpose', reason: 'a second reason for the same field' },
    ]);
    expect(error.fieldErrors()).toEqual({ 'body.purpose': '请填写理由', purpose: '请填写理由', 'petitioners.0.name': '不能为空' });
  });
});

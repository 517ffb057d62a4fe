/**
 * The body of a lifecycle action (shared/app/action-body.ts), parsed once at its route: the
 * lifecycle gets its own fields, the letter issuer its own, and neither parses it again.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_BODIES, actionBody, letterInput, lifecycleInput, parseActionBody } from '../../../shared/app/action-body';
import { ACTIONS } from '../../../shared/domain/actions';
import { ValidationError } from '../../../shared/domain/errors';
import { ACTION_INPUTS } from '../../../shared/domain/lifecycle';

const OPINION = {
  request: '请求撤销原处理意见',
  facts: '经复查，原处理意见认定事实清楚。',
  decision: '维持原处理意见。',
  legalBasis: '《信访工作条例》第三十五条',
};

describe('the body of a lifecycle action', () => {
  it('has a schema for every action: the lifecycle input, with the letter fields where the letter needs more', () => {
    expect(Object.keys(ACTION_BODIES).sort()).toEqual([...ACTIONS].sort());
    for (const a of ACTIONS) expect(Object.keys(actionBody(a).shape)).toEqual(expect.arrayContaining(Object.keys(ACTION_INPUTS[a].shape)));
    expect(Object.keys(actionBody('review-opinion').shape)).toEqual(expect.arrayContaining(['opinion', 'originalDocumentNo']));
  });

  it('gives the lifecycle its own fields and the letter its own, without parsing again', () => {
    const body = parseActionBody('review-opinion', {
      outcome: 'reject',
      summary: '维持原处理意见',
      deliveredOn: '2026-04-10',
      opinion: OPINION,
      originalDocumentNo: ' 江信复〔2026〕3号 ',
    });
    expect(lifecycleInput('review-opinion', body)).toEqual({ outcome: 'reject', summary: '维持原处理意见', deliveredOn: '2026-04-10' });
    // The letter's part as the route parsed it (trimmed once, there).
    expect(letterInput('review-opinion', body)).toEqual({ opinion: OPINION, originalDocumentNo: '江信复〔2026〕3号' });
    expect(letterInput('decline', parseActionBody('decline', { route: 'other', reason: '已通过行政裁决途径处理', routeName: '行政裁决' }))).toEqual({
      routeName: '行政裁决',
    });
  });

  it('refuses a raw body where it enters without a route, naming the field, as the route would', () => {
    expect(() => parseActionBody('extend', { days: 31, reason: '情况复杂' })).toThrow(ValidationError);
    try {
      parseActionBody('extend', { days: 31, reason: '情况复杂' });
    } catch (err) {
      expect((err as ValidationError).issues.map((i) => i.field)).toEqual(['days']);
    }
    expect(parseActionBody('close', undefined)).toEqual({});
  });
});

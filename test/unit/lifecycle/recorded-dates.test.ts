/**
 * Dates a user records are bounded by the facts they follow: not before the event they record,
 * not in the future. Each refusal is a 400 naming the request's own field.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/domain/case';
import { ValidationError } from '../../../shared/domain/errors';
import { applyRaw, clerk, ctx, director, hrss, opinion, registered, run } from './fixtures';

function refusal(fn: () => unknown): { field: string; reason: string }[] | 'accepted' {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
}

const replied: Case = run(registered(), [
  ['accept', director, '2026-03-05', {}],
  ['assign', director, '2026-03-05', { deptCode: 'HRSS' }],
  ['answer', hrss, '2026-03-20', opinion],
  ['approve-reply', director, '2026-03-21', {}],
]);
const delivered = applyRaw(replied, 'deliver', { deliveredOn: '2026-03-23' }, ctx(clerk, '2026-03-23')).next;
const underReview = applyRaw(delivered, 'request-review', { requestedOn: '2026-04-10' }, ctx(clerk, '2026-04-10')).next;
const reviewed = applyRaw(underReview, 'review-opinion', { outcome: 'reject', summary: '维持', deliveredOn: '2026-05-08' }, ctx(clerk, '2026-05-08')).next;
const underRereview = applyRaw(reviewed, 'request-rereview', { requestedOn: '2026-05-20' }, ctx(clerk, '2026-05-20')).next;

describe('dates a user records', () => {
  it.each([
    ['a delivery before the reply was approved', replied, 'deliver', { deliveredOn: '2020-01-01' }, '2026-03-23', 'deliveredOn', 'approved'],
    ['a delivery the day before the approval', replied, 'deliver', { deliveredOn: '2026-03-20' }, '2026-03-23', 'deliveredOn', 'approved'],
    ['a delivery in the future', replied, 'deliver', { deliveredOn: '2026-03-24' }, '2026-03-23', 'deliveredOn', 'future'],
    ['a review request before the delivery', delivered, 'request-review', { requestedOn: '2026-03-22' }, '2026-04-10', 'requestedOn', 'delivery'],
    ['a review request in the future', delivered, 'request-review', { requestedOn: '2026-04-11' }, '2026-04-10', 'requestedOn', 'future'],
    [
      'a review opinion delivered before the request',
      underReview,
      'review-opinion',
      { outcome: 'reject', summary: '维持', deliveredOn: '2026-04-09' },
      '2026-05-08',
      'deliveredOn',
      'review request',
    ],
    [
      'a re-review request before the review opinion was delivered',
      reviewed,
      'request-rereview',
      { requestedOn: '2026-05-07' },
      '2026-05-20',
      'requestedOn',
      'review opinion',
    ],
    [
      'a re-review opinion delivered before the request',
      underRereview,
      'rereview-opinion',
      { outcome: 'reject', summary: '维持', deliveredOn: '2026-05-19' },
      '2026-06-15',
      'deliveredOn',
      're-review request',
    ],
  ] as const)('refuse %s, naming the field', (_name, c, action, input, today, field, why) => {
    const issues = refusal(() => applyRaw(c, action, input, ctx(action === 'rereview-opinion' ? director : clerk, today)));
    expect(issues).not.toBe('accepted');
    expect(issues).toEqual([{ field, reason: expect.stringContaining(why) }]);
  });

  it.each([
    ['a delivery on the day of approval', replied, 'deliver', { deliveredOn: '2026-03-21' }, '2026-03-23'],
    ['a review request on the day of delivery', delivered, 'request-review', { requestedOn: '2026-03-23' }, '2026-03-23'],
    [
      'a review opinion delivered the day it was requested',
      underReview,
      'review-opinion',
      { outcome: 'reject', summary: '维持', deliveredOn: '2026-04-10' },
      '2026-04-10',
    ],
    ['a re-review request the day the review opinion was delivered', reviewed, 'request-rereview', { requestedOn: '2026-05-08' }, '2026-05-08'],
  ] as const)('take %s', (_name, c, action, input, today) => {
    expect(refusal(() => applyRaw(c, action, input, ctx(clerk, today)))).toBe('accepted');
  });
});

/**
 * 网上信访's pure rules (shared/domain/online.ts): the proof-of-work challenge, the fixed windows
 * of the limits, which transitions text the petitioner, 催办's overdue clock, and the duplicate
 * rule that never names someone else's case.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/domain/case';
import {
  checkChallenge,
  createChallenge,
  duplicateOf,
  matterKey,
  overdueClock,
  petitionerSmsEvent,
  rateWindow,
  smsText,
  solveChallenge,
} from '../../../shared/domain/online';

const KEY = 'test-key';
const NOW = new Date('2026-03-02T01:00:00Z');

describe('the proof-of-work challenge', () => {
  it('accepts the solved number before expiry, and refuses a forged signature, a wrong number or a late answer', () => {
    const c = createChallenge(KEY, { now: NOW, maxNumber: 50, seconds: 600 });
    const number = solveChallenge(c) as number;
    const answer = { algorithm: 'SHA-256' as const, challenge: c.challenge, salt: c.salt, signature: c.signature, number };
    expect(checkChallenge(KEY, answer, NOW)).toBe('ok');
    expect(checkChallenge('other-key', answer, NOW)).toBe('bad-signature');
    expect(checkChallenge(KEY, { ...answer, number: number + 1 }, NOW)).toBe('wrong-number');
    expect(checkChallenge(KEY, answer, new Date(NOW.getTime() + 601_000))).toBe('expired');
  });
});

describe('the windows of the limits', () => {
  it('are aligned to Beijing midnight and say how long is left', () => {
    const day = rateWindow(new Date('2026-03-02T15:59:00Z'), 86_400); // 23:59 in Beijing
    expect(day.start).toBe('2026-03-01T16:00:00.000Z');
    expect(day.secondsLeft).toBe(60);
    expect(rateWindow(new Date('2026-03-02T16:00:00Z'), 86_400).start).toBe('2026-03-02T16:00:00.000Z');
  });
});

describe('the SMS of a transition', () => {
  it('goes at acceptance (also accepted and assigned at once), decline, transfer, extension, reply, review and re-review', () => {
    const at = (from: Case['status'], to: Case['status'], type = 'x') => petitionerSmsEvent({ status: from }, { status: to }, type);
    expect(at('registered', 'accepted')).toBe('accepted');
    expect(at('registered', 'assigned')).toBe('accepted');
    expect(at('accepted', 'assigned')).toBeNull();
    expect(at('registered', 'declined')).toBe('declined');
    expect(at('registered', 'transferred')).toBe('transferred');
    expect(at('assigned', 'assigned', 'case.extended')).toBe('extended');
    expect(at('answered', 'replied')).toBe('replied');
    expect(at('under_review', 'reviewed')).toBe('reviewed');
    expect(at('under_rereview', 'final')).toBe('rereviewed');
    expect(at('replied', 'delivered')).toBeNull();
    expect(smsText({ smsSignature: '【某市信访局】', smsTemplates: {} }, 'accepted', { caseNo: 'XF-2026-000001' })).toMatch(
      /^【某市信访局】.*XF-2026-000001.*已受理/,
    );
  });
});

describe('催办 and duplicates', () => {
  const running = (due: string) => ({ status: 'running', due }) as Case['clocks'][string];
  it('finds the earliest running clock past its due date', () => {
    expect(overdueClock({ clocks: { notify: running('2026-03-17') } }, '2026-03-17')).toBeNull();
    expect(overdueClock({ clocks: { notify: running('2026-03-17'), handling: running('2026-03-10') } }, '2026-03-18')).toEqual({
      kind: 'handling',
      due: '2026-03-10',
    });
  });

  it('names an open online case only when it carries every key of the person now verified', () => {
    const earlier = {
      caseNo: 'XF-2026-000001',
      status: 'registered',
      channel: { type: 'online' },
      petitionerKeys: ['id:a', 'np:b'],
      subject: '请求解决 欠薪！',
      category: 'labour',
    } as Case;
    const draft = { subject: '请求解决欠薪', category: 'labour' };
    expect(matterKey(draft.subject, draft.category)).toBe(matterKey(earlier.subject, earlier.category));
    expect(duplicateOf([earlier], draft, ['id:a', 'np:b'])?.caseNo).toBe('XF-2026-000001');
    // The same ID number from another mobile: someone else, told nothing.
    expect(duplicateOf([earlier], draft, ['id:a', 'np:c'])).toBeUndefined();
    expect(duplicateOf([{ ...earlier, status: 'closed' }], draft, ['id:a', 'np:b'])).toBeUndefined();
  });
});

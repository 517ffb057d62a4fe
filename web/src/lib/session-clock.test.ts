/** The session's recheck timer: due 1 s after the expiry, and never a wait the browser runs at once. */
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, recheckDelayMs, sameSession } from './session-clock';

const NOW = Date.parse('2026-09-14T01:30:00Z');

describe('recheckDelayMs', () => {
  it('is due one second after the expiry', () => {
    expect(recheckDelayMs(NOW / 1000 + 3600, NOW)).toBe(3_601_000);
  });

  it('is due in one second when the session has already expired', () => {
    expect(recheckDelayMs(NOW / 1000 - 60, NOW)).toBe(1000);
  });

  it('stays within what setTimeout honours when the computer clock is weeks behind the token', () => {
    // A page clock 60 days behind the issuer's: a longer wait would fire at once, then again, in a loop.
    const expiresAt = NOW / 1000 + 60 * 86_400 + 3600;
    expect(recheckDelayMs(expiresAt, NOW)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(recheckDelayMs(expiresAt, NOW)).toBeGreaterThan(20 * 86_400_000);
  });
});

describe('sameSession', () => {
  it('is the same sign-in for another read of the same token, not for another token or none', () => {
    expect(sameSession({ token: 'a.b.c' }, { token: 'a.b.c' })).toBe(true);
    expect(sameSession(undefined, undefined)).toBe(true);
    expect(sameSession({ token: 'a.b.c' }, { token: 'a.b.d' })).toBe(false);
    expect(sameSession({ token: 'a.b.c' }, undefined)).toBe(false);
  });
});

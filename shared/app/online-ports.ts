/**
 * Ports of the online petitions (shared/app/online.ts): the rate-limit counters, the SMS
 * verification codes, and the SMS sender. shared/adapters/online-store.ts implements the first
 * two over the table; the SMS sender is AWS End User Messaging SMS in AWS
 * (shared/adapters/sms-sender.ts) and a file in the outbox folder locally. No AWS SDK here.
 */
import type { RateLimit } from '../domain/online';

export interface RateCheck {
  allowed: boolean;
  /** Seconds until the current window ends (Retry-After). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /**
   * Counts one hit of `subject` (a keyed hash) under `bucket` in the current window of `limit`;
   * when the limit is reached nothing is counted and `allowed` is false.
   */
  hit(bucket: string, subject: string, limit: RateLimit, now: Date): Promise<RateCheck>;
  /** Marks a one-time token (a solved challenge) used until `expiresAt`: true the first time only. */
  claimOnce(kind: string, subject: string, expiresAt: Date): Promise<boolean>;
}

export type SmsCodeCheck = 'ok' | 'wrong' | 'locked' | 'none';

export interface SmsCodeStore {
  /** Keeps the (hashed) code of a number until `expiresAt`, replacing any earlier one. */
  save(phoneKey: string, codeHash: string, expiresAt: Date): Promise<void>;
  /**
   * Uses the code of a number: `ok` once (the code is deleted), `wrong` (a try counted),
   * `locked` (too many wrong tries: the code is dead), `none` (no live code).
   */
  consume(phoneKey: string, codeHash: string, maxAttempts: number, now: Date): Promise<SmsCodeCheck>;
}

export interface SmsMessage {
  /** A mainland mobile number, 11 digits. */
  to: string;
  /** The whole text, signature included. */
  text: string;
  /** What it is about (`code`, `XF-2026-000001#accepted`): the local file's name, the AWS message's context. */
  ref: string;
}

export interface SmsSender {
  readonly channel: string;
  send(message: SmsMessage): Promise<void>;
}

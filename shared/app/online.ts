/**
 * 网上信访: the petitioner's online submission, and the limits that protect it and the public
 * query (docs/online.md). The challenge (a proof of work, self-hosted), the SMS verification code
 * (rate-limited per number, per client IP and per ID number), the submission (the code used once,
 * a daily cap per verified number, the duplicate check), then the registry registers it like a
 * letter. Every limit answers 429 with a message in Chinese and Retry-After; counters are keyed
 * by keyed hashes (never a raw number or address). No AWS SDK: the ports are injected.
 */
import { hkdfSync } from 'node:crypto';
import { RateLimitedError, RuleViolationError, ValidationError } from '../domain/errors';
import type { OfficeSettings } from '../domain/office';
import {
  checkChallenge,
  createChallenge,
  duplicateOf,
  ipSubject,
  newSmsCode,
  smsCodeHash,
  smsText,
  submissionToRegistration,
  type Challenge,
  type OnlineSubmission,
  type RateLimit,
  type SmsCodeRequest,
} from '../domain/online';
import { RegistrationSchema } from '../domain/case';
import { parseInput } from '../domain/validation';
import { normaliseCaseNumber } from '../domain/numbers';
import { keyedHash, maskPhone, petitionerIdentityKeys, type HashKey } from '../domain/pii';
import { shanghaiDate, type Clock } from '../domain/time';
import type { RateLimiter, SmsCodeStore, SmsSender } from './online-ports';
import type { Registry, UploadLink } from './registry';

export interface OnlineDeps {
  registry: Registry;
  limiter: RateLimiter;
  codes: SmsCodeStore;
  sms: SmsSender;
  settings: OfficeSettings;
  piiKey: HashKey;
  clock: Clock;
}

/** What the petitioner gets back from a submission: shown once, on the receipt page. */
export interface OnlineReceipt {
  caseNo: string;
  queryCode: string;
  receivedOn: string;
  /** When the office must tell whether it accepts (15 days, Art. 22). */
  notifyDue?: string;
  /** The receipt (受理凭证) as a PDF, downloadable with the case number and the query code. */
  receiptDocumentId?: string;
  uploads: UploadLink[];
}

const CHALLENGE_INFO = 'xinfang-registry/online-challenge/v1';

/** The bucket names of the counters (part of their keys: shared/storage/online-keys.ts). */
export const LIMIT_BUCKETS = {
  challenge: 'challenge',
  smsPerNumber: 'sms-number',
  smsPerIp: 'sms-ip',
  smsPerId: 'sms-id',
  submissionsPerNumber: 'submit-number',
  queryPerCase: 'query-case',
  queryPerIp: 'query-ip',
} as const;

function minutes(seconds: number): string {
  return seconds >= 3600 ? `${Math.ceil(seconds / 3600)}小时` : `${Math.max(1, Math.ceil(seconds / 60))}分钟`;
}

export class OnlinePetitions {
  private readonly challengeKey: Buffer;
  constructor(private readonly deps: OnlineDeps) {
    this.challengeKey = Buffer.from(hkdfSync('sha256', deps.piiKey, Buffer.alloc(0), CHALLENGE_INFO, 32));
  }

  private get policy() {
    return this.deps.settings.online;
  }

  /** A subject of a counter: a keyed hash, so the table holds no raw number or address. */
  private subject(kind: string, value: string): string {
    return keyedHash(this.deps.piiKey, `${kind}|${value}`);
  }

  private async limit(bucket: string, value: string, limit: RateLimit, message: (retryAfter: number) => string): Promise<void> {
    const check = await this.deps.limiter.hit(bucket, this.subject(bucket, value), limit, this.deps.clock.now());
    if (!check.allowed) throw new RateLimitedError(message(check.retryAfterSeconds), check.retryAfterSeconds, { limit: bucket });
  }

  /** A new challenge for the browser to solve (nothing stored: it is signed). */
  challenge(): Challenge {
    return createChallenge(this.challengeKey, { now: this.deps.clock.now(), maxNumber: this.policy.challengeMaxNumber, seconds: this.policy.challengeSeconds });
  }

  /**
   * Sends a verification code to a mobile number, once the challenge is solved (each challenge
   * answers once) and within the limits per number, per client IP and per ID number.
   */
  async requestSmsCode(request: SmsCodeRequest, sourceIp: string | undefined): Promise<{ sentTo: string; expiresInSeconds: number }> {
    const { phone, idNumber, challenge } = request;
    const now = this.deps.clock.now();
    const check = checkChallenge(this.challengeKey, challenge, now);
    if (check === 'expired') throw ValidationError.field('challenge', '人机验证已过期，请重新验证');
    if (check !== 'ok') throw ValidationError.field('challenge', '人机验证未通过，请重新验证');
    // Each challenge answers once (marked used until well past its expiry).
    const expires = new Date(now.getTime() + this.policy.challengeSeconds * 1000);
    if (!(await this.deps.limiter.claimOnce(LIMIT_BUCKETS.challenge, this.subject(LIMIT_BUCKETS.challenge, challenge.signature), expires)))
      throw ValidationError.field('challenge', '人机验证已使用过，请重新验证');
    const p = this.policy;
    await this.limit(LIMIT_BUCKETS.smsPerIp, ipSubject(sourceIp), p.smsCodePerIp, (s) => `本网络获取验证码过于频繁，请${minutes(s)}后再试`);
    await this.limit(LIMIT_BUCKETS.smsPerNumber, phone, p.smsCodePerNumber, (s) => `该手机号码获取验证码过于频繁，请${minutes(s)}后再试`);
    await this.limit(LIMIT_BUCKETS.smsPerId, idNumber, p.smsCodePerIdNumber, (s) => `该身份证号码获取验证码过于频繁，请${minutes(s)}后再试`);
    const code = newSmsCode();
    const expiresInSeconds = p.smsCodeSeconds;
    await this.deps.codes.save(this.subject('sms-code', phone), smsCodeHash(this.deps.piiKey, phone, code), new Date(now.getTime() + expiresInSeconds * 1000));
    await this.deps.sms.send({
      to: phone,
      text: smsText(p, 'code', { code, minutes: String(Math.round(expiresInSeconds / 60)) }),
      ref: `code-${now.getTime()}`,
    });
    return { sentTo: maskPhone(phone), expiresInSeconds };
  }

  /**
   * The submission: the SMS code (used once), the attachments within the public limits, the daily
   * cap of the verified number, the duplicate check (the same verified person and matter, still
   * open: told its number — never anything about anyone else's case), then registered.
   */
  /** `s`: the parsed submission (OnlineSubmissionSchema, the route's body). */
  async submit(s: OnlineSubmission): Promise<OnlineReceipt> {
    const p = this.policy;
    if (s.attachments.length > p.maxAttachments) throw ValidationError.field('attachments', `最多上传${p.maxAttachments}个附件`);
    s.attachments.forEach((a, i) => {
      if (a.size > p.maxAttachmentBytes)
        throw ValidationError.field(`attachments.${i}.size`, `单个附件不超过${Math.floor(p.maxAttachmentBytes / 1024 / 1024)}MB`);
    });
    if (!this.deps.settings.categories.some((c) => c.code === s.category && !c.retired) || s.category === 'accusation')
      throw ValidationError.field('category', '请选择问题类别（检举控告请向纪检监察机关反映）');

    const now = this.deps.clock.now();
    const used = await this.deps.codes.consume(this.subject('sms-code', s.phone), smsCodeHash(this.deps.piiKey, s.phone, s.smsCode), p.smsCodeAttempts, now);
    if (used === 'wrong') throw ValidationError.field('smsCode', '短信验证码不正确');
    if (used === 'locked') throw ValidationError.field('smsCode', '短信验证码错误次数过多，请重新获取');
    if (used === 'none') throw ValidationError.field('smsCode', '短信验证码已失效，请重新获取');

    await this.limit(
      LIMIT_BUCKETS.submissionsPerNumber,
      s.phone,
      { limit: p.submissionsPerNumberPerDay, windowSeconds: 86_400 },
      () => `同一手机号码每天最多提交${p.submissionsPerNumberPerDay}件信访事项，请明天再提交`,
    );

    const today = shanghaiDate(now);
    const registration = submissionToRegistration(s, today);
    // The person now verified: their ID number, and their name with the mobile just verified.
    const verifiedKeys = petitionerIdentityKeys(this.deps.piiKey, { name: s.name, idNumber: s.idNumber, phone: s.phone });
    const earlier = await this.deps.registry.casesOfPetitioner(verifiedKeys.slice(0, 1));
    const duplicate = duplicateOf(earlier, { subject: registration.subject, category: s.category }, verifiedKeys);
    if (duplicate)
      throw new RuleViolationError(`您反映的该事项已登记，案件编号${duplicate.caseNo}，请勿重复提交。可凭案件编号和查询码查询办理进度。`, {
        caseNo: duplicate.caseNo,
        reason: 'duplicate',
      });

    // The submission becomes a registration here: checked by the registration's own schema, once.
    const registered = await this.deps.registry.registerOnline(parseInput(RegistrationSchema, registration), { smsOptOut: s.smsOptOut });
    const c = registered.case;
    return {
      caseNo: c.caseNo,
      queryCode: registered.queryCode,
      receivedOn: c.receivedOn,
      notifyDue: c.clocks.notify?.due,
      ...(registered.receiptDocumentId ? { receiptDocumentId: registered.receiptDocumentId } : {}),
      uploads: registered.uploads,
    };
  }
}

/**
 * The limits of the public query and of everything that takes a case number and a query code
 * (rating, downloads, 催办): per case number — counted whether or not the case exists, so a
 * refusal reveals nothing — and per client IP.
 */
export class QueryLimits {
  constructor(private readonly deps: Pick<OnlineDeps, 'limiter' | 'settings' | 'piiKey' | 'clock'>) {}

  async guard(caseNo: string, sourceIp: string | undefined): Promise<void> {
    const p = this.deps.settings.online;
    const now = this.deps.clock.now();
    const hit = async (bucket: string, value: string, limit: RateLimit, message: (s: number) => string) => {
      const check = await this.deps.limiter.hit(bucket, keyedHash(this.deps.piiKey, `${bucket}|${value}`), limit, now);
      if (!check.allowed) throw new RateLimitedError(message(check.retryAfterSeconds), check.retryAfterSeconds, { limit: bucket });
    };
    await hit(LIMIT_BUCKETS.queryPerIp, ipSubject(sourceIp), p.queryPerIp, (s) => `查询过于频繁，请${minutes(s)}后再试`);
    await hit(LIMIT_BUCKETS.queryPerCase, normaliseCaseNumber(caseNo), p.queryPerCase, (s) => `该案件编号查询次数过多，请${minutes(s)}后再试`);
  }
}

/**
 * 网上信访: the petitioner's online submission (DESIGN §1), pure. The office's settings for it
 * (limits, the challenge's difficulty, the SMS templates), the submission's schema and how it
 * becomes a registration, the self-hosted proof-of-work challenge (ALTCHA's format: the browser
 * finds the number whose SHA-256 with the salt is the challenge; the server signed the challenge
 * with an HMAC, so it keeps no state until the answer comes back), the SMS texts, and the
 * duplicate rule. No I/O: the use case (shared/app/online.ts) does the reading and writing.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Case, CaseStatus, RegistrationInput } from './case';
import { LocalityCodeSchema, OPEN_STATUSES, PETITIONER_NAME_MAX } from './case';
import type { ClockKind } from './clocks';
import { IdNumberSchema } from './pii';
import { MOBILE_PATTERN, normaliseName, normalisePhone } from './pii-validation';
import { MAX_REPRESENTATIVES } from './taxonomy';
import { oneLine } from './validation';

// ---------------------------------------------------------------------------------------------
// Settings (OFFICE_CONFIG `online`)

/** A limit: at most `limit` hits per window of `windowSeconds` (fixed windows, aligned to Beijing midnight). */
export const RateLimitSchema = z.object({
  limit: z.number().int().min(1).max(100_000),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(31 * 86_400),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** The notices a petitioner receives by SMS, by the event that sends them. */
export const SMS_EVENTS = ['code', 'accepted', 'declined', 'transferred', 'extended', 'replied', 'reviewed', 'rereviewed', 'urged'] as const;
export type SmsEvent = (typeof SMS_EVENTS)[number];

/**
 * Default wording (China's SMS templates are approved with their signature; an office sets its
 * own). Placeholders: {{caseNo}}, {{code}} (the verification code), {{minutes}}.
 */
export const DEFAULT_SMS_TEMPLATES: Record<SmsEvent, string> = {
  code: '您的网上信访验证码为{{code}}，{{minutes}}分钟内有效。如非本人操作，请忽略本短信。',
  accepted: '您的信访事项（编号{{caseNo}}）已受理。请凭案件编号和查询码在网上信访查询页面查看进度、下载受理告知书。',
  declined: '您的信访事项（编号{{caseNo}}）不予受理。请凭案件编号和查询码在网上信访查询页面下载不予受理告知书，了解理由和途径。',
  transferred: '您的信访事项（编号{{caseNo}}）已转送有权处理的机关。请凭案件编号和查询码在网上信访查询页面下载转送告知书。',
  extended: '您的信访事项（编号{{caseNo}}）办理期限已延长。请凭案件编号和查询码在网上信访查询页面下载延期办理告知书。',
  replied: '您的信访事项（编号{{caseNo}}）已出具信访处理意见书。请凭案件编号和查询码在网上信访查询页面下载。',
  reviewed: '您的信访事项（编号{{caseNo}}）复查意见已作出。请凭案件编号和查询码在网上信访查询页面下载复查意见书。',
  rereviewed: '您的信访事项（编号{{caseNo}}）复核意见已作出。请凭案件编号和查询码在网上信访查询页面下载复核意见书。',
  urged: '您对信访事项（编号{{caseNo}}）的催办已收到，我们已督促承办单位尽快办理。',
};

export const OnlineSettingsSchema = z.object({
  /** The proof-of-work challenge: the browser tries numbers up to this (ALTCHA's `maxnumber`); ~50,000 is about a second on a phone. */
  challengeMaxNumber: z.number().int().min(1).max(10_000_000).default(50_000),
  /** How long a challenge may be answered, seconds. */
  challengeSeconds: z.number().int().min(30).max(3600).default(600),
  /** How long an SMS verification code is valid, and how many wrong tries it takes. */
  smsCodeSeconds: z.number().int().min(60).max(3600).default(600),
  smsCodeAttempts: z.number().int().min(1).max(20).default(5),
  /** SMS codes sent per mobile number, per client IP, per ID number. */
  smsCodePerNumber: RateLimitSchema.default({ limit: 5, windowSeconds: 3600 }),
  smsCodePerIp: RateLimitSchema.default({ limit: 20, windowSeconds: 3600 }),
  smsCodePerIdNumber: RateLimitSchema.default({ limit: 10, windowSeconds: 86_400 }),
  /** Submissions per verified mobile number and day (Beijing). */
  submissionsPerNumberPerDay: z.number().int().min(1).max(100).default(3),
  /** The public query (case number + query code, also rating, downloads, 催办): per case and per client IP. */
  queryPerCase: RateLimitSchema.default({ limit: 30, windowSeconds: 3600 }),
  queryPerIp: RateLimitSchema.default({ limit: 120, windowSeconds: 3600 }),
  /** 催办: at most once per this many days per case. */
  urgeIntervalDays: z.number().int().min(1).max(90).default(7),
  /** Attachments of an online submission: how many, how large each. */
  maxAttachments: z.number().int().min(0).max(20).default(5),
  maxAttachmentBytes: z
    .number()
    .int()
    .min(1)
    .default(20 * 1024 * 1024),
  /** The SMS signature, as approved (【…】 around the office's name). */
  smsSignature: z
    .string()
    .regex(/^【[^【】]{2,16}】$/, 'the signature is the office name in 【】')
    .default('【江川市信访局】'),
  /** The office's wording of each SMS (approved templates); the defaults where absent. */
  smsTemplates: z.partialRecord(z.enum(SMS_EVENTS), z.string().min(1).max(300)).default({}),
});
export type OnlineSettings = z.infer<typeof OnlineSettingsSchema>;
export const DEFAULT_ONLINE_SETTINGS: OnlineSettings = Object.freeze(OnlineSettingsSchema.parse({}));

/** An SMS text: the office's (or the default) template with its placeholders filled, signature first. */
export function smsText(settings: Pick<OnlineSettings, 'smsSignature' | 'smsTemplates'>, event: SmsEvent, params: Record<string, string>): string {
  const template = settings.smsTemplates[event] ?? DEFAULT_SMS_TEMPLATES[event];
  return settings.smsSignature + template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => params[name] ?? '');
}

// ---------------------------------------------------------------------------------------------
// The submission

export const MobileSchema = z
  .string()
  .trim()
  .overwrite(normalisePhone)
  .refine((s) => MOBILE_PATTERN.test(s), { message: '请填写11位手机号码' });

/** A Beijing-time client's attachment: the same types as the office's scans (PDF, JPEG, PNG). */
export const PublicUploadSchema = z.object({
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  size: z.number().int().positive(),
  fileName: z.string().trim().min(1).max(200),
});

/** The solved challenge, as the browser sends it back (ALTCHA's payload). */
export const ChallengeSolutionSchema = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string().regex(/^[0-9a-f]{64}$/),
  number: z.number().int().min(0).max(10_000_000),
  salt: z.string().min(8).max(200),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ChallengeSolution = z.infer<typeof ChallengeSolutionSchema>;

export const SmsCodeRequestSchema = z.object({
  phone: MobileSchema,
  idNumber: IdNumberSchema,
  challenge: ChallengeSolutionSchema,
});
export type SmsCodeRequest = z.infer<typeof SmsCodeRequestSchema>;

export const ITEM_TYPES_ONLINE = ['request-appeal', 'suggestion'] as const;

export const OnlineSubmissionSchema = z
  .object({
    name: oneLine(PETITIONER_NAME_MAX),
    idNumber: IdNumberSchema,
    phone: MobileSchema,
    /** The 6-digit code of the SMS sent to `phone`. */
    smsCode: z.string().regex(/^\d{6}$/, '请填写6位短信验证码'),
    address: z.string().trim().min(1, '请填写住址').max(200),
    /** 问题属地: where the matter happened (district, street). */
    issueLocality: z.string().trim().min(1, '请填写问题属地').max(100),
    /** 问题属地 as the office's locality code (OFFICE_CONFIG `localities`, the reports' dimension), when the page offers them. */
    locality: LocalityCodeSchema.optional(),
    category: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a category code'),
    itemType: z.enum(ITEM_TYPES_ONLINE).default('request-appeal'),
    /** 标题: printed in every letter of the case. */
    title: oneLine(50),
    /** 诉求. */
    request: z.string().trim().min(1, '请填写诉求').max(500, '诉求不超过500字'),
    /** 事实和理由. */
    facts: z.string().trim().min(1, '请填写事实和理由').max(5000, '事实和理由不超过5000字'),
    /** A collective petition: how many persons, and their elected representatives (at most 5, Art. 20). */
    persons: z.number().int().min(1).max(10_000).default(1),
    representatives: z
      .array(oneLine(PETITIONER_NAME_MAX))
      .max(MAX_REPRESENTATIVES, `代表人不超过${MAX_REPRESENTATIVES}人（《信访工作条例》第二十条）`)
      .default([]),
    attachments: z.array(PublicUploadSchema).max(20).default([]),
    /** No SMS notices about this case (the verification code is sent regardless). */
    smsOptOut: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (s.persons < 1 + s.representatives.length) ctx.addIssue({ code: 'custom', path: ['persons'], message: '人数不少于信访人与代表人之和' });
  });
export type OnlineSubmission = z.infer<typeof OnlineSubmissionSchema>;

/** The submission as a registration of the office (channel 网上信访, received today). */
export function submissionToRegistration(s: OnlineSubmission, today: string): RegistrationInput {
  return {
    petitioners: [{ name: s.name, idNumber: s.idNumber, phone: s.phone, address: s.address }, ...s.representatives.map((name) => ({ name }))],
    persons: Math.max(s.persons, 1 + s.representatives.length),
    representatives: s.representatives,
    channel: { type: 'online' },
    itemType: s.itemType,
    category: s.category,
    subject: s.title,
    summary: `诉求：${s.request}\n问题属地：${s.issueLocality}`,
    fullText: `诉求：\n${s.request}\n\n事实和理由：\n${s.facts}`,
    receivedOn: today,
    ...(s.locality ? { locality: s.locality } : {}),
    uploads: s.attachments.map((a) => ({ kind: 'attachment' as const, ...a })),
  };
}

const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;

/** A matter as compared for duplicates: the title and the request, without spacing or punctuation. */
export function matterKey(subject: string, category: string): string {
  return `${category}|${subject.normalize('NFKC').replace(PUNCTUATION, '').toUpperCase()}`;
}

/**
 * An earlier case that the same verified person submitted about the same matter and that is still
 * open: the submitter is told its number. `verifiedKeys` are the identity keys of the person now
 * verified (ID number, and name + the verified mobile): the earlier case must carry both, so no
 * other person's case is ever named.
 */
export function duplicateOf(earlier: readonly Case[], draft: { subject: string; category: string }, verifiedKeys: readonly string[]): Case | undefined {
  const key = matterKey(draft.subject, draft.category);
  return earlier.find(
    (c) =>
      c.channel.type === 'online' &&
      (OPEN_STATUSES as readonly CaseStatus[]).includes(c.status) &&
      verifiedKeys.every((k) => c.petitionerKeys.includes(k)) &&
      matterKey(c.subject, c.category) === key,
  );
}

/** Whether two names and mobiles are one person as typed (for messages; identity is by keyed hashes). */
export function samePerson(a: { name: string; phone: string }, b: { name: string; phone: string }): boolean {
  return normaliseName(a.name) === normaliseName(b.name) && normalisePhone(a.phone) === normalisePhone(b.phone);
}

// ---------------------------------------------------------------------------------------------
// The challenge (ALTCHA's proof of work, self-hosted)

export interface Challenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Uint8Array, s: string) => createHmac('sha256', key).update(s, 'utf8').digest('hex');

/** A new challenge: a random salt carrying its expiry, a secret number, and the HMAC of the challenge. */
export function createChallenge(key: string | Uint8Array, opts: { now: Date; maxNumber: number; seconds: number; number?: number }): Challenge {
  const expires = Math.floor(opts.now.getTime() / 1000) + opts.seconds;
  const salt = `${randomBytes(12).toString('hex')}?expires=${expires}`;
  const number = opts.number ?? randomInt(0, opts.maxNumber + 1);
  const challenge = sha256(`${salt}${number}`);
  return { algorithm: 'SHA-256', challenge, maxnumber: opts.maxNumber, salt, signature: hmac(key, challenge) };
}

export type ChallengeCheck = 'ok' | 'bad-signature' | 'wrong-number' | 'expired';

/** Whether a solution answers a challenge this key signed, before it expired. */
export function checkChallenge(key: string | Uint8Array, s: ChallengeSolution, now: Date): ChallengeCheck {
  const expected = Buffer.from(hmac(key, s.challenge), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(s.signature, 'hex'))) return 'bad-signature';
  if (sha256(`${s.salt}${s.number}`) !== s.challenge) return 'wrong-number';
  const m = /[?&]expires=(\d{1,12})(?:&|$)/.exec(s.salt);
  if (!m || Number(m[1]) * 1000 < now.getTime()) return 'expired';
  return 'ok';
}

/** Solves a challenge by trying every number (what the browser does; tests use it). */
export function solveChallenge(c: Pick<Challenge, 'challenge' | 'salt' | 'maxnumber'>): number | null {
  for (let n = 0; n <= c.maxnumber; n++) if (sha256(`${c.salt}${n}`) === c.challenge) return n;
  return null;
}

// ---------------------------------------------------------------------------------------------
// SMS codes

/** A 6-digit verification code. */
export function newSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: an HMAC bound to the number, never the code itself. */
export function smsCodeHash(key: string | Uint8Array, phone: string, code: string): string {
  return hmac(key, `sms-code|${normalisePhone(phone)}|${code}`);
}

// ---------------------------------------------------------------------------------------------
// Fixed windows

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The window of `now` for a limit: its start (an id) and how many seconds are left of it. Aligned to Beijing midnight. */
export function rateWindow(now: Date, windowSeconds: number): { start: string; secondsLeft: number; endsAt: Date } {
  const w = windowSeconds * 1000;
  const t = now.getTime() + BEIJING_OFFSET_MS;
  const startMs = Math.floor(t / w) * w - BEIJING_OFFSET_MS;
  const endsAt = new Date(startMs + w);
  return { start: new Date(startMs).toISOString(), secondsLeft: Math.max(1, Math.ceil((endsAt.getTime() - now.getTime()) / 1000)), endsAt };
}

/** A client's IP as a limit subject: an IPv6 address by its /64 (one subscriber's block). */
export function ipSubject(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  return ip.split(':').slice(0, 4).join(':') + '::/64';
}

// ---------------------------------------------------------------------------------------------
// Notices to the petitioner (SMS), at the transitions that send them a letter

/** The SMS a transition sends the petitioner, by the status it leads to (and the extension, which keeps it). */
export function petitionerSmsEvent(before: Pick<Case, 'status'>, after: Pick<Case, 'status' | 'extension'>, eventType: string): SmsEvent | null {
  if (eventType === 'case.extended') return 'extended';
  if (before.status === after.status) return null;
  switch (after.status) {
    case 'accepted':
      return 'accepted';
    case 'assigned':
      return before.status === 'registered' ? 'accepted' : null;
    case 'declined':
      return 'declined';
    case 'transferred':
      return 'transferred';
    case 'replied':
      return 'replied';
    case 'reviewed':
      return 'reviewed';
    case 'final':
      return 'rereviewed';
    default:
      return null;
  }
}

/** The clock an SMS of this event is about (a notice names one). */
export const SMS_EVENT_CLOCK: Record<Exclude<SmsEvent, 'code'>, ClockKind> = {
  accepted: 'notify',
  declined: 'notify',
  transferred: 'notify',
  extended: 'handling',
  replied: 'handling',
  reviewed: 'reviewDecision',
  rereviewed: 'rereviewDecision',
  urged: 'handling',
};

/** The mobile an SMS goes to: the verified number of an online petition, else the first petitioner's mobile; none after an opt-out. */
export function petitionerMobile(c: Pick<Case, 'petitioners' | 'smsOptOut'>): string | null {
  if (c.smsOptOut) return null;
  for (const p of c.petitioners) {
    const phone = p.phone === undefined ? '' : normalisePhone(p.phone);
    if (MOBILE_PATTERN.test(phone)) return phone;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// 催办: the petitioner urges an overdue case

/** Clocks the office answers for: once one of them is past its due date, the petitioner may urge. */
export const URGEABLE_CLOCKS = ['notify', 'handling', 'reviewDecision', 'rereviewDecision'] as const;

/** The office's clock of this case that is running past its due date (the earliest due), if any. */
export function overdueClock(c: Pick<Case, 'clocks'>, today: string): { kind: (typeof URGEABLE_CLOCKS)[number]; due: string } | null {
  let found: { kind: (typeof URGEABLE_CLOCKS)[number]; due: string } | null = null;
  for (const kind of URGEABLE_CLOCKS) {
    const clock = c.clocks[kind];
    if (!clock || clock.status !== 'running' || clock.due >= today) continue;
    if (!found || clock.due < found.due) found = { kind, due: clock.due };
  }
  return found;
}

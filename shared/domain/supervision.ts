/**
 * Supervision (督办) and notices, as the registry stores them (DESIGN §5). Pure: schemas and the
 * changes a supervision goes through; the sweep and the oversight use cases decide when.
 *
 * A supervision is one record per overdue clock and due date (`<kind>.<due>`): opened the day
 * after the due date at level `supervision`, raised to `flagged` (挂牌督办) past the policy's
 * threshold, and settled (`resolved`) when the clock stops or is extended. It is a conversation:
 * the supervised department answers in writing (text, optional documents of the case), and each
 * answer is kept with its time and author. It is "unanswered" while its current level has no
 * answer — a flagged supervision asks for a new report.
 */
import { z } from 'zod';
import { IsoDate, IsoInstant } from './case';
import { CLOCK_KINDS, type ClockKind } from './clocks';
import { ValidationError } from './errors';
import { recipientKey, type Recipient } from './sweep';

/** 督办 when a clock is overdue, 挂牌督办 when it is overdue by more than the office's threshold. */
export const SUPERVISION_LEVELS = ['supervision', 'flagged'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const SUPERVISION_LEVEL_LABELS: Readonly<Record<SupervisionLevel, string>> = { supervision: '督办', flagged: '挂牌督办' };

export const SupervisionLetterSchema = z.object({
  documentId: z.string(),
  documentNo: z.string().optional(),
  level: z.enum(SUPERVISION_LEVELS),
  issuedOn: IsoDate,
});

export type SupervisionLetter = z.infer<typeof SupervisionLetterSchema>;

export const SupervisionAnswerSchema = z.object({
  text: z.string(),
  documentIds: z.array(z.string()),
  /** The level the answer replies to. */
  level: z.enum(SUPERVISION_LEVELS),
  by: z.string(),
  byName: z.string().optional(),
  deptCode: z.string().optional(),
  at: IsoInstant,
});
export type SupervisionAnswer = z.infer<typeof SupervisionAnswerSchema>;

export const SupervisionSchema = z.object({
  /** `<kind>.<due>`, unique within the case. */
  supervisionId: z.string(),
  caseNo: z.string(),
  kind: z.enum(CLOCK_KINDS),
  /** The due date that was missed. */
  due: IsoDate,
  /** The department supervised; absent when the office itself held the case. */
  deptCode: z.string().optional(),
  subject: z.string(),
  level: z.enum(SUPERVISION_LEVELS),
  openedOn: IsoDate,
  flaggedOn: IsoDate.optional(),
  /** The 督办单 issued, one per level. */
  letters: z.array(SupervisionLetterSchema),
  answers: z.array(SupervisionAnswerSchema),
  status: z.enum(['open', 'resolved']),
  resolvedOn: IsoDate.optional(),
  resolution: z.string().optional(),
});
export type Supervision = z.infer<typeof SupervisionSchema>;

export function supervisionId(kind: ClockKind, due: string): string {
  return `${kind}.${due}`;
}

export function parseSupervisionId(id: string): { kind: ClockKind; due: string } | null {
  const m = /^([A-Za-z]+)\.(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (!m || !(CLOCK_KINDS as readonly string[]).includes(m[1] ?? '')) return null;
  return { kind: m[1] as ClockKind, due: m[2] as string };
}

export function isUnanswered(s: Supervision): boolean {
  return s.status === 'open' && !s.answers.some((a) => a.level === s.level);
}

export function openSupervision(input: {
  caseNo: string;
  kind: ClockKind;
  due: string;
  deptCode?: string;
  subject: string;
  level: SupervisionLevel;
  today: string;
}): Supervision {
  return {
    supervisionId: supervisionId(input.kind, input.due),
    caseNo: input.caseNo,
    kind: input.kind,
    due: input.due,
    ...(input.deptCode ? { deptCode: input.deptCode } : {}),
    subject: input.subject,
    level: input.level,
    openedOn: input.today,
    ...(input.level === 'flagged' ? { flaggedOn: input.today } : {}),
    letters: [],
    answers: [],
    status: 'open',
  };
}

export function flagSupervision(s: Supervision, today: string): Supervision {
  return { ...s, level: 'flagged', flaggedOn: today };
}

export function resolveSupervision(s: Supervision, today: string, resolution: string): Supervision {
  return { ...s, status: 'resolved', resolvedOn: today, resolution };
}

/** The written answer of a supervision (text 1–5000 characters, up to 20 documents of the case). */
export const SupervisionAnswerInputSchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(5000, 'must be at most 5000 characters'),
  documentIds: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type SupervisionAnswerInput = z.infer<typeof SupervisionAnswerInputSchema>;

export function answerSupervision(
  s: Supervision,
  input: SupervisionAnswerInput,
  by: { username: string; displayName?: string; deptCode?: string },
  at: Date,
): Supervision {
  if (s.status !== 'open') throw ValidationError.field('supervisionId', 'this supervision is settled; nothing to answer');
  const answer: SupervisionAnswer = {
    text: input.text,
    documentIds: [...new Set(input.documentIds)],
    level: s.level,
    by: by.username,
    ...(by.displayName ? { byName: by.displayName } : {}),
    ...(by.deptCode ? { deptCode: by.deptCode } : {}),
    at: at.toISOString(),
  };
  return { ...s, answers: [...s.answers, answer] };
}

// ---------------------------------------------------------------------------------------------
// Notices (the outbox)

export const RecipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('department'), deptCode: z.string() }),
  z.object({ kind: z.literal('director') }),
  z.object({ kind: z.literal('clerk') }),
  z.object({ kind: z.literal('petitioner'), phone: z.string().regex(/^1[3-9]\d{9}$/) }),
]) satisfies z.ZodType<Recipient>;

/** The notice's id: `<caseNo>#<clock>#<due>#<milestone>#<recipient>` (deterministic, so written once). */
/**
 * What a notice is about: one of a case's clocks, or `report` — the office's report of a period
 * frozen and published (issue 13; caseNo REPORT_NOTICE_CASE, due the period's last day).
 */
export const NOTICE_TOPICS = [...CLOCK_KINDS, 'report'] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];
/** The case number an office notice (not about one case) is filed under. */
export const REPORT_NOTICE_CASE = 'OFFICE';

export function noticeIdOf(n: { caseNo: string; clock: NoticeTopic; due: string; milestone: string; recipient: Recipient }): string {
  return `${n.caseNo}#${n.clock}#${n.due}#${n.milestone}#${recipientKey(n.recipient)}`;
}

/**
 * `pending` (waiting for a sender), `sending` (claimed under a lease), `sent`, `undeliverable` (no
 * address for the recipient), `failed` (given up after MAX_DELIVERY_ATTEMPTS; raises an alarm).
 */
export const NOTICE_STATUSES = ['pending', 'sending', 'sent', 'undeliverable', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const NoticeSchema = z.object({
  /** Deterministic: `<caseNo>#<clock>#<due>#<milestone>#<recipient>`; a notice is written once. */
  noticeId: z.string(),
  caseNo: z.string(),
  clock: z.enum(NOTICE_TOPICS),
  due: IsoDate,
  milestone: z.string(),
  recipient: RecipientSchema,
  subject: z.string(),
  body: z.string(),
  /** Civil date (Asia/Shanghai) of the sweep or action that wrote it. */
  createdOn: IsoDate,
  createdAt: IsoInstant,
  /** Documents the notice refers to (the 督办单). */
  documentIds: z.array(z.string()),
});
export type Notice = z.infer<typeof NoticeSchema>;

/** Delivery state kept beside the notice. */
export const DeliverySchema = z.object({
  status: z.enum(NOTICE_STATUSES),
  attempts: z.number().int().min(0),
  channel: z.string().optional(),
  sentAt: IsoInstant.optional(),
  error: z.string().optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

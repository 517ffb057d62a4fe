/**
 * The case record (信访事项) and its schemas. Every schema here is used three times: to validate
 * input at the HTTP edge, to parse what storage reads back, and to generate the OpenAPI document.
 */
import { z } from 'zod';
import { oneLine } from './validation';
import { CaseArchiveInfoSchema } from './archive-info';
import { CLOCK_KINDS, ClockStateSchema } from './clocks';
import { OpinionRecordSchema, OUTCOMES } from './opinion';
import { IdNumberSchema, PhoneSchema } from './pii';
import { CHANNELS, ITEM_TYPES, LEVEL_CHANNELS, MAX_REPRESENTATIVES, PETITION_LEVELS, STATUTORY_ROUTES } from './taxonomy';
import { WORKING_STATUSES } from './upload-rules';

export const STATUSES = [
  'registered', // 已登记
  'accepted', // 已受理
  'declined', // 不予受理
  'transferred', // 已转送
  'assigned', // 已交办
  'answered', // 已答复（待审批）
  'replied', // 已出具处理意见
  'delivered', // 已送达
  'under_review', // 复查中
  'reviewed', // 已复查
  'under_rereview', // 复核中
  'final', // 已复核终结
  'closed', // 已办结
  'archived', // 已归档
] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  accepted: '已受理',
  declined: '不予受理',
  transferred: '已转送',
  assigned: '已交办',
  answered: '已答复待审批',
  replied: '已出具处理意见',
  delivered: '已送达',
  under_review: '复查中',
  reviewed: '已复查',
  under_rereview: '复核中',
  final: '复核终结',
  closed: '已办结',
  archived: '已归档',
};

/** States in which the office is still working on the matter (for "matter in progress" warnings): upload-rules.ts's list, typed. */
export const OPEN_STATUSES: CaseStatus[] = [...WORKING_STATUSES];

/**
 * The one schema of a civil date the API takes (body, query, path) and stores: `YYYY-MM-DD` of a
 * day that exists (2026-02-30 and 2025-02-29 are refused). Its JSON Schema is
 * `format: date`, which is how the route-table test finds every date field.
 */
export const IsoDate = z.iso.date({ error: 'must be a real date YYYY-MM-DD' });
export const IsoInstant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** The longest petitioner name; a letter greets the first petitioner as `<name>等<persons>人`. */
export const PETITIONER_NAME_MAX = 50;
/** The most persons a petition represents (人次). */
export const MAX_PERSONS = 100_000;

export const PetitionerSchema = z.object({
  /** Printed in letters (the salutation): one line the letter font can draw (shared/domain/validation.ts). */
  name: oneLine(PETITIONER_NAME_MAX),
  idNumber: IdNumberSchema.optional(),
  phone: PhoneSchema.optional(),
  address: z.string().trim().max(200).optional(),
});
export type Petitioner = z.infer<typeof PetitionerSchema>;

export const ChannelSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.enum(
      CHANNELS.filter((c) => c !== 'referral') as [Exclude<(typeof CHANNELS)[number], 'referral'>, ...Exclude<(typeof CHANNELS)[number], 'referral'>[]],
    ),
  }),
  z.object({
    type: z.literal('referral'),
    /** The higher office that referred the matter (上级交转办机关). */
    fromOrgan: text(100),
    /** Its reference (交办文号). */
    reference: text(100),
    /** The deadline it set, if any. */
    deadline: IsoDate.optional(),
  }),
]);
export type Channel = z.infer<typeof ChannelSchema>;

/**
 * Which statutory routes have already accepted the matter (诉讼 / 仲裁 / 行政复议; Art. 31): keyed by
 * the route codes of taxonomy.ts, the same words a non-acceptance notice's `route.kind` uses. An
 * unknown key (the `court` of before) is refused, not dropped.
 */
export const StatutoryRouteFlagsSchema = z.strictObject({
  litigation: z.boolean().default(false),
  arbitration: z.boolean().default(false),
  reconsideration: z.boolean().default(false),
});
export type StatutoryRouteFlags = z.infer<typeof StatutoryRouteFlagsSchema>;
export const NO_STATUTORY_ROUTE: StatutoryRouteFlags = { litigation: false, arbitration: false, reconsideration: false };

/** The flags as stored: a case written before the rename carries `court` for `litigation`. */
const StoredStatutoryRouteFlagsSchema = z.preprocess((v) => {
  if (!v || typeof v !== 'object' || !('court' in v)) return v;
  const { court, ...rest } = v as Record<string, unknown>;
  return { litigation: court, ...rest };
}, StatutoryRouteFlagsSchema);

export const AccusedUnitSchema = z.object({
  name: text(100),
  /** When the accused unit is one of the office's departments: it must never see this case (Art. 30). */
  deptCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
    .optional(),
});

export const UPLOAD_KINDS = ['letter', 'attachment', 'response'] as const;
export const UploadRequestSchema = z.object({
  kind: z.enum(UPLOAD_KINDS),
  contentType: z.enum([
    'application/pdf',
    'image/jpeg',
    'image/png',
    'image/tiff',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ]),
  /** Declared size in bytes; the presigned POST only accepts this exact size. */
  size: z.number().int().positive(),
  fileName: text(200),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** A locality code (问题属地), like a category code. */
export const LocalityCodeSchema = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a locality code');

/** The longest full text of a letter (来信全文) a case keeps. */
export const FULL_TEXT_MAX = 50_000;

/**
 * The clerk's edit of the full text while the case is still being registered (status
 * `registered`): typed, or taken from the machine reading of its scans (`source: 'ocr'`, docs/ocr.md).
 */
export const FullTextInputSchema = z.object({
  fullText: z.string().max(FULL_TEXT_MAX),
  source: z.enum(['typed', 'ocr']).default('typed'),
});
export type FullTextInput = z.infer<typeof FullTextInputSchema>;

export const RegistrationSchema = z
  .object({
    petitioners: z.array(PetitionerSchema).min(1, 'at least one petitioner').max(30, 'at most 30 named petitioners; count the others in persons'),
    /** Number of persons (人次) the petition represents. */
    persons: z.number().int().min(1).max(MAX_PERSONS),
    /** Elected representatives (names), at most 5 (Art. 20). */
    representatives: z.array(text(50)).max(MAX_REPRESENTATIVES, `at most ${MAX_REPRESENTATIVES} representatives (Art. 20)`).default([]),
    channel: ChannelSchema,
    itemType: z.enum(ITEM_TYPES),
    category: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a category code'),
    /** 子类: a subcategory of `category` (optional; the office's taxonomy, 分类管理). */
    subcategory: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a category code')
      .optional(),
    /** 问题属地: the office's locality the matter is about (a code of OFFICE_CONFIG `localities`). */
    locality: LocalityCodeSchema.optional(),
    /** For a visit or a referral: the level it reached (越级到市访, 赴省访, 进京访; 本级访 otherwise). */
    level: z.enum(PETITION_LEVELS).optional(),
    accusedUnits: z.array(AccusedUnitSchema).max(20).default([]),
    /** Printed in every letter of the case: one line the letter font can draw. */
    subject: oneLine(100),
    summary: text(2000),
    fullText: z.string().max(FULL_TEXT_MAX).default(''),
    receivedOn: IsoDate,
    statutoryRoute: StatutoryRouteFlagsSchema.default(NO_STATUTORY_ROUTE),
    /** The clerk may link the case to an earlier one explicitly. */
    repeatOf: z.string().max(40).optional(),
    /** Scans to upload with the registration; each gets a presigned POST. */
    uploads: z
      .array(UploadRequestSchema.refine((u) => u.kind !== 'response', { message: 'registration uploads are letters or attachments', path: ['kind'] }))
      .max(20)
      .default([]),
  })
  .superRefine((r, ctx) => {
    if (r.persons < r.petitioners.length) {
      ctx.addIssue({ code: 'custom', path: ['persons'], message: 'must be at least the number of petitioners' });
    }
    if (r.level !== undefined && !LEVEL_CHANNELS.includes(r.channel.type)) {
      ctx.addIssue({ code: 'custom', path: ['level'], message: 'a level is recorded for a visit or a referral only' });
    }
    if (r.itemType === 'accusation' && r.accusedUnits.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['accusedUnits'], message: 'an accusation names at least one accused unit' });
    }
  });
export type Registration = z.infer<typeof RegistrationSchema>;
export type RegistrationInput = z.input<typeof RegistrationSchema>;

export const WARNING_KINDS = ['final-matter', 'matter-in-progress', 'earlier-cases'] as const;
export const WarningSchema = z.object({
  kind: z.enum(WARNING_KINDS),
  message: z.string(),
  caseNos: z.array(z.string()),
});
export type RegistrationWarning = z.infer<typeof WarningSchema>;

export const RATINGS = ['satisfied', 'basically-satisfied', 'unsatisfied'] as const;
export const RATING_LABELS: Record<(typeof RATINGS)[number], string> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  unsatisfied: '不满意',
};

const Stamp = { by: z.string(), at: IsoInstant };

/** A review or re-review stage: the request, and the opinion once delivered. */
const ReviewStageSchema = z.object({
  requestedOn: IsoDate,
  organ: z.string().optional(),
  opinion: z.object({ outcome: z.enum(OUTCOMES), summary: z.string(), deliveredOn: IsoDate, ...Stamp }).optional(),
  ...Stamp,
});

export const CaseSchema = z.object({
  caseNo: z.string(),
  year: z.number().int(),
  ruleSet: z.enum(['2022', '2005']),
  status: z.enum(STATUSES),
  /** Optimistic-concurrency version: the ETag; every state change increments it. */
  version: z.number().int().min(1),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  registeredBy: z.string(),
  queryCodeHash: z.string(),
  petitioners: z.array(PetitionerSchema),
  persons: z.number().int(),
  representatives: z.array(z.string()),
  collective: z.boolean(),
  channel: ChannelSchema,
  itemType: z.enum(ITEM_TYPES),
  category: z.string(),
  /** 子类 (absent on a case registered without one, or before the taxonomy had two levels). */
  subcategory: z.string().optional(),
  /** 问题属地 (absent on a case registered before it was recorded). */
  locality: z.string().optional(),
  /** The level a visit or referral reached (越级 statistics). */
  level: z.enum(PETITION_LEVELS).optional(),
  accusedUnits: z.array(AccusedUnitSchema),
  subject: z.string(),
  summary: z.string(),
  fullText: z.string(),
  receivedOn: IsoDate,
  statutoryRoute: StoredStatutoryRouteFlagsSchema,
  firstTime: z.boolean(),
  repeatOf: z.string().optional(),
  /** The petitioner asked for no SMS notices (网上信访: at submission). */
  smsOptOut: z.boolean().optional(),
  warnings: z.array(WarningSchema),
  /** Keyed hashes of the petitioners' identities (never raw numbers). */
  petitionerKeys: z.array(z.string()),
  proposal: z
    .object({
      action: z.enum(['accept', 'decline', 'transfer']),
      deptCode: z.string().optional(),
      transferTo: z.string().optional(),
      route: z.enum(STATUTORY_ROUTES).optional(),
      reason: z.string(),
      ...Stamp,
    })
    .optional(),
  decision: z
    .object({
      action: z.enum(['accept', 'decline', 'transfer']),
      reason: z.string().optional(),
      route: z.enum(STATUTORY_ROUTES).optional(),
      routeOrgan: z.string().optional(),
      transferTo: z.string().optional(),
      warningsOverride: z.string().optional(),
      /** The director's comment when approving a proposal (批办意见); `reason` is then the clerk's. */
      comment: z.string().optional(),
      ...Stamp,
    })
    .optional(),
  /** Current handling department (承办单位). */
  deptCode: z.string().optional(),
  /** Every department the case was ever assigned to (access: now or before). */
  departmentHistory: z.array(z.string()),
  extensionRequest: z.object({ days: z.number().int(), reason: z.string(), ...Stamp }).optional(),
  extension: z.object({ days: z.number().int(), reason: z.string(), newDue: IsoDate, ...Stamp }).optional(),
  answer: OpinionRecordSchema.extend({ note: z.string().optional(), ...Stamp }).optional(),
  returns: z.array(z.object({ comment: z.string(), ...Stamp })),
  reply: OpinionRecordSchema.extend({ ...Stamp }).optional(),
  delivery: z.object({ deliveredOn: IsoDate, method: z.string(), ...Stamp }).optional(),
  /** 复查: the request, and the opinion once delivered. */
  review: ReviewStageSchema.optional(),
  /** 复核: likewise; its opinion makes the matter final. */
  rereview: ReviewStageSchema.optional(),
  rating: z.object({ value: z.enum(RATINGS), comment: z.string().optional(), at: IsoInstant }).optional(),
  /** 催办: each time the petitioner urged an overdue clock from the public page. */
  urges: z.array(z.object({ at: IsoInstant, clock: z.enum(CLOCK_KINDS), due: IsoDate })).optional(),
  clocks: z.record(z.string(), ClockStateSchema),
  closed: z.object({ reason: z.string(), ...Stamp }).optional(),
  /** Set by the deadline sweep once a closed case may be archived (docs/sweeps.md, "Archive eligibility"). */
  archiveEligibleOn: IsoDate.optional(),
  /** Set by the archive run when the case is archived (DESIGN §6): archive number, retention, manifest hash. */
  archive: CaseArchiveInfoSchema.optional(),
  /** Audit chain head: number and hash of the last event. */
  auditSeq: z.number().int().min(0),
  auditHead: z.string(),
});
export type Case = z.infer<typeof CaseSchema>;

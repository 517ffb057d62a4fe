/**
 * What each letter must say, checked before anything is rendered or stored.
 *
 * `buildLetterContent(type, data, office, templates)` turns the data of one letter into its
 * LetterContent: every printed word resolved (template filled, document number formatted,
 * dates in Chinese), nothing left to the renderer but layout. It throws ValidationError naming
 * the missing or wrong field (`opinion.legalBasis`, `newDue`, `templates.handling-opinion`), so
 * the API answers 400 and stores nothing; there is no half-filled letter.
 *
 * The content hash (letterContentHash) is the SHA-256 of the canonical JSON of LetterContent,
 * not of the PDF bytes, so anyone holding the content can recompute it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_PERSONS, PETITIONER_NAME_MAX } from '../domain/case';
import { type FieldIssue } from '../domain/errors';
import { daysBetween } from '../domain/time';
import { bodyDate, chineseDate } from '../domain/chinese-date';
import { formatDocumentNumber, type OfficeConfig } from '../domain/office-letters';
import { DEFAULT_TEMPLATES, fillTemplate, validateTemplate, type LetterTemplates } from './templates';
import { LETTER_TITLES, LetterTypeSchema, type LetterType } from '../domain/letter-types';
import { checkOpinion, enumOf, OUTCOME_LABELS, OpinionSchema } from '../domain/opinion';
import { SUPERVISION_LEVELS, type SupervisionLevel } from '../domain/supervision';
import { MAX_EXTENSION_DAYS } from '../domain/statute';
import { ruleFor } from '../domain/clocks/rules';
import { CHANNELS, STATUTORY_ROUTES, type ChannelType, type StatutoryRoute } from '../domain/taxonomy';
import { isoDate, issuesToError, oneLine, zodToValidationError } from '../domain/validation';

// ---------------------------------------------------------------------------------------------
// Time limits the letters state (信访工作条例 2022)

/** Review request window: 30 days from receipt of the handling opinion (Art. 35), as the clock rules count it. */
export const REVIEW_REQUEST_DAYS = ruleFor('reviewRequestWindow', '2022').length;
/** Re-review request window: 30 days from receipt of the review opinion (Art. 36), as the clock rules count it. */
export const REREVIEW_REQUEST_DAYS = ruleFor('rereviewRequestWindow', '2022').length;
/** How far a due date can move forward off rest days: the longest holiday block and its weekend. */
export const MAX_HOLIDAY_ROLL_DAYS = 10;

/** The sentence that makes a re-review final (Art. 36 ¶3). */
export const FINALITY_TEXT = '信访人对复核意见不服，仍以同一事实和理由提出投诉请求的，不再受理。';

// ---------------------------------------------------------------------------------------------
// Vocabularies

/** How a non-acceptance notice names the statutory route (Art. 31, 诉访分离; the routes: taxonomy.ts). */
const ROUTE_TEXT: Readonly<Record<Exclude<StatutoryRoute, 'other'>, { route: string; action: string }>> = {
  litigation: { route: '诉讼', action: '提起诉讼' },
  arbitration: { route: '仲裁', action: '申请仲裁' },
  reconsideration: { route: '行政复议', action: '申请行政复议' },
};

/**
 * How a receipt says the petition came in (Art. 17; the channels: taxonomy.ts). A referral from
 * above gets no receipt.
 */
export const RECEIPT_CHANNELS = CHANNELS.filter((c): c is ReceiptChannel => c !== 'referral') as [ReceiptChannel, ...ReceiptChannel[]];
export type ReceiptChannel = Exclude<ChannelType, 'referral'>;
export const CHANNEL_TEXT: Readonly<Record<ReceiptChannel, string>> = {
  letter: '书信',
  online: '网络',
  phone: '电话',
  fax: '传真',
  visit: '走访',
};

const LEVEL_TEXT: Readonly<Record<SupervisionLevel, string>> = {
  supervision: '予以督办',
  flagged: '予以挂牌督办',
};

// ---------------------------------------------------------------------------------------------
// The data each letter type needs

/** The query code given to the petitioner with the case number: 8 letters or digits. */
export const QUERY_CODE = /^[A-Z0-9]{8}$/;

/** The longest salutation: the longest petitioner name and `等<most persons>人`. */
export const SALUTATION_MAX = PETITIONER_NAME_MAX + `等${MAX_PERSONS}人`.length;

const base = {
  caseNo: oneLine(40).regex(/^[\x21-\x7E]+$/, 'letters, digits and - only'),
  /** The date the letter is issued (成文日期). */
  issueDate: isoDate,
  /** Sequence number for the document number; required when the type has a number pattern. */
  seq: z.number({ error: 'a positive whole number' }).int('a positive whole number').positive('a positive whole number').optional(),
  /** What the petition is about, as a phrase that fits `你于…提出的{subject}的信访事项`. */
  subject: oneLine(100),
};
const petitioner = {
  /**
   * The salutation: a name, or `李明等5人` for a joint petition — as long as the longest name the
   * registration takes plus `等100000人`, so a name the registration accepts is never refused here.
   */
  petitionerName: oneLine(SALUTATION_MAX),
  receivedDate: isoDate,
};
const queryCode = oneLine(8).regex(QUERY_CODE, '8 capital letters or digits');

const priorOpinion = z.object(
  {
    /** The organ that issued the opinion now contested. */
    organ: oneLine(40),
    /** Its document number. */
    documentNo: oneLine(40),
  },
  { error: (iss) => (iss.input === undefined ? 'required' : 'expected an object') },
);

export const LetterDataSchemas = {
  receipt: z.object({ ...base, ...petitioner, channel: enumOf(RECEIPT_CHANNELS), queryCode }),
  'acceptance-notice': z.object({
    ...base,
    ...petitioner,
    acceptedDate: isoDate,
    /** The handling due date from the clock engine. */
    handlingDue: isoDate,
    queryCode,
  }),
  'non-acceptance-notice': z.object({
    ...base,
    ...petitioner,
    /** Why, as a clause after `经审查，`. */
    reason: oneLine(300),
    route: z.object(
      {
        kind: enumOf(STATUTORY_ROUTES),
        /** For kind `other`: the procedure, e.g. 行政裁决. */
        name: oneLine(30).optional(),
        /** The organ the petitioner should turn to. */
        organ: oneLine(60),
      },
      { error: (iss) => (iss.input === undefined ? 'required' : 'expected an object') },
    ),
  }),
  'transfer-notice': z.object({ ...base, ...petitioner, receivingOrgan: oneLine(60), transferDate: isoDate }),
  'extension-notice': z.object({
    ...base,
    ...petitioner,
    acceptedDate: isoDate,
    originalDue: isoDate,
    newDue: isoDate,
    /** Why, as a clause after `因`. */
    reason: oneLine(300),
  }),
  'handling-opinion': z.object({
    ...base,
    ...petitioner,
    acceptedDate: isoDate,
    opinion: OpinionSchema,
    /** Defaults to OfficeConfig.reviewOrgan. */
    reviewOrgan: oneLine(40).optional(),
  }),
  'review-opinion': z.object({
    ...base,
    ...petitioner,
    /** When the review request was received. */
    requestDate: isoDate,
    /** The handling opinion under review. */
    original: priorOpinion,
    opinion: OpinionSchema,
    /** Defaults to OfficeConfig.rereviewOrgan. */
    rereviewOrgan: oneLine(40).optional(),
  }),
  'rereview-opinion': z.object({
    ...base,
    ...petitioner,
    requestDate: isoDate,
    /** The review opinion under re-review. */
    original: priorOpinion,
    opinion: OpinionSchema,
  }),
  'supervision-notice': z.object({
    ...base,
    /** The department supervised (the addressee). The petitioner is not named. */
    departmentName: oneLine(40),
    assignedDate: isoDate,
    /** The department's due date. */
    departmentDue: isoDate,
    level: enumOf(SUPERVISION_LEVELS),
    /** The date by which the department answers in writing. */
    replyBy: isoDate,
  }),
} as const satisfies Record<LetterType, z.ZodType>;

export type LetterDataInput<T extends LetterType> = z.input<(typeof LetterDataSchemas)[T]>;
export type LetterData<T extends LetterType> = z.output<(typeof LetterDataSchemas)[T]>;
export type AnyLetterData = { [T in LetterType]: LetterData<T> }[LetterType];

// ---------------------------------------------------------------------------------------------
// The checks

/** Shape check (zod) of one letter's data; throws ValidationError with dotted field paths. */
export function parseLetterData<T extends LetterType>(type: T, data: unknown): LetterData<T> {
  const t = LetterTypeSchema.safeParse(type);
  if (!t.success) throw zodToValidationError(t.error, 'type');
  const r = LetterDataSchemas[type].safeParse(data);
  if (!r.success) throw zodToValidationError(r.error);
  return r.data as LetterData<T>;
}

/**
 * The rules zod cannot see: the Art. 32 elements beyond presence (a legal basis names a law),
 * dates in order, an extension of at most 30 days, a review organ other than the issuer, a
 * sequence number when the letter has a document number. Returns the problems (empty = fine).
 */
export function checkLetterRules(type: LetterType, data: AnyLetterData, office: OfficeConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const notBefore = (field: string, date: string, than: string, thanName: string) => {
    if (date < than) issues.push({ field, reason: `must not be before ${thanName} (${than})` });
  };
  const d = data as Partial<Record<string, unknown>> & { issueDate: string; seq?: number };
  if (office.documentNumberPatterns[type] !== null && d.seq === undefined) {
    issues.push({ field: 'seq', reason: 'required: the letter has a document number' });
  }
  const received = typeof d.receivedDate === 'string' ? d.receivedDate : undefined;
  if (received !== undefined) {
    notBefore('issueDate', d.issueDate, received, 'receivedDate');
    for (const f of ['acceptedDate', 'transferDate', 'requestDate'] as const) {
      const v = d[f];
      if (typeof v === 'string') notBefore(f, v, received, 'receivedDate');
    }
  }
  if ('opinion' in data) issues.push(...checkOpinion(data.opinion, 'opinion'));
  switch (type) {
    case 'acceptance-notice': {
      const a = data as LetterData<'acceptance-notice'>;
      notBefore('issueDate', a.issueDate, a.acceptedDate, 'acceptedDate');
      if (a.handlingDue <= a.acceptedDate) issues.push({ field: 'handlingDue', reason: 'must be after acceptedDate' });
      break;
    }
    case 'non-acceptance-notice': {
      const n = data as LetterData<'non-acceptance-notice'>;
      if (n.route.kind === 'other' && n.route.name === undefined) {
        issues.push({ field: 'route.name', reason: 'required when route.kind is other' });
      }
      break;
    }
    case 'extension-notice': {
      const x = data as LetterData<'extension-notice'>;
      if (x.originalDue <= x.acceptedDate) issues.push({ field: 'originalDue', reason: 'must be after acceptedDate' });
      if (x.newDue <= x.originalDue) issues.push({ field: 'newDue', reason: 'must be after originalDue' });
      else if (daysBetween(x.originalDue, x.newDue) > MAX_EXTENSION_DAYS + MAX_HOLIDAY_ROLL_DAYS) {
        // At most 30 days (Art. 34); a last day on a rest day moves to the next working day, which
        // the longest holiday block (National Day, with its weekend) keeps within 10 more days.
        issues.push({ field: 'newDue', reason: `an extension is at most ${MAX_EXTENSION_DAYS} days (Art. 34)` });
      }
      if (x.issueDate > x.originalDue) issues.push({ field: 'issueDate', reason: 'an extension is notified before the original due date' });
      break;
    }
    case 'handling-opinion': {
      const h = data as LetterData<'handling-opinion'>;
      notBefore('issueDate', h.issueDate, h.acceptedDate, 'acceptedDate');
      if ((h.reviewOrgan ?? office.reviewOrgan) === office.organName) {
        issues.push({ field: 'reviewOrgan', reason: 'the review organ is the organ one level up, not the issuing organ (Art. 35)' });
      }
      break;
    }
    case 'review-opinion':
    case 'rereview-opinion': {
      const r = data as LetterData<'review-opinion'> | LetterData<'rereview-opinion'>;
      notBefore('issueDate', r.issueDate, r.requestDate, 'requestDate');
      if (r.original.organ === office.organName) {
        issues.push({
          field: 'original.organ',
          reason: `a ${type === 'review-opinion' ? 'review' : 're-review'} is made by the organ one level above the one that issued the contested opinion`,
        });
      }
      if (type === 'review-opinion') {
        const rv = data as LetterData<'review-opinion'>;
        if ((rv.rereviewOrgan ?? office.rereviewOrgan) === office.organName) {
          issues.push({ field: 'rereviewOrgan', reason: 'the re-review organ is the organ one level up, not the issuing organ (Art. 36)' });
        }
      }
      break;
    }
    case 'supervision-notice': {
      const s = data as LetterData<'supervision-notice'>;
      if (s.departmentDue < s.assignedDate) issues.push({ field: 'departmentDue', reason: 'must not be before assignedDate' });
      notBefore('issueDate', s.issueDate, s.assignedDate, 'assignedDate');
      if (s.replyBy < s.issueDate) issues.push({ field: 'replyBy', reason: 'must not be before issueDate' });
      break;
    }
    default:
      break;
  }
  return issues;
}

/** Both checks; returns the parsed data or throws ValidationError (→ HTTP 400). */
export function validateLetterData<T extends LetterType>(type: T, data: unknown, office: OfficeConfig): LetterData<T> {
  const parsed = parseLetterData(type, data);
  const issues = checkLetterRules(type, parsed as AnyLetterData, office);
  if (issues.length > 0) throw issuesToError(issues);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// The content of a letter, fully resolved

export const LetterContentSchema = z.object({
  /** Version of this shape; part of the hashed content. */
  v: z.literal(1),
  type: LetterTypeSchema,
  /** Issuing organ: heading and signature. */
  organ: z.string().min(1),
  /** Document number (发文字号), or null (the receipt). */
  documentNo: z.string().min(1).nullable(),
  title: z.string().min(1),
  /** Addressee, printed as `张三：`. */
  recipient: z.string().min(1),
  /** Body paragraphs in order, each printed with a two-character indent. */
  paragraphs: z.array(z.string().min(1)).min(1),
  /** Issue date `YYYY-MM-DD` and as printed under the signature. */
  issueDate: isoDate,
  dateText: z.string().min(1),
  /** Text in the seal area. */
  seal: z.string().min(1),
  caseNo: z.string().min(1),
  queryCode: z.string().nullable(),
});
export type LetterContent = z.output<typeof LetterContentSchema>;

/** Strip the sentence end of a phrase that is inserted mid-sentence (`…问题。` → `…问题`). */
function phrase(s: string): string {
  return s.replace(/[。；，、.;,\s]+$/u, '');
}

/** Close each paragraph of a free-text field with 。 when it ends in a plain character. */
function sentences(s: string): string {
  return s
    .split('\n')
    .map((l) => (/[\p{L}\p{N}]$/u.test(l) ? `${l}。` : l))
    .join('\n');
}

function nfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(nfc) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfc(v)])) as T;
  }
  return value;
}

function templateValues(type: LetterType, data: AnyLetterData, office: OfficeConfig): Record<string, string> {
  const d = data as AnyLetterData & Record<string, unknown>;
  const v: Record<string, string> = {
    organName: office.organName,
    caseNo: data.caseNo,
    issueDate: bodyDate(data.issueDate),
    subject: phrase(data.subject),
    officeAddress: office.address,
    officePhone: office.phone,
    queryUrl: office.queryUrl,
  };
  for (const f of [
    'receivedDate',
    'acceptedDate',
    'handlingDue',
    'transferDate',
    'originalDue',
    'newDue',
    'requestDate',
    'assignedDate',
    'departmentDue',
    'replyBy',
  ] as const) {
    const x = d[f];
    if (typeof x === 'string') v[f] = bodyDate(x);
  }
  for (const f of ['petitionerName', 'queryCode', 'receivingOrgan', 'departmentName'] as const) {
    const x = d[f];
    if (typeof x === 'string') v[f] = x;
  }
  if (typeof d.reason === 'string') v.reason = phrase(d.reason);
  if ('opinion' in data) {
    v.request = sentences(data.opinion.request);
    v.facts = sentences(data.opinion.facts);
    v.decision = sentences(data.opinion.decision);
    v.outcome = OUTCOME_LABELS[data.opinion.outcome];
    v.legalBasis = phrase(data.opinion.legalBasis);
  }
  if ('original' in data) {
    v.originalOrgan = data.original.organ;
    v.originalDocumentNo = data.original.documentNo;
  }
  switch (type) {
    case 'receipt':
      v.channel = CHANNEL_TEXT[(data as LetterData<'receipt'>).channel];
      break;
    case 'non-acceptance-notice': {
      const r = (data as LetterData<'non-acceptance-notice'>).route;
      const text = r.kind === 'other' ? { route: r.name ?? '', action: `申请${r.name ?? ''}` } : ROUTE_TEXT[r.kind];
      v.route = text.route;
      v.routeAction = text.action;
      v.routeOrgan = r.organ;
      break;
    }
    case 'handling-opinion':
      v.reviewOrgan = (data as LetterData<'handling-opinion'>).reviewOrgan ?? office.reviewOrgan;
      v.reviewDays = String(REVIEW_REQUEST_DAYS);
      break;
    case 'review-opinion':
      v.rereviewOrgan = (data as LetterData<'review-opinion'>).rereviewOrgan ?? office.rereviewOrgan;
      v.rereviewDays = String(REREVIEW_REQUEST_DAYS);
      break;
    case 'rereview-opinion':
      v.finality = FINALITY_TEXT;
      break;
    case 'supervision-notice':
      v.level = LEVEL_TEXT[(data as LetterData<'supervision-notice'>).level];
      break;
    default:
      break;
  }
  return v;
}

/**
 * Everything a letter prints, resolved from its data, the office configuration and the office's
 * template overrides. Throws ValidationError (never returns a half-filled letter).
 */
export function buildLetterContent<T extends LetterType>(type: T, data: unknown, office: OfficeConfig, templates: LetterTemplates = {}): LetterContent {
  const parsed = nfc(validateLetterData(type, data, office)) as AnyLetterData;
  const override = templates[type];
  const template = override === undefined ? DEFAULT_TEMPLATES[type] : validateTemplate(type, override, `templates.${type}`);
  const pattern = office.documentNumberPatterns[type];
  const documentNo =
    pattern === null ? null : formatDocumentNumber(pattern, { year: Number(parsed.issueDate.slice(0, 4)), seq: parsed.seq ?? 0, short: office.shortName });
  const paragraphs = fillTemplate(template, templateValues(type, parsed, office));
  const recipient = 'departmentName' in parsed ? parsed.departmentName : parsed.petitionerName;
  return {
    v: 1,
    type,
    organ: office.organName,
    documentNo,
    title: LETTER_TITLES[type],
    recipient,
    paragraphs,
    issueDate: parsed.issueDate,
    dateText: office.signatureDateStyle === 'chinese' ? chineseDate(parsed.issueDate) : bodyDate(parsed.issueDate),
    seal: office.sealText,
    caseNo: parsed.caseNo,
    queryCode: 'queryCode' in parsed ? parsed.queryCode : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The content hash

/** Canonical JSON: object keys sorted, no whitespace, strings NFC. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`not JSON: ${typeof value}`);
}

/** SHA-256 (hex, 64 chars) of the canonical JSON of the letter content. */
export function letterContentHash(content: LetterContent): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/** How many hex characters of the hash a letter prints. */
export const SHORT_HASH_LENGTH = 12;

/** The part of the hash printed on every page. */
export function shortLetterHash(contentHash: string): string {
  return contentHash.slice(0, SHORT_HASH_LENGTH);
}

/**
 * Does a printed short hash (as a petitioner types it from the footer) belong to a full content
 * hash? Case and surrounding spaces are ignored; fewer than 12 characters never match.
 */
export function matchesShortHash(contentHash: string, printed: string): boolean {
  const p = printed.trim().toLowerCase();
  return /^[0-9a-f]{12}$/.test(p) && contentHash.toLowerCase().startsWith(p);
}

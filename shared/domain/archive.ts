/**
 * Archiving (DESIGN §6): the archive number (档号), the retention class and its rules, the
 * package (originals, metadata.json, registration.pdf, manifest.json), and the transition
 * closed → archived. Pure: no storage, no clock of its own; shared/app/archive.ts runs it.
 *
 * Archive number, after DA/T 22 (归档文件整理规则): 全宗号-年度-保管期限代码-件号, e.g.
 * `X001-2026-D30-0007`. The year is the year the case was closed (办结年度); the retention code is
 * Y (永久), D30 (定期30年) or D10 (定期10年); the item number (件号) has at least four digits and is
 * sequential per fonds, year and class, never reused (an atomic counter, see the archive adapter).
 *
 * Retention is counted from 1 January of the year after the archive year (保管期限自文件形成的
 * 次年1月1日起算): a 10-year record of 2026 may be disposed of from 2037-01-01.
 */
import { z } from 'zod';
import { canonicalJson, type AuditEvent } from './audit';
import { CaseArchiveInfoSchema, RETENTION_CLASSES, type CaseArchiveInfo, type RetentionClass } from './archive-info';
import { RATING_LABELS, STATUS_LABELS, type Case } from './case';
import { OUTCOMES, OUTCOME_LABELS, type Outcome } from './opinion';
import { DOCUMENT_KIND_LABELS, type DocumentRecord } from './documents';
import { IllegalTransitionError, RuleViolationError, ValidationError } from './errors';
import { maskName } from './pii';
import { CHANNEL_LABELS, ITEM_TYPE_LABELS } from './taxonomy';
import { shanghaiDate } from './time';
import { LETTER_TITLES, type LetterType } from './letter-types';

export { CaseArchiveInfoSchema, RETENTION_CLASSES, type CaseArchiveInfo, type RetentionClass };

// ---------------------------------------------------------------------------------------------
// Retention classes and rules
// ---------------------------------------------------------------------------------------------

export const RETENTION_INFO: Record<RetentionClass, { label: string; code: string; years: number | null }> = {
  permanent: { label: '永久', code: 'Y', years: null },
  '30y': { label: '30年', code: 'D30', years: 30 },
  '10y': { label: '10年', code: 'D10', years: 10 },
};

/** The outcome a retention rule looks at; `none` for a case closed without a handling opinion. */
export const RETENTION_OUTCOMES = [...OUTCOMES, 'none'] as const;
export type RetentionOutcome = (typeof RETENTION_OUTCOMES)[number];

/** One rule: every condition given must hold; the first rule that matches decides. */
export const RetentionRuleSchema = z.object({
  categories: z.array(z.string().min(1)).min(1).optional(),
  outcomes: z.array(z.enum(RETENTION_OUTCOMES)).min(1).optional(),
  /** Collective petitions (5 persons or more). */
  collective: z.boolean().optional(),
  retention: z.enum(RETENTION_CLASSES),
  /** Why, in Chinese: printed on the registration form and kept in the metadata. */
  reason: z.string().trim().min(1).max(200),
});
export type RetentionRule = z.infer<typeof RetentionRuleSchema>;

/**
 * The default rules, after the practice of 信访档案管理 (永久: important matters and collective
 * petitions; 30年: the ordinary handling of a matter; 10年: matters not accepted or passed on).
 * An office replaces them in its configuration (`archive.rules`).
 */
export const DEFAULT_RETENTION_RULES: RetentionRule[] = [
  { collective: true, retention: 'permanent', reason: '集体信访事项' },
  { categories: ['accusation'], retention: 'permanent', reason: '检举控告类信访事项' },
  { outcomes: ['none'], retention: '10y', reason: '不予受理或转送的信访事项' },
  { outcomes: [...OUTCOMES], retention: '30y', reason: '一般信访事项的办理材料' },
];

export const ArchiveSettingsSchema = z.object({
  /** 全宗号 of the office. */
  fondsCode: z
    .string()
    .regex(/^[A-Z0-9]{1,10}$/, 'must be 1–10 upper-case letters or digits')
    .default('X001'),
  rules: z.array(RetentionRuleSchema).default(DEFAULT_RETENTION_RULES),
  /** When no rule matches. */
  defaultRetention: z.enum(RETENTION_CLASSES).default('30y'),
  defaultReason: z.string().min(1).default('一般信访事项的办理材料'),
  /**
   * S3 needs a date for Object Lock: a permanent record is locked this many years ahead (and put
   * under legal hold, which has no date). Extend it before it ends (docs/archive.md).
   */
  permanentLockYears: z.number().int().min(10).max(1000).default(100),
  /** Longest loan (借阅) an archivist may grant. */
  maxLoanDays: z.number().int().min(1).max(365).default(30),
  /** Lifetime of a presigned link to an archived file. */
  downloadLinkSeconds: z.number().int().min(30).max(3600).default(300),
});
export type ArchiveSettings = z.infer<typeof ArchiveSettingsSchema>;

/** The outcome that counts for retention: the last opinion given (re-review, review, reply). */
export function caseOutcome(c: Pick<Case, 'reply' | 'review' | 'rereview'>): RetentionOutcome {
  return c.rereview?.opinion?.outcome ?? c.review?.opinion?.outcome ?? c.reply?.outcome ?? 'none';
}

export interface RetentionDecision {
  retention: RetentionClass;
  reason: string;
  /** `rule:<n>` (1-based), `default`, or `override`. */
  source: string;
  override?: { by: string; reason: string };
}

/** The retention class of a case: the first matching rule, else the default; an archivist may override with a reason. */
export function decideRetention(
  c: Pick<Case, 'category' | 'collective' | 'reply' | 'review' | 'rereview'>,
  settings: Pick<ArchiveSettings, 'rules' | 'defaultRetention' | 'defaultReason'>,
  override?: { retention: RetentionClass; reason: string; by: string },
): RetentionDecision {
  if (override) {
    if (override.reason.trim() === '') throw ValidationError.field('reason', 'an override of the retention class needs a reason');
    return { retention: override.retention, reason: override.reason.trim(), source: 'override', override: { by: override.by, reason: override.reason.trim() } };
  }
  const outcome = caseOutcome(c);
  const index = settings.rules.findIndex(
    (r) =>
      (r.categories === undefined || r.categories.includes(c.category)) &&
      (r.outcomes === undefined || r.outcomes.includes(outcome)) &&
      (r.collective === undefined || r.collective === c.collective),
  );
  const rule = settings.rules[index];
  if (rule) return { retention: rule.retention, reason: rule.reason, source: `rule:${index + 1}` };
  return { retention: settings.defaultRetention, reason: settings.defaultReason, source: 'default' };
}

/** The archive year (年度): the year the case was closed, in Asia/Shanghai. */
export function archiveYear(c: Pick<Case, 'closed' | 'updatedAt'>): number {
  return Number(shanghaiDate(new Date(c.closed?.at ?? c.updatedAt)).slice(0, 4));
}

/** The first day a record of this year and class may be disposed of; undefined for permanent. */
export function retentionEnds(year: number, retention: RetentionClass): string | undefined {
  const years = RETENTION_INFO[retention].years;
  return years === null ? undefined : `${year + years + 1}-01-01`;
}

/**
 * The Object Lock retain-until instant: the start of the disposal day (Asia/Shanghai) for a
 * fixed term; `permanentLockYears` after archiving for a permanent record (which is also put
 * under legal hold).
 */
export function lockUntil(ends: string | undefined, archivedAt: Date, permanentLockYears: number): Date {
  if (ends !== undefined) return new Date(`${ends}T00:00:00+08:00`);
  const d = new Date(archivedAt);
  d.setUTCFullYear(d.getUTCFullYear() + permanentLockYears);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Archive numbers
// ---------------------------------------------------------------------------------------------

export const ITEM_WIDTH = 4;
const ARCHIVE_NO = /^([A-Z0-9]{1,10})-(\d{4})-(Y|D30|D10)-(\d{4}|[1-9]\d{4,})$/;

export interface ArchiveNoParts {
  fonds: string;
  year: number;
  retention: RetentionClass;
  item: number;
}

/** `formatArchiveNo({ fonds: 'X001', year: 2026, retention: '30y', item: 7 })` → `X001-2026-D30-0007`. */
export function formatArchiveNo(p: ArchiveNoParts): string {
  if (!/^[A-Z0-9]{1,10}$/.test(p.fonds)) throw ValidationError.field('fonds', 'expected 1–10 upper-case letters or digits');
  if (!Number.isInteger(p.year) || p.year < 1000 || p.year > 9999) throw ValidationError.field('year', 'expected a four-digit year');
  if (!Number.isSafeInteger(p.item) || p.item < 1) throw ValidationError.field('item', 'expected a positive integer');
  return `${p.fonds}-${p.year}-${RETENTION_INFO[p.retention].code}-${String(p.item).padStart(ITEM_WIDTH, '0')}`;
}

/** The parts of a canonical archive number, or null. */
export function parseArchiveNo(s: string): ArchiveNoParts | null {
  const m = ARCHIVE_NO.exec(s);
  if (!m) return null;
  const [, fonds, year, code, item] = m;
  const retention = RETENTION_CLASSES.find((r) => RETENTION_INFO[r].code === code);
  if (!fonds || !year || !item || !retention) return null;
  return { fonds, year: Number(year), retention, item: Number(item) };
}

export const ArchiveNoSchema = z.string().refine((s) => parseArchiveNo(s) !== null, 'must be an archive number like X001-2026-D30-0007');

// ---------------------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------------------

export const PACKAGE_FILES = { manifest: 'manifest.json', metadata: 'metadata.json', registration: 'registration.pdf' } as const;

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tif',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
};

/** Where an original goes in the package: `originals/001-<documentId>.pdf` (keys are ours, never a file name). */
export function originalPath(index: number, d: Pick<DocumentRecord, 'documentId' | 'contentType'>): string {
  return `originals/${String(index + 1).padStart(3, '0')}-${d.documentId}${EXTENSIONS[d.contentType] ?? ''}`;
}

/** The documents that go into the package: those that passed the upload check or were generated. */
export function archivableDocuments(documents: DocumentRecord[]): DocumentRecord[] {
  return documents.filter((d) => d.status === 'verified').sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.documentId.localeCompare(b.documentId));
}

/** The title a document has in the contents list (卷内目录). */
export function documentTitle(d: Pick<DocumentRecord, 'kind' | 'letterKind' | 'documentNo' | 'fileName'>): string {
  if (d.kind === 'generated' && d.letterKind) return `${LETTER_TITLES[d.letterKind as LetterType] ?? d.fileName}${d.documentNo ? `（${d.documentNo}）` : ''}`;
  return `${DOCUMENT_KIND_LABELS[d.kind]}：${d.fileName}`;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const ManifestFileSchema = z.object({
  path: z.string().min(1),
  role: z.enum(['original', 'metadata', 'registration']),
  size: z.number().int().min(0),
  sha256: z.string().regex(HEX_SHA256),
  contentType: z.string(),
  title: z.string(),
  /** Date of the document (upload or issue), Asia/Shanghai. */
  date: z.string(),
  pages: z.number().int().positive().optional(),
  documentId: z.string().optional(),
  kind: z.string().optional(),
  letterKind: z.string().optional(),
  fileName: z.string().optional(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const MANIFEST_FORMAT = 'xf-archive-manifest/1';

export const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  archiveNo: z.string(),
  caseNo: z.string(),
  fonds: z.string(),
  year: z.number().int(),
  retention: z.enum(RETENTION_CLASSES),
  retentionEnds: z.string().nullable(),
  createdAt: z.string(),
  /** The audit chain as packaged in metadata.json: its last event. */
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }),
  files: z.array(ManifestFileSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The manifest's bytes: canonical JSON (keys sorted, no whitespace), so anyone can reproduce its hash. */
export function manifestBytes(m: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(ManifestSchema.parse(m)));
}

/** Totals for the registration form and the case record. */
export function packageTotals(files: ManifestFile[]): { files: number; bytes: number; originals: number; pages: number | undefined } {
  const originals = files.filter((f) => f.role === 'original');
  const known = originals.every((f) => f.pages !== undefined);
  return {
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    originals: originals.length,
    pages: known ? originals.reduce((n, f) => n + (f.pages ?? 0), 0) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// metadata.json
// ---------------------------------------------------------------------------------------------

export const METADATA_FORMAT = 'xf-archive-metadata/1';

export interface ArchiveLabels {
  organName: string;
  categoryName(code: string): string;
  departmentName(code: string): string;
}

export interface ArchiveIdentity {
  archiveNo: string;
  fonds: string;
  year: number;
  item: number;
  decision: RetentionDecision;
  retentionEnds: string | undefined;
}

function actorName(e: AuditEvent): string {
  const a = e.actor;
  if ('username' in a) return a.username;
  if ('system' in a) return `system:${a.system}`;
  return 'public';
}

/**
 * metadata.json: the case record (without the query-code hash and the identity hashes, which are
 * keys, not content), its clocks with their derivations, the timeline, supervision records,
 * the rating, every document record, and the full audit chain with its head.
 */
export function buildMetadata(input: {
  id: ArchiveIdentity;
  case: Case;
  events: AuditEvent[];
  documents: DocumentRecord[];
  /** The other records of the case partition (supervision records, notices …) as stored, keys removed. */
  records: Record<string, unknown>[];
  paths: Map<string, string>;
  labels: ArchiveLabels;
  generatedAt: string;
}): Record<string, unknown> {
  const { queryCodeHash: _q, petitionerKeys: _k, auditHead, auditSeq, clocks, rating, ...record } = input.case;
  const c = input.case;
  return {
    format: METADATA_FORMAT,
    archiveNo: input.id.archiveNo,
    fonds: input.id.fonds,
    year: input.id.year,
    item: input.id.item,
    retention: {
      class: input.id.decision.retention,
      label: RETENTION_INFO[input.id.decision.retention].label,
      reason: input.id.decision.reason,
      source: input.id.decision.source,
      override: input.id.decision.override,
      ends: input.id.retentionEnds ?? null,
    },
    generatedAt: input.generatedAt,
    organ: input.labels.organName,
    labels: {
      status: STATUS_LABELS[c.status],
      itemType: ITEM_TYPE_LABELS[c.itemType],
      channel: CHANNEL_LABELS[c.channel.type],
      category: input.labels.categoryName(c.category),
      departments: c.departmentHistory.map((d) => ({ code: d, name: input.labels.departmentName(d) })),
      outcome: caseOutcome(c) === 'none' ? null : OUTCOME_LABELS[caseOutcome(c) as Outcome],
      rating: rating ? RATING_LABELS[rating.value] : null,
    },
    case: record,
    clocks,
    rating: rating ?? null,
    supervision: input.records.filter((r) => r.entity === 'supervision'),
    otherRecords: input.records.filter((r) => r.entity !== 'supervision'),
    timeline: input.events.map((e) => ({ seq: e.seq, at: e.at, type: e.type, actor: actorName(e) })),
    documents: input.documents.map((d) => ({ ...d, archivedAs: input.paths.get(d.documentId) ?? null })),
    auditChain: { head: { seq: auditSeq, hash: auditHead }, events: input.events },
  };
}

/** metadata.json's bytes: indented JSON (read by people), hashed as stored. */
export function metadataBytes(metadata: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// registration.pdf: 归档登记表 / 卷内目录 (content; shared/letters/registration.ts draws it)
// ---------------------------------------------------------------------------------------------

export interface RegistrationForm {
  organ: string;
  archiveNo: string;
  /** Label–value rows of the registration form (归档登记表). */
  rows: [string, string][];
  /** The contents list (卷内目录), one entry per original. */
  contents: { seq: number; title: string; date: string; pages: string; sha256: string }[];
}

export function buildRegistrationForm(input: {
  id: ArchiveIdentity;
  case: Case;
  originals: ManifestFile[];
  labels: ArchiveLabels;
  archivedOn: string;
  archivedBy: string;
}): RegistrationForm {
  const { id, case: c, labels } = input;
  const outcome = caseOutcome(c);
  const totals = packageTotals(input.originals);
  const names = c.petitioners.map((p) => p.name).join('、');
  const rows: [string, string][] = [
    ['档号', id.archiveNo],
    ['全宗号', id.fonds],
    ['年度', String(id.year)],
    ['保管期限', RETENTION_INFO[id.decision.retention].label],
    ['件号', String(id.item).padStart(ITEM_WIDTH, '0')],
    ['保管期限依据', id.decision.override ? `${id.decision.reason}（档案员调整：${id.decision.override.by}）` : id.decision.reason],
    ['案件编号', c.caseNo],
    ['信访人', c.persons > c.petitioners.length ? `${names}等${c.persons}人` : names],
    ['信访形式', CHANNEL_LABELS[c.channel.type]],
    ['信访事项类型', ITEM_TYPE_LABELS[c.itemType]],
    ['问题类别', labels.categoryName(c.category)],
    ['信访事项', c.subject],
    ['登记日期', c.receivedOn],
    ['承办单位', c.departmentHistory.map((d) => labels.departmentName(d)).join('、') || '—'],
    [
      '处理结果',
      outcome === 'none'
        ? c.decision
          ? ({ decline: '不予受理', transfer: '转送', accept: '受理' } as const)[c.decision.action]
          : '—'
        : OUTCOME_LABELS[outcome],
    ],
    ['满意度评价', c.rating ? RATING_LABELS[c.rating.value] : '未评价'],
    ['办结日期', c.closed ? shanghaiDate(new Date(c.closed.at)) : '—'],
    ['归档日期', input.archivedOn],
    ['归档人', input.archivedBy],
    ['件内文件', `${totals.originals}份${totals.pages === undefined ? '' : `，共${totals.pages}页`}`],
  ];
  return {
    organ: labels.organName,
    archiveNo: id.archiveNo,
    rows,
    contents: input.originals.map((f, i) => ({
      seq: i + 1,
      title: f.title,
      date: f.date,
      pages: f.pages === undefined ? '—' : String(f.pages),
      sha256: f.sha256,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The transition and the summary
// ---------------------------------------------------------------------------------------------

/**
 * closed → archived (DESIGN §3). Not an HTTP action: only the archive run takes it, after every
 * archived copy has been verified; storage writes it in one conditional transaction with the
 * archive job. Anything but a closed case is an IllegalTransitionError.
 */
export function archiveTransition(c: Case, info: CaseArchiveInfo, now: Date): { next: Case; event: { type: string; data: Record<string, unknown> } } {
  if (c.status !== 'closed') throw new IllegalTransitionError('archive', c.status);
  if (c.archive) throw new RuleViolationError('The case already has an archive number', { archiveNo: c.archive.archiveNo });
  const parsed = CaseArchiveInfoSchema.parse(info);
  return {
    next: { ...c, status: 'archived', archive: parsed, version: c.version + 1, updatedAt: now.toISOString() },
    event: {
      type: 'case.archived',
      data: {
        action: 'archive',
        from: 'closed',
        to: 'archived',
        archiveNo: parsed.archiveNo,
        retention: parsed.retention,
        retentionEnds: parsed.retentionEnds ?? null,
        manifestSha256: parsed.manifestSha256,
        files: parsed.files,
      },
    },
  };
}

/** What a search returns about an archived case: no ID or phone numbers, names masked. */
export interface ArchiveSummary {
  archiveNo: string;
  caseNo: string;
  year: number;
  retention: RetentionClass;
  retentionLabel: string;
  retentionEnds?: string;
  subject: string;
  category: string;
  itemType: Case['itemType'];
  departments: string[];
  petitioners: string[];
  receivedOn: string;
  closedOn?: string;
  archivedAt: string;
}

export function archiveSummary(c: Case, info: CaseArchiveInfo): ArchiveSummary {
  return {
    archiveNo: info.archiveNo,
    caseNo: c.caseNo,
    year: info.year,
    retention: info.retention,
    retentionLabel: RETENTION_INFO[info.retention].label,
    ...(info.retentionEnds ? { retentionEnds: info.retentionEnds } : {}),
    subject: c.subject,
    category: c.category,
    itemType: c.itemType,
    departments: c.departmentHistory,
    petitioners: c.petitioners.map((p) => maskName(p.name)),
    receivedOn: c.receivedOn,
    ...(c.closed ? { closedOn: shanghaiDate(new Date(c.closed.at)) } : {}),
    archivedAt: info.archivedAt,
  };
}

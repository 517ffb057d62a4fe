/**
 * Office configuration: what differs between one 信访 office and the next. Read once at cold
 * start (OFFICE_CONFIG, JSON) and validated; every field has a sensible default.
 *
 * One JSON for the whole office: the registry's settings at the top level, and under `letters`
 * what the letters print (organ names, review organs, document-number patterns, contact details;
 * shared/domain/office-letters.ts, docs/letters.md). Without `letters`, the demo office (江川市信访局) is
 * used: a real deployment sets its own.
 */
import { z } from 'zod';
import { localityOf, type OfficeDirectory } from './accused';
import { DEMO_OFFICE_CONFIG, OfficeConfigSchema } from './office-letters';
import { DEFAULT_CATEGORIES, DEFAULT_LOCALITIES } from './taxonomy';
import { CategoriesSchema } from './categories';
import { ReportSettingsSchema } from './reports/settings';
import { SweepPolicySchema } from './sweep';
import { ArchiveSettingsSchema } from './archive';
import { OnlineSettingsSchema } from './online';

export const DEFAULT_DEPARTMENTS = [
  { code: 'HRSS', name: '人力资源和社会保障局' },
  { code: 'HOUSING', name: '住房和城乡建设局' },
  { code: 'NATRES', name: '自然资源和规划局' },
  { code: 'ECO', name: '生态环境局' },
  { code: 'CIVIL', name: '民政局' },
  { code: 'AGRI', name: '农业农村局' },
  { code: 'POLICE', name: '公安局' },
  { code: 'JW', name: '纪委监委' },
  { code: 'URBAN', name: '城市管理局' },
];

export const OfficeSettingsSchema = z.object({
  /** Case number prefix: XF-2026-000123. */
  caseNumberPrefix: z
    .string()
    .regex(/^[A-Z0-9]{1,8}$/)
    .default('XF'),
  /**
   * Prefixes the admin set for later years (系统设置): from `fromYear` on, new case numbers take
   * `prefix`; numbers already given never change. Ascending by year; see caseNumberPrefixFor.
   */
  caseNumberPrefixes: z
    .array(z.object({ fromYear: z.number().int().min(2000).max(2100), prefix: z.string().regex(/^[A-Z0-9]{1,8}$/) }))
    .max(50)
    .refine((list) => list.every((e, i) => i === 0 || e.fromYear > (list[i - 1]?.fromYear ?? 0)), { message: 'years must be ascending, each once' })
    .default([]),
  /**
   * The departments the office starts with: copied into the table on first start, then kept from
   * the admin's 部门管理 screen (the table wins; docs/admin.md). In a running function this field
   * is a live view of the table, refreshed every `directoryCacheSeconds` (functions/common/office.ts).
   */
  departments: z
    .array(z.object({ code: z.string().regex(/^[A-Z][A-Z0-9_-]{1,19}$/), name: z.string().min(1), retired: z.boolean().optional() }))
    .min(1)
    .default(DEFAULT_DEPARTMENTS),
  /**
   * The content taxonomy (问题类别 / 子类) the office starts with: copied into the table on first
   * start, then kept from the admin's 分类管理 screen (the table wins; docs/admin.md). In a running
   * function this field is a live view of the table, like `departments`.
   */
  categories: CategoriesSchema.default(DEFAULT_CATEGORIES),
  /** The places a matter can be about (问题属地), for registration and the reports' breakdown. */
  localities: z
    .array(z.object({ code: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/), name: z.string().min(1) }))
    .min(1)
    .default(DEFAULT_LOCALITIES),
  /** Statistics: the collective threshold, the rating window, the versioned satisfaction formulas (docs/reports.md). */
  reports: ReportSettingsSchema.prefault({}),
  /** Largest accepted upload, bytes (default 100 MB). */
  maxUploadBytes: z
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Lifetime of presigned upload and download links, seconds. */
  uploadLinkSeconds: z.number().int().min(60).max(3600).default(900),
  downloadLinkSeconds: z.number().int().min(30).max(3600).default(300),
  /** What the letters print; default the demo office. */
  letters: OfficeConfigSchema.default(DEMO_OFFICE_CONFIG),
  /** How long a warm function keeps the office's template overrides before reading them again. */
  templateCacheSeconds: z.number().int().min(0).max(3600).default(60),
  /** How long a warm function keeps the office's departments before reading them again. */
  directoryCacheSeconds: z.number().int().min(0).max(3600).default(30),
  /** How long a warm function keeps the calendar years the office loaded before reading them again. */
  calendarCacheSeconds: z.number().int().min(0).max(3600).default(60),
  /** The deadline sweep: reminder lead times, flagged-supervision threshold, grace, archive delay (docs/sweeps.md). */
  sweep: SweepPolicySchema.prefault({}),
  /** Archiving: fonds code, retention rules, Object Lock for permanent records, loans (docs/archive.md). */
  archive: ArchiveSettingsSchema.prefault({}),
  /** 网上信访: the challenge, the limits, attachments, 催办, the SMS signature and templates (docs/online.md). */
  online: OnlineSettingsSchema.prefault({}),
});
export type OfficeSettings = z.infer<typeof OfficeSettingsSchema>;

/** The office's departments and locality, as the Art. 30 rule reads them (shared/domain/accused.ts). */
export function officeDirectory(settings: Pick<OfficeSettings, 'departments' | 'letters'>): OfficeDirectory {
  return { departments: settings.departments, locality: localityOf(settings.letters.organName) };
}

/** The prefix of the case numbers given in `year`: the last prefix set from that year or before, else OFFICE_CONFIG's. */
export function caseNumberPrefixFor(settings: Pick<OfficeSettings, 'caseNumberPrefix' | 'caseNumberPrefixes'>, year: number): string {
  return settings.caseNumberPrefixes.filter((e) => e.fromYear <= year).at(-1)?.prefix ?? settings.caseNumberPrefix;
}

export function parseOfficeSettings(json: string | undefined): OfficeSettings {
  return OfficeSettingsSchema.parse(json ? JSON.parse(json) : {});
}

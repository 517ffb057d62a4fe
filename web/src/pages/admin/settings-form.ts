/**
 * The 系统设置 screen's forms as plain data (no React, tested on its own): each section of
 * GET /admin/settings as the strings a form edits, checked here with messages in Chinese before
 * anything is sent, and turned into the body of PUT /admin/settings. The API checks again with the
 * schema that reads the settings; its field names (`body.sweep.flaggedAfterDays`) are the keys of
 * the errors here without `body.`, so a refusal shows next to its field either way.
 */

export interface RetentionRuleView {
  categories?: string[];
  outcomes?: string[];
  collective?: boolean;
  retention: string;
  reason: string;
}

/** The settings as GET /admin/settings gives them (`settings`, `configured`). */
export interface SettingsView {
  sweep: { reminderWorkingDays: number[]; flaggedAfterDays: number; replyWorkingDays: number };
  archive: { rules: RetentionRuleView[]; defaultRetention: string; maxLoanDays: number };
  letters: {
    organName: string;
    shortName: string;
    reviewOrgan: string;
    rereviewOrgan: string;
    documentNumberPatterns: Record<string, string | null>;
    address: string;
    phone: string;
    queryUrl: string;
    sealText: string;
  };
  maxUploadBytes: number;
  caseNumberPrefix: string;
  caseNumberPrefixes: { fromYear: number; prefix: string }[];
}

export interface SettingsResponse {
  settings: SettingsView;
  configured: SettingsView;
  override: Record<string, unknown>;
  rev: number;
}

/** The name of every setting, as the screen and the 操作记录 show it. */
export const SETTING_LABELS: Record<string, string> = {
  'sweep.reminderWorkingDays': '到期提醒（提前工作日）',
  'sweep.flaggedAfterDays': '挂牌督办（超期天数）',
  'sweep.replyWorkingDays': '督办单报送时限（工作日）',
  maxUploadBytes: '上传文件大小上限',
  'archive.rules': '保管期限规则',
  'archive.defaultRetention': '默认保管期限',
  'archive.maxLoanDays': '借阅最长天数',
  'letters.organName': '发文机关',
  'letters.shortName': '机关代字',
  'letters.reviewOrgan': '复查机关',
  'letters.rereviewOrgan': '复核机关',
  'letters.documentNumberPatterns': '发文字号格式',
  'letters.address': '机关地址',
  'letters.phone': '联系电话',
  'letters.queryUrl': '查询网址',
  'letters.sealText': '印章文字',
  caseNumberPrefix: '案件编号前缀',
  caseNumberPrefixes: '案件编号前缀（以后年度）',
};

export type Errors = Record<string, string>;
export type Section = 'sweep' | 'upload' | 'archive' | 'letters' | 'prefix';

export interface SweepForm {
  reminderWorkingDays: string;
  flaggedAfterDays: string;
  replyWorkingDays: string;
}
export interface UploadForm {
  maxUploadMb: string;
}
export interface ArchiveForm {
  rules: RetentionRuleView[];
  defaultRetention: string;
  maxLoanDays: string;
}
export type LettersForm = Omit<SettingsView['letters'], 'documentNumberPatterns'> & { documentNumberPatterns: Record<string, string> };
export interface PrefixForm {
  fromYear: string;
  prefix: string;
}

const MB = 1024 * 1024;

export function sweepForm(s: SettingsView): SweepForm {
  return {
    reminderWorkingDays: s.sweep.reminderWorkingDays.join('、'),
    flaggedAfterDays: String(s.sweep.flaggedAfterDays),
    replyWorkingDays: String(s.sweep.replyWorkingDays),
  };
}
export const uploadForm = (s: SettingsView): UploadForm => ({ maxUploadMb: String(Math.round((s.maxUploadBytes / MB) * 100) / 100) });
export const archiveForm = (s: SettingsView): ArchiveForm => ({
  rules: s.archive.rules.map((r) => ({ ...r })),
  defaultRetention: s.archive.defaultRetention,
  maxLoanDays: String(s.archive.maxLoanDays),
});
export function lettersForm(s: SettingsView): LettersForm {
  const patterns = Object.fromEntries(Object.entries(s.letters.documentNumberPatterns).map(([t, p]) => [t, p ?? '']));
  return { ...s.letters, documentNumberPatterns: patterns };
}
export const prefixForm = (currentYear: number): PrefixForm => ({ fromYear: String(currentYear + 1), prefix: '' });

/** A whole number in [min, max], or the Chinese message saying what is expected. */
function wholeNumber(text: string, min: number, max: number, unit: string): number | string {
  const t = text.trim();
  if (t === '') return '必填';
  if (!/^\d+$/.test(t)) return `请填写整数（${min}–${max}${unit}）`;
  const n = Number(t);
  if (n < min || n > max) return `应在 ${min}–${max}${unit} 之间`;
  return n;
}

export interface Checked {
  errors: Errors;
  /** The body of PUT /admin/settings, when there is no error. */
  body?: Record<string, unknown>;
}

function done(errors: Errors, body: Record<string, unknown>): Checked {
  return Object.keys(errors).length > 0 ? { errors } : { errors, body };
}

export function checkSweep(f: SweepForm): Checked {
  const errors: Errors = {};
  const parts = f.reminderWorkingDays
    .split(/[\s,，、;；]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const days: number[] = [];
  for (const p of parts) {
    const n = wholeNumber(p, 1, 30, ' 个工作日');
    if (typeof n === 'string') {
      errors['sweep.reminderWorkingDays'] = `“${p}”：${n}`;
      break;
    }
    days.push(n);
  }
  if (!errors['sweep.reminderWorkingDays']) {
    if (days.length > 5) errors['sweep.reminderWorkingDays'] = '最多 5 次提醒';
    else if (new Set(days).size !== days.length) errors['sweep.reminderWorkingDays'] = '提醒天数不能重复';
  }
  const flagged = wholeNumber(f.flaggedAfterDays, 1, 90, ' 天');
  if (typeof flagged === 'string') errors['sweep.flaggedAfterDays'] = flagged;
  const reply = wholeNumber(f.replyWorkingDays, 1, 30, ' 个工作日');
  if (typeof reply === 'string') errors['sweep.replyWorkingDays'] = reply;
  return done(errors, { sweep: { reminderWorkingDays: [...days].sort((a, b) => b - a), flaggedAfterDays: flagged, replyWorkingDays: reply } });
}

export function checkUpload(f: UploadForm): Checked {
  const t = f.maxUploadMb.trim();
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) return { errors: { maxUploadBytes: '请填写数字（MB）' } };
  if (n < 1 || n > 2048) return { errors: { maxUploadBytes: '应在 1–2048 MB 之间' } };
  return { errors: {}, body: { maxUploadBytes: Math.round(n * MB) } };
}

export function checkArchive(f: ArchiveForm): Checked {
  const errors: Errors = {};
  const loan = wholeNumber(f.maxLoanDays, 1, 365, ' 天');
  if (typeof loan === 'string') errors['archive.maxLoanDays'] = loan;
  const rules = f.rules.map((r, i) => {
    const reason = r.reason.trim();
    if (reason === '') errors[`archive.rules.${i}.reason`] = '请填写理由（打印在归档登记表上）';
    else if (reason.length > 200) errors[`archive.rules.${i}.reason`] = '不能超过200个字符';
    if (!r.categories?.length && !r.outcomes?.length && r.collective === undefined && i < f.rules.length - 1)
      errors[`archive.rules.${i}.reason`] ??= '此规则不设条件，会适用于所有案件，其后的规则不再起作用：请设条件或移到最后';
    return {
      ...(r.categories?.length ? { categories: r.categories } : {}),
      ...(r.outcomes?.length ? { outcomes: r.outcomes } : {}),
      ...(r.collective !== undefined ? { collective: r.collective } : {}),
      retention: r.retention,
      reason,
    };
  });
  return done(errors, { archive: { rules, defaultRetention: f.defaultRetention, maxLoanDays: loan } });
}

const ONE_LINE_LIMITS: Record<string, number> = {
  organName: 40,
  shortName: 8,
  reviewOrgan: 40,
  rereviewOrgan: 40,
  address: 80,
  phone: 40,
  queryUrl: 120,
  sealText: 40,
};

/** `titles`: the letter type's title by code (the vocabulary's letterTypes). */
export function checkLetters(f: LettersForm, titles: Record<string, string> = {}): Checked {
  const errors: Errors = {};
  const letters: Record<string, unknown> = {};
  for (const [k, max] of Object.entries(ONE_LINE_LIMITS)) {
    const v = String((f as unknown as Record<string, string>)[k] ?? '').trim();
    if (v === '') errors[`letters.${k}`] = '必填';
    else if (v.length > max) errors[`letters.${k}`] = `不能超过${max}个字符`;
    letters[k] = v;
  }
  const patterns: Record<string, string | null> = {};
  for (const [t, text] of Object.entries(f.documentNumberPatterns)) {
    const p = text.trim();
    const title = titles[t] ?? t;
    if (p === '') {
      patterns[t] = null;
      continue;
    }
    if (!p.includes('{seq}')) errors[`letters.documentNumberPatterns.${t}`] = `${title}：须含 {seq}（序号）`;
    else if (/\{(?!short\}|year\}|seq\})[^}]*\}/.test(p)) errors[`letters.documentNumberPatterns.${t}`] = `${title}：只能使用 {short} {year} {seq}`;
    else if (p.length > 40) errors[`letters.documentNumberPatterns.${t}`] = `${title}：不能超过40个字符`;
    patterns[t] = p;
  }
  letters.documentNumberPatterns = patterns;
  return done(errors, { letters });
}

/** A prefix from a later year: added to the prefixes already set (those of this year and before stay). */
export function checkPrefix(f: PrefixForm, current: SettingsView['caseNumberPrefixes'], currentYear: number): Checked {
  const errors: Errors = {};
  const year = wholeNumber(f.fromYear, currentYear + 1, 2100, ' 年');
  if (typeof year === 'string') errors['caseNumberPrefixes.fromYear'] = year === '必填' ? year : `新前缀只能自以后年度起使用（${currentYear + 1} 年或以后）`;
  const prefix = f.prefix.trim().toUpperCase();
  if (!/^[A-Z0-9]{1,8}$/.test(prefix)) errors['caseNumberPrefixes.prefix'] = '1–8 位大写字母或数字，如 JX';
  if (Object.keys(errors).length > 0 || typeof year === 'string') return { errors };
  const list = [...current.filter((e) => e.fromYear !== year), { fromYear: year, prefix }].sort((a, b) => a.fromYear - b.fromYear);
  return { errors, body: { caseNumberPrefixes: list } };
}

/** Removes a prefix not yet in force (a later year's). */
export function withoutPrefix(current: SettingsView['caseNumberPrefixes'], fromYear: number): Record<string, unknown> {
  return { caseNumberPrefixes: current.filter((e) => e.fromYear !== fromYear) };
}

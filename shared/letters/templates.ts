/**
 * The wording of each letter: a Chinese template with `{{placeholder}}`s. One line of the
 * template is one paragraph of the body (printed with a two-character first-line indent); a
 * value that itself has several lines (facts, decision) becomes several paragraphs.
 *
 * The defaults live here. An office may override a template (an admin stores the override;
 * the caller passes it to buildLetterContent). validateTemplate refuses an override that uses an
 * unknown placeholder or drops one the law needs (the request, facts, decision, outcome and
 * legal basis of an opinion, the review organ and time limit, the finality of a re-review), so a
 * template can change the wording but never the content rules.
 */
import { ValidationError, type FieldIssue } from '../domain/errors';
import { LETTER_TYPES, type LetterType } from '../domain/letter-types';

/** Placeholders every template may use. */
export const COMMON_PLACEHOLDERS = ['organName', 'caseNo', 'issueDate', 'subject', 'officeAddress', 'officePhone', 'queryUrl'] as const;

/** Placeholders of letters to a petitioner. */
const PETITIONER_PLACEHOLDERS = ['petitionerName', 'receivedDate'] as const;

const OPINION_PLACEHOLDERS = ['request', 'facts', 'decision', 'outcome', 'legalBasis'] as const;

/** The placeholders each letter type may use, besides COMMON_PLACEHOLDERS. */
export const TEMPLATE_PLACEHOLDERS: Readonly<Record<LetterType, readonly string[]>> = {
  receipt: [...PETITIONER_PLACEHOLDERS, 'channel', 'queryCode'],
  'acceptance-notice': [...PETITIONER_PLACEHOLDERS, 'acceptedDate', 'handlingDue', 'queryCode'],
  'non-acceptance-notice': [...PETITIONER_PLACEHOLDERS, 'reason', 'route', 'routeOrgan', 'routeAction'],
  'transfer-notice': [...PETITIONER_PLACEHOLDERS, 'receivingOrgan', 'transferDate'],
  'extension-notice': [...PETITIONER_PLACEHOLDERS, 'acceptedDate', 'originalDue', 'newDue', 'reason'],
  'handling-opinion': [...PETITIONER_PLACEHOLDERS, 'acceptedDate', ...OPINION_PLACEHOLDERS, 'reviewOrgan', 'reviewDays'],
  'review-opinion': [
    ...PETITIONER_PLACEHOLDERS,
    'requestDate',
    'originalOrgan',
    'originalDocumentNo',
    ...OPINION_PLACEHOLDERS,
    'rereviewOrgan',
    'rereviewDays',
  ],
  'rereview-opinion': [...PETITIONER_PLACEHOLDERS, 'requestDate', 'originalOrgan', 'originalDocumentNo', ...OPINION_PLACEHOLDERS, 'finality'],
  'supervision-notice': ['departmentName', 'assignedDate', 'departmentDue', 'level', 'replyBy'],
};

/** Placeholders an override must keep: what the law requires the letter to say. */
export const REQUIRED_PLACEHOLDERS: Readonly<Record<LetterType, readonly string[]>> = {
  receipt: ['caseNo', 'queryCode'],
  'acceptance-notice': ['handlingDue'],
  'non-acceptance-notice': ['route', 'routeOrgan'],
  'transfer-notice': ['receivingOrgan'],
  'extension-notice': ['reason', 'newDue'],
  'handling-opinion': [...OPINION_PLACEHOLDERS, 'reviewOrgan', 'reviewDays'],
  'review-opinion': [...OPINION_PLACEHOLDERS, 'rereviewOrgan', 'rereviewDays'],
  'rereview-opinion': [...OPINION_PLACEHOLDERS, 'finality'],
  'supervision-notice': ['departmentDue', 'replyBy'],
};

/** Overrides per letter type, as an admin stores them for an office. */
export type LetterTemplates = Partial<Record<LetterType, string>>;

export const DEFAULT_TEMPLATES: Readonly<Record<LetterType, string>> = {
  receipt: [
    '你于{{receivedDate}}以{{channel}}形式提出的{{subject}}的信访事项，本机关已收到并登记。案件编号为{{caseNo}}，查询码为{{queryCode}}。',
    '本机关将依照《信访工作条例》的规定办理，并及时告知你处理情况。',
    '你可以登录{{queryUrl}}，或者拨打电话{{officePhone}}，凭案件编号和查询码查询办理进展。查询码是查询的凭据，请妥善保管，不要告知他人。',
  ].join('\n'),
  'acceptance-notice': [
    '你于{{receivedDate}}提出的{{subject}}的信访事项（案件编号：{{caseNo}}），本机关已收悉。经审查，该事项属于本机关职责范围，符合受理条件，本机关于{{acceptedDate}}决定予以受理。',
    '本机关将依照《信访工作条例》第三十四条的规定办理，并于{{handlingDue}}前向你出具书面答复意见；情况复杂需要延长办理期限的，将另行书面告知你延期理由。',
    '你可以登录{{queryUrl}}，或者拨打电话{{officePhone}}，凭案件编号和查询码{{queryCode}}查询办理进展。',
    '特此告知。',
  ].join('\n'),
  'non-acceptance-notice': [
    '你于{{receivedDate}}提出的{{subject}}的信访事项（案件编号：{{caseNo}}），本机关已收悉。',
    '经审查，{{reason}}。该事项依法应当通过{{route}}途径解决。根据《信访工作条例》第三十一条的规定，本机关不将其作为信访事项受理。',
    '请你依照有关法律法规的规定，向{{routeOrgan}}{{routeAction}}。',
    '特此告知。',
  ].join('\n'),
  'transfer-notice': [
    '你于{{receivedDate}}提出的{{subject}}的信访事项（案件编号：{{caseNo}}），本机关已收悉。',
    '经审查，该事项依法应当由{{receivingOrgan}}处理。根据《信访工作条例》第二十二条的规定，本机关已于{{transferDate}}将该事项转送{{receivingOrgan}}办理，请你与其联系，了解办理情况。',
    '特此告知。',
  ].join('\n'),
  'extension-notice': [
    '你于{{receivedDate}}提出的{{subject}}的信访事项（案件编号：{{caseNo}}），本机关已于{{acceptedDate}}受理，原定办理期限至{{originalDue}}。',
    '因{{reason}}，该事项不能在原定期限内办结。根据《信访工作条例》第三十四条的规定，经本机关负责人批准，办理期限延长至{{newDue}}。本机关将在延长的期限内办结，并书面答复你。',
    '特此告知。',
  ].join('\n'),
  'handling-opinion': [
    '你于{{receivedDate}}提出的{{subject}}的信访事项（案件编号：{{caseNo}}），本机关已于{{acceptedDate}}受理。经调查核实，现提出处理意见如下。',
    '投诉请求：{{request}}',
    '事实和理由：{{facts}}',
    '处理意见：{{decision}}',
    '依据{{legalBasis}}和《信访工作条例》第三十二条的规定，本机关对你的投诉请求{{outcome}}。',
    '如对本处理意见不服，可以自收到本意见书之日起{{reviewDays}}日内，向{{reviewOrgan}}书面提出复查请求。',
  ].join('\n'),
  'review-opinion': [
    '你不服{{originalOrgan}}作出的《信访处理意见书》（{{originalDocumentNo}}），于{{requestDate}}向本机关提出复查请求（案件编号：{{caseNo}}）。本机关依照《信访工作条例》第三十五条的规定进行了复查，现提出复查意见如下。',
    '复查请求：{{request}}',
    '事实和理由：{{facts}}',
    '复查意见：{{decision}}',
    '依据{{legalBasis}}和《信访工作条例》第三十二条、第三十五条的规定，本机关对你的复查请求{{outcome}}。',
    '如对本复查意见不服，可以自收到本意见书之日起{{rereviewDays}}日内，向{{rereviewOrgan}}书面提出复核请求。',
  ].join('\n'),
  'rereview-opinion': [
    '你不服{{originalOrgan}}作出的《复查意见书》（{{originalDocumentNo}}），于{{requestDate}}向本机关提出复核请求（案件编号：{{caseNo}}）。本机关依照《信访工作条例》第三十六条的规定进行了复核，现提出复核意见如下。',
    '复核请求：{{request}}',
    '事实和理由：{{facts}}',
    '复核意见：{{decision}}',
    '依据{{legalBasis}}和《信访工作条例》第三十二条、第三十六条的规定，本机关对你的复核请求{{outcome}}。',
    '本复核意见为终结意见。根据《信访工作条例》第三十六条的规定，{{finality}}',
  ].join('\n'),
  'supervision-notice': [
    '本机关于{{assignedDate}}交由你单位办理的{{subject}}的信访事项（案件编号：{{caseNo}}），办理期限为{{departmentDue}}。截至{{issueDate}}，你单位尚未报送办理结果。',
    '根据《信访工作条例》的有关规定，现对该事项{{level}}。请你单位高度重视，落实责任，抓紧办理，并于{{replyBy}}前将办理情况和结果书面报送本机关。',
  ].join('\n'),
};

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
export const MAX_TEMPLATE_LENGTH = 4000;

/** All placeholders a template of this type may use. */
export function allowedPlaceholders(type: LetterType): readonly string[] {
  return [...COMMON_PLACEHOLDERS, ...TEMPLATE_PLACEHOLDERS[type]];
}

/** The placeholder names a template uses, in order of first use. */
export function templatePlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * Check a template for a letter type; returns the normalised text (line endings, trimmed lines)
 * or throws ValidationError (field `template`) naming every problem: unknown placeholders,
 * required placeholders left out, stray braces, empty or over-long text.
 */
export function validateTemplate(type: LetterType, text: string, field = 'template'): string {
  if (!(LETTER_TYPES as readonly string[]).includes(type)) throw ValidationError.field('type', `unknown letter type ${String(type)}`);
  if (typeof text !== 'string') throw ValidationError.field(field, 'expected text');
  const normalised = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
  const issues: FieldIssue[] = [];
  if (normalised === '') issues.push({ field, reason: 'required' });
  if (normalised.length > MAX_TEMPLATE_LENGTH) issues.push({ field, reason: `at most ${MAX_TEMPLATE_LENGTH} characters` });
  if (/[\p{Cc}\p{Cf}]/u.test(normalised.replace(/\n/g, ''))) issues.push({ field, reason: 'control characters are not allowed' });
  const used = templatePlaceholders(normalised);
  const allowed = allowedPlaceholders(type);
  const unknown = used.filter((p) => !allowed.includes(p));
  if (unknown.length > 0) {
    issues.push({ field, reason: `unknown placeholder ${unknown.map((p) => `{{${p}}}`).join(' ')}; allowed: ${allowed.map((p) => `{{${p}}}`).join(' ')}` });
  }
  const missing = REQUIRED_PLACEHOLDERS[type].filter((p) => !used.includes(p));
  if (missing.length > 0) {
    issues.push({ field, reason: `the ${type} template must contain ${missing.map((p) => `{{${p}}}`).join(' ')}` });
  }
  if (/\{\{|\}\}/.test(normalised.replace(PLACEHOLDER, ''))) issues.push({ field, reason: 'malformed placeholder (use {{name}})' });
  if (issues.length > 0) throw new ValidationError(issues, `${field}: ${issues.map((i) => i.reason).join('; ')}`);
  return normalised;
}

/** Check a whole set of overrides (field paths `templates.<type>`); returns them normalised. */
export function validateTemplates(templates: LetterTemplates): LetterTemplates {
  const out: LetterTemplates = {};
  const issues: FieldIssue[] = [];
  for (const [type, text] of Object.entries(templates)) {
    if (!(LETTER_TYPES as readonly string[]).includes(type)) {
      issues.push({ field: `templates.${type}`, reason: 'unknown letter type' });
      continue;
    }
    if (text === undefined) continue;
    try {
      out[type as LetterType] = validateTemplate(type as LetterType, text, `templates.${type}`);
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, `${issues[0]?.field}: ${issues[0]?.reason}`);
  return out;
}

/**
 * Fill a (validated) template. Values are inserted once and never re-scanned, so a value that
 * happens to contain `{{x}}` stays literal. Returns the body paragraphs.
 */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string[] {
  const filled = text.replace(PLACEHOLDER, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for placeholder {{${name}}}`);
    return v;
  });
  return filled
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

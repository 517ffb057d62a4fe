/**
 * The letter-template editor's checks as plain data (no React, tested on its own): the
 * placeholders of a wording, and what is wrong with it in Chinese — the same rules the API applies
 * (shared/letters/templates.ts validateTemplate), so the admin sees them while typing; the API
 * checks again (and the font) when previewing or saving.
 */

/** What each placeholder prints, for the list beside the editor. */
export const PLACEHOLDER_LABELS: Record<string, string> = {
  organName: '发文机关',
  caseNo: '案件编号',
  issueDate: '出具日期',
  subject: '信访事项（标题）',
  officeAddress: '机关地址',
  officePhone: '联系电话',
  queryUrl: '查询网址',
  petitionerName: '信访人姓名',
  receivedDate: '收到日期',
  channel: '信访形式',
  queryCode: '查询码',
  acceptedDate: '受理日期',
  handlingDue: '办理期限',
  reason: '理由',
  route: '法定途径',
  routeOrgan: '途径受理机关',
  routeAction: '途径行为（提起诉讼等）',
  receivingOrgan: '接收机关',
  transferDate: '转送日期',
  originalDue: '原定办理期限',
  newDue: '延长后的期限',
  request: '投诉请求',
  facts: '事实和理由',
  decision: '处理意见',
  outcome: '处理结果（予以支持等）',
  legalBasis: '法律法规依据',
  reviewOrgan: '复查机关',
  reviewDays: '复查申请期限（日）',
  requestDate: '申请日期',
  originalOrgan: '原处理机关',
  originalDocumentNo: '原文书文号',
  rereviewOrgan: '复核机关',
  rereviewDays: '复核申请期限（日）',
  finality: '终结告知',
  departmentName: '承办单位',
  assignedDate: '交办日期',
  departmentDue: '承办期限',
  level: '督办级别',
  replyBy: '报送期限',
};

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
export const MAX_TEMPLATE_LENGTH = 4000;

/** The placeholder names a wording uses, in order of first use. */
export function usedPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Every problem of a wording, in Chinese; empty when the API would take it (the font aside). */
export function templateProblems(text: string, allowed: readonly string[], required: readonly string[]): string[] {
  const t = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
  if (t === '') return ['模板不能为空'];
  const out: string[] = [];
  if (t.length > MAX_TEMPLATE_LENGTH) out.push(`模板不能超过${MAX_TEMPLATE_LENGTH}个字符`);
  const used = usedPlaceholders(t);
  const unknown = used.filter((p) => !allowed.includes(p));
  if (unknown.length > 0) out.push(`未知的占位符：${unknown.map((p) => `{{${p}}}`).join(' ')}（只能使用右侧列出的占位符）`);
  const missing = required.filter((p) => !used.includes(p));
  if (missing.length > 0) out.push(`必须保留：${missing.map((p) => `{{${p}}}（${PLACEHOLDER_LABELS[p] ?? p}）`).join(' ')}，这是法规要求文书载明的内容`);
  if (/\{\{|\}\}/.test(t.replace(PLACEHOLDER, ''))) out.push('占位符格式不正确：应写作 {{名称}}');
  return out;
}

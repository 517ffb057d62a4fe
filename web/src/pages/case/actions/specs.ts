/**
 * The form of each lifecycle action: exactly the inputs the action's route takes (ACTION_INPUTS in
 * shared/domain/lifecycle.ts plus LETTER_INPUTS, merged by actionBody in shared/app/action-body.ts),
 * with Chinese labels, and how the typed values become the request body.
 * Field names are the body's paths ('edits.decision', 'opinion.facts'), so the API's field issues
 * land next to the field that caused them.
 */
import type { Action } from '@shared/domain/actions';
import type { CaseView } from '@shared/app/views';
import { MAX_EXTENSION_DAYS } from '@shared/domain/statute';
import type { Option, Vocabulary } from '../../../lib/vocab';

/** Everything typed in a form, as strings ('true' / '' for checkboxes). */
export type Values = Record<string, string>;

export interface FieldSpec {
  /** The body path; names starting with '_' are for the form only and never sent. */
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'number' | 'date' | 'checkbox';
  required?: boolean;
  options?: (v: Vocabulary, c: CaseView) => Option[];
  /** A select's empty choice (omitted from the body). */
  placeholder?: string;
  hint?: string;
  rows?: number;
  min?: number;
  max?: number;
  maxLength?: number;
  /** Shown (and sent) only when this holds. */
  when?: (values: Values, c: CaseView) => boolean;
  initial?: (c: CaseView, today: string) => string;
}

export interface ActionSpec {
  fields: FieldSpec[];
  /** Whether the action issues a letter with these values (the 预览文书 button). */
  letter?: (values: Values) => boolean;
  /** A line shown above the submit button. */
  note?: string;
}

const always = () => true;
const departments = (v: Vocabulary) => v.departments.filter((d) => !d.retired);
const routes = (v: Vocabulary) => v.statutoryRoutes;
const outcomes = (v: Vocabulary) => v.outcomes;

const PAUSABLE = ['handling', 'reviewDecision', 'rereviewDecision', 'departmentDue'];

function clocksIn(status: 'running' | 'paused') {
  return (v: Vocabulary, c: CaseView): Option[] =>
    PAUSABLE.filter((k) => c.clocks[k]?.status === status).map((k) => ({ code: k, name: v.clocks.find((o) => o.code === k)?.name ?? k }));
}

/** The petitioner has a final matter or a matter in progress: accepting needs a confirmation. */
export function hasBlockingWarnings(c: CaseView): boolean {
  return c.warnings.some((w) => w.kind === 'final-matter' || w.kind === 'matter-in-progress');
}

const warningsOverride: FieldSpec = {
  name: 'warningsOverride',
  label: '重复信访核查说明',
  kind: 'textarea',
  rows: 2,
  required: true,
  maxLength: 2000,
  hint: '该信访人有已终结或正在办理的信访事项：核实后说明本件为不同事项，方可受理。',
  when: (_v, c) => hasBlockingWarnings(c),
};

/** The Art. 32 elements of a handling opinion, under a body prefix ('' for answer, 'edits.', 'opinion.'). */
function opinionFields(
  prefix: string,
  when: FieldSpec['when'],
  initial: (c: CaseView, key: 'request' | 'facts' | 'decision' | 'outcome' | 'legalBasis') => string,
  withOutcome: boolean,
): FieldSpec[] {
  const f = (key: 'request' | 'facts' | 'decision' | 'outcome' | 'legalBasis', spec: Omit<FieldSpec, 'name' | 'when' | 'initial'>): FieldSpec => ({
    name: `${prefix}${key}`,
    when,
    initial: (c) => initial(c, key),
    ...spec,
  });
  return [
    f('request', { label: '信访人诉求', kind: 'textarea', rows: 2, required: true, maxLength: 2000, hint: '信访人提出的请求' }),
    f('facts', { label: '调查核实的事实', kind: 'textarea', rows: 5, required: true, maxLength: 8000, hint: '经调查核实查明的事实和理由' }),
    f('decision', { label: '处理意见', kind: 'textarea', rows: 3, required: true, maxLength: 4000 }),
    ...(withOutcome ? [f('outcome', { label: '处理结论', kind: 'select', required: true, options: outcomes, placeholder: '请选择' })] : []),
    f('legalBasis', {
      label: '法律依据',
      kind: 'text',
      required: true,
      maxLength: 300,
      hint: '写明所依据的法律法规及条款，法规名称用《》标明，如《保障农民工工资支付条例》第三条',
    }),
  ];
}

const fromAnswer = (c: CaseView, key: 'request' | 'facts' | 'decision' | 'outcome' | 'legalBasis') => c.answer?.[key] ?? '';
const blank = () => '';

/** Review / re-review opinion: the outcome, and optionally the letter's Art. 32 content. */
function reviewOpinion(stage: '复查' | '复核'): ActionSpec {
  const issue = (v: Values) => v._issueLetter === 'true';
  return {
    fields: [
      { name: 'outcome', label: `${stage}结论`, kind: 'select', required: true, options: outcomes, placeholder: '请选择' },
      { name: 'summary', label: `${stage}意见摘要`, kind: 'textarea', rows: 3, required: true, maxLength: 2000 },
      { name: 'deliveredOn', label: `${stage}意见送达日期`, kind: 'date', required: true, initial: (_c, today) => today },
      { name: '_issueLetter', label: `由本系统出具${stage}意见书`, kind: 'checkbox', hint: `不勾选：仅登记由${stage}机关另行出具的意见（请上传其扫描件）` },
      ...opinionFields('opinion.', (v) => issue(v), blank, false),
      {
        name: 'originalDocumentNo',
        label: stage === '复查' ? '原处理意见书文号' : '原复查意见书文号',
        kind: 'text',
        maxLength: 40,
        hint: '原意见书非本系统出具时填写',
        when: (v) => issue(v),
      },
    ],
    letter: issue,
  };
}

export const ACTION_SPECS: Record<Action, ActionSpec> = {
  propose: {
    fields: [
      {
        name: 'action',
        label: '拟办意见',
        kind: 'select',
        required: true,
        placeholder: '请选择',
        options: () => [
          { code: 'accept', name: '受理' },
          { code: 'decline', name: '不予受理' },
          { code: 'transfer', name: '转送' },
        ],
      },
      {
        name: 'deptCode',
        label: '拟交办单位',
        kind: 'select',
        options: departments,
        placeholder: '（暂不指定）',
        hint: '批办后直接交该单位办理',
        when: (v) => v.action === 'accept',
      },
      { name: 'transferTo', label: '拟转送机关', kind: 'text', required: true, maxLength: 100, when: (v) => v.action === 'transfer' },
      { name: 'route', label: '应通过的法定途径', kind: 'select', required: true, options: routes, placeholder: '请选择', when: (v) => v.action === 'decline' },
      { name: 'reason', label: '拟办理由', kind: 'textarea', rows: 3, required: true, maxLength: 2000 },
    ],
  },
  'approve-proposal': {
    fields: [
      { name: 'comment', label: '批办意见', kind: 'textarea', rows: 2, maxLength: 2000, hint: '可不填' },
      warningsOverride,
      {
        name: 'routeOrgan',
        label: '告知的有权处理机关',
        kind: 'text',
        maxLength: 60,
        hint: '不填则写“有管辖权的人民法院”等',
        when: (_v, c) => c.proposal?.action === 'decline',
      },
      {
        name: 'routeName',
        label: '法定途径名称',
        kind: 'text',
        required: true,
        maxLength: 30,
        hint: '如：行政裁决',
        when: (_v, c) => c.proposal?.action === 'decline' && c.proposal.route === 'other',
      },
    ],
    letter: always,
  },
  accept: {
    fields: [{ name: 'reason', label: '受理意见', kind: 'textarea', rows: 2, maxLength: 2000 }, warningsOverride],
    letter: always,
    note: '受理后由“交办”指定承办单位。',
  },
  decline: {
    fields: [
      { name: 'route', label: '应通过的法定途径', kind: 'select', required: true, options: routes, placeholder: '请选择' },
      { name: 'routeName', label: '法定途径名称', kind: 'text', required: true, maxLength: 30, hint: '如：行政裁决', when: (v) => v.route === 'other' },
      { name: 'routeOrgan', label: '告知的有权处理机关', kind: 'text', maxLength: 100, hint: '不填则写“有管辖权的人民法院”等' },
      { name: 'reason', label: '不予受理理由', kind: 'textarea', rows: 3, required: true, maxLength: 2000, hint: '接在“经审查，”之后' },
    ],
    letter: always,
  },
  transfer: {
    fields: [
      { name: 'transferTo', label: '转送机关', kind: 'text', required: true, maxLength: 100 },
      { name: 'reason', label: '转送理由', kind: 'textarea', rows: 3, required: true, maxLength: 2000 },
    ],
    letter: always,
  },
  assign: {
    fields: [
      { name: 'deptCode', label: '承办单位', kind: 'select', required: true, options: departments, placeholder: '请选择' },
      { name: 'note', label: '交办意见', kind: 'textarea', rows: 2, maxLength: 2000 },
    ],
  },
  reassign: {
    fields: [
      {
        name: 'deptCode',
        label: '改派单位',
        kind: 'select',
        required: true,
        options: (v, c) => v.departments.filter((d) => d.code !== c.deptCode && !d.retired),
        placeholder: '请选择',
      },
      { name: 'reason', label: '改派理由', kind: 'textarea', rows: 2, required: true, maxLength: 2000 },
    ],
  },
  'request-extension': {
    fields: [
      { name: 'days', label: '申请延期天数', kind: 'number', required: true, min: 1, max: 30, hint: '最长不超过30日（《信访工作条例》第三十四条）' },
      { name: 'reason', label: '申请延期理由', kind: 'textarea', rows: 3, required: true, maxLength: 2000 },
    ],
  },
  extend: {
    fields: [
      {
        name: 'days',
        label: '延期天数',
        kind: 'number',
        required: true,
        min: 1,
        max: MAX_EXTENSION_DAYS,
        hint: `最长不超过${MAX_EXTENSION_DAYS}日，只能延期一次`,
        initial: (c) => (c.extensionRequest ? String(c.extensionRequest.days) : ''),
      },
      { name: 'reason', label: '延期理由', kind: 'textarea', rows: 3, required: true, maxLength: 2000, initial: (c) => c.extensionRequest?.reason ?? '' },
    ],
    letter: always,
  },
  'pause-clock': {
    fields: [
      { name: 'clock', label: '中止的期限', kind: 'select', required: true, options: clocksIn('running'), placeholder: '请选择' },
      { name: 'reason', label: '中止理由', kind: 'textarea', rows: 2, required: true, maxLength: 2000, hint: '如：组织听证、等待信访人补充材料' },
    ],
  },
  'resume-clock': {
    fields: [{ name: 'clock', label: '恢复的期限', kind: 'select', required: true, options: clocksIn('paused'), placeholder: '请选择' }],
  },
  answer: {
    fields: [
      ...opinionFields('', undefined, fromAnswer, true),
      { name: 'note', label: '备注（不写入意见书）', kind: 'textarea', rows: 2, maxLength: 5000, initial: (c) => c.answer?.note ?? '' },
    ],
    note: '提交后由领导审批，审批通过即出具《信访处理意见书》。',
  },
  return: {
    fields: [{ name: 'comment', label: '退回意见', kind: 'textarea', rows: 3, required: true, maxLength: 2000, hint: '写明需补充或纠正的内容' }],
  },
  'approve-reply': {
    fields: [
      { name: '_edit', label: '修改答复内容后批准', kind: 'checkbox', hint: '只改动需要修改的栏目；未改动的按承办单位答复出具' },
      ...opinionFields('edits.', (v) => v._edit === 'true', fromAnswer, true),
    ],
    letter: always,
  },
  deliver: {
    fields: [
      { name: 'deliveredOn', label: '送达日期', kind: 'date', required: true, initial: (_c, today) => today },
      { name: 'method', label: '送达方式', kind: 'select', required: true, options: (v) => v.deliveryMethods, initial: () => 'post' },
    ],
  },
  'request-review': {
    fields: [
      { name: 'requestedOn', label: '复查申请日期', kind: 'date', required: true, initial: (_c, today) => today },
      { name: 'organ', label: '复查机关', kind: 'text', maxLength: 100, hint: '不填则为本机关的上一级机关' },
    ],
  },
  'review-opinion': reviewOpinion('复查'),
  'request-rereview': {
    fields: [
      { name: 'requestedOn', label: '复核申请日期', kind: 'date', required: true, initial: (_c, today) => today },
      { name: 'organ', label: '复核机关', kind: 'text', maxLength: 100, hint: '不填则为复查机关的上一级机关' },
    ],
  },
  'rereview-opinion': reviewOpinion('复核'),
  close: {
    fields: [{ name: 'reason', label: '办结说明', kind: 'textarea', rows: 2, maxLength: 2000, hint: '可不填，按案件情况自动写明' }],
  },
};

export function visibleFields(action: Action, values: Values, c: CaseView): FieldSpec[] {
  return ACTION_SPECS[action].fields.filter((f) => !f.when || f.when(values, c));
}

export function initialValues(action: Action, c: CaseView, today: string): Values {
  const out: Values = {};
  for (const f of ACTION_SPECS[action].fields) out[f.name] = f.initial ? f.initial(c, today) : '';
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

/**
 * The request body: the visible fields that were filled in (numbers as numbers). The director's
 * edits of an answer carry only what differs from the answer.
 */
export function toBody(action: Action, values: Values, c: CaseView): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of visibleFields(action, values, c)) {
    if (f.name.startsWith('_') || f.kind === 'checkbox') continue;
    const raw = values[f.name] ?? '';
    const v = f.kind === 'number' || f.kind === 'select' || f.kind === 'date' ? raw.trim() : raw;
    if (v.trim() === '') continue;
    if (action === 'approve-reply' && f.name.startsWith('edits.')) {
      const key = f.name.slice('edits.'.length) as 'request' | 'facts' | 'decision' | 'outcome' | 'legalBasis';
      if (c.answer && c.answer[key] === v) continue;
    }
    setPath(body, f.name, f.kind === 'number' ? Number(v) : v);
  }
  return body;
}

/**
 * The form field an API issue belongs to: `body.days`, `body.input.edits.legalBasis` (the
 * preview), `opinion.legalBasis` (approve-reply's check of the answer with its edits).
 */
export function fieldOfIssue(action: Action, field: string): string {
  const f = field.replace(/^body\.(input\.)?/, '');
  if (action === 'approve-reply' && f.startsWith('opinion.')) return `edits.${f.slice('opinion.'.length)}`;
  return f;
}

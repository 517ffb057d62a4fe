/**
 * The office's printed forms (issue 18 item 11), as data: 信访事项登记表 (来访登记表 for a visit),
 * 交办单 / 转办单 and 送达回证, each a title, a table of items and values, and the lines left for
 * signatures. Built from the case as the user may see it (masked for a department); shared/letters
 * sets them on A4 (forms.ts), the exports function hands them out (GET /exports/forms).
 */
import { bodyDate } from './chinese-date';
import type { Case } from './case';
import { STATUS_LABELS } from './case';
import { LETTER_TITLES, PETITIONER_LETTERS, isLetterType } from './letter-types';
import {
  CHANNEL_LABELS,
  DELIVERY_METHOD_LABELS,
  ITEM_TYPE_LABELS,
  PETITION_LEVEL_LABELS,
  STATUTORY_ROUTE_LABELS,
  type DeliveryMethod,
  type StatutoryRoute,
} from './taxonomy';

export const OFFICE_FORMS = ['registration', 'assignment', 'service-receipt'] as const;
export type OfficeFormKind = (typeof OFFICE_FORMS)[number];

export const OFFICE_FORM_LABELS: Readonly<Record<OfficeFormKind, string>> = {
  registration: '信访事项登记表',
  assignment: '交办单',
  'service-receipt': '送达回证',
};

/** One form of one case, ready to set. */
export interface OfficeForm {
  title: string;
  caseNo: string;
  /** The issuing organ, printed under the title on the left. */
  organ: string;
  rows: [string, string][];
  /** Lines printed under the table: the signatures and dates to be filled in by hand. */
  signatures: string[];
}

/** A letter of the case as the forms list it. */
export interface FormLetter {
  letterKind?: string;
  documentNo?: string;
  createdAt: string;
}

export interface FormLabels {
  organ: string;
  /** A category's name, with its subcategory's when given (`劳动社保 / 拖欠工资`). */
  category: (code: string, sub?: string) => string;
  department: (code: string) => string;
  locality: (code: string) => string;
  /** A user's display name (登记人). */
  person: (username: string) => string;
}

export type FormCase = Pick<
  Case,
  | 'caseNo'
  | 'status'
  | 'petitioners'
  | 'persons'
  | 'representatives'
  | 'channel'
  | 'itemType'
  | 'category'
  | 'subcategory'
  | 'locality'
  | 'level'
  | 'accusedUnits'
  | 'subject'
  | 'summary'
  | 'receivedOn'
  | 'statutoryRoute'
  | 'firstTime'
  | 'repeatOf'
  | 'registeredBy'
  | 'decision'
  | 'deptCode'
  | 'clocks'
  | 'delivery'
>;

const BLANK_DATE = '\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日';
const ROUTE_FLAGS: [keyof Case['statutoryRoute'], string][] = [
  ['litigation', '已进入诉讼程序'],
  ['arbitration', '已申请仲裁'],
  ['reconsideration', '已申请行政复议'],
];

function day(instant: string | undefined): string {
  return instant ? bodyDate(instant.slice(0, 10)) : '';
}

function petitionerLines(c: FormCase): string {
  return c.petitioners
    .map((p) => {
      const parts = [p.name];
      if (p.idNumber) parts.push(`身份证号码 ${p.idNumber}`);
      if (p.phone) parts.push(`电话 ${p.phone}`);
      if (p.address) parts.push(`住址 ${p.address}`);
      return parts.join('，');
    })
    .join('\n');
}

/** 信访事项登记表, or 来访登记表 for a visit (DESIGN §4 `visit-record`). */
function registrationForm(c: FormCase, l: FormLabels): OfficeForm {
  const flags = ROUTE_FLAGS.filter(([k]) => c.statutoryRoute[k]).map(([, label]) => label);
  const channel =
    c.channel.type === 'referral'
      ? `${CHANNEL_LABELS.referral}（${c.channel.fromOrgan}${c.channel.reference ? `，${c.channel.reference}` : ''}）`
      : CHANNEL_LABELS[c.channel.type];
  const rows: [string, string][] = [
    ['案件编号', c.caseNo],
    [c.channel.type === 'visit' ? '来访日期' : '收到日期', bodyDate(c.receivedOn)],
    ['信访形式', channel],
    ['信访人', petitionerLines(c)],
    ['人数', `${c.persons}人`],
  ];
  if (c.representatives.length > 0) rows.push(['代表人', c.representatives.join('、')]);
  rows.push(['事项类型', ITEM_TYPE_LABELS[c.itemType]]);
  rows.push(['问题类别', l.category(c.category, c.subcategory)]);
  if (c.locality) rows.push(['问题属地', l.locality(c.locality)]);
  if (c.level) rows.push(['信访层级', PETITION_LEVEL_LABELS[c.level]]);
  if (c.accusedUnits.length > 0) rows.push(['被反映单位或人员', c.accusedUnits.map((a) => a.name).join('、')]);
  rows.push(['事由', c.subject]);
  rows.push(['主要诉求及内容摘要', c.summary]);
  rows.push(['法定途径情况', flags.length > 0 ? flags.join('；') : '未反映已进入其他法定途径']);
  rows.push(['初信初访', c.firstTime ? '是' : `否${c.repeatOf ? `（此前案件 ${c.repeatOf}）` : '（重复信访）'}`]);
  rows.push(['登记人', l.person(c.registeredBy)]);
  rows.push(['办理状态', STATUS_LABELS[c.status]]);
  return {
    title: c.channel.type === 'visit' ? '来访登记表' : OFFICE_FORM_LABELS.registration,
    caseNo: c.caseNo,
    organ: l.organ,
    rows,
    signatures: [
      c.channel.type === 'visit'
        ? `接谈人（签名）：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000来访人（签名）：`
        : `登记人（签名）：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000登记日期：${BLANK_DATE}`,
    ],
  };
}

/** 交办单 (to a department of the office) or 转办单 (a transfer to another organ). */
function assignmentForm(c: FormCase, l: FormLabels): OfficeForm {
  const transfer = c.decision?.action === 'transfer';
  const due = c.clocks.departmentDue?.due ?? c.clocks.handling?.due;
  const rows: [string, string][] = [
    ['案件编号', c.caseNo],
    [transfer ? '转送机关' : '承办单位', transfer ? (c.decision?.transferTo ?? '') : c.deptCode ? l.department(c.deptCode) : '（尚未交办）'],
    ['信访人', c.petitioners.map((p) => p.name).join('、') + (c.persons > c.petitioners.length ? `等${c.persons}人` : '')],
    ['信访形式', CHANNEL_LABELS[c.channel.type]],
    ['收到日期', bodyDate(c.receivedOn)],
    ['事项类型', ITEM_TYPE_LABELS[c.itemType]],
    ['问题类别', l.category(c.category)],
    ['事由', c.subject],
    ['主要内容', c.summary],
  ];
  if (c.decision?.route) rows.push(['法定途径', STATUTORY_ROUTE_LABELS[c.decision.route as StatutoryRoute]]);
  rows.push(['批办意见', c.decision?.comment ?? c.decision?.reason ?? '']);
  if (!transfer) rows.push(['办理期限', due ? `${bodyDate(due)}前办结并书面报送办理结果` : '']);
  rows.push([
    '办理要求',
    transfer
      ? '请依照《信访工作条例》的规定办理，并将办理情况告知信访人。'
      : '请依照《信访工作条例》的规定及时受理办理，在办理期限内作出处理意见并书面答复信访人，同时将办理结果报送本机关；不能按期办结的，应在期限届满前说明理由并申请延期。',
  ]);
  rows.push([transfer ? '转送日期' : '交办日期', day(c.decision?.at)]);
  return {
    title: transfer ? '转办单' : OFFICE_FORM_LABELS.assignment,
    caseNo: c.caseNo,
    organ: l.organ,
    rows,
    signatures: [`签收人（签名）：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000签收日期：${BLANK_DATE}`],
  };
}

/** 送达回证: the letters served on the petitioner, and the lines for the receipt. */
function serviceReceipt(c: FormCase, l: FormLabels, letters: FormLetter[]): OfficeForm {
  const served = letters
    .filter((d) => d.letterKind !== undefined && isLetterType(d.letterKind) && PETITIONER_LETTERS.has(d.letterKind) && d.letterKind !== 'receipt')
    .map((d) => `${LETTER_TITLES[d.letterKind as keyof typeof LETTER_TITLES]}${d.documentNo ? `（${d.documentNo}）` : ''}\u3000${day(d.createdAt)}`);
  const first = c.petitioners[0];
  return {
    title: OFFICE_FORM_LABELS['service-receipt'],
    caseNo: c.caseNo,
    organ: l.organ,
    rows: [
      ['案件编号', c.caseNo],
      ['受送达人', c.petitioners.map((p) => p.name).join('、')],
      ['送达文书名称及文号', served.length > 0 ? served.join('\n') : '（本案尚无送达信访人的文书）'],
      ['送达地点', first?.address ?? ''],
      [
        '送达方式',
        c.delivery
          ? (DELIVERY_METHOD_LABELS[c.delivery.method as DeliveryMethod] ?? c.delivery.method)
          : '直接送达 / 邮寄送达 / 其他：\u3000\u3000\u3000\u3000',
      ],
      ['受送达人签名或盖章', `\n\n${BLANK_DATE}`],
      ['代收人及代收理由', '\n'],
      ['送达人', '\n'],
      ['备注', '\n'],
    ],
    signatures: [],
  };
}

export function officeForm(kind: OfficeFormKind, c: FormCase, labels: FormLabels, letters: FormLetter[] = []): OfficeForm {
  switch (kind) {
    case 'registration':
      return registrationForm(c, labels);
    case 'assignment':
      return assignmentForm(c, labels);
    case 'service-receipt':
      return serviceReceipt(c, labels, letters);
  }
}

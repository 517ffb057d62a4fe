/**
 * A realistic demo case for every letter type: the samples script, the benchmark, the tests and
 * the local stack's seed use it. Names of people, places and firms are invented.
 */
import type { LetterDataInput } from './content';
import type { LetterType } from '../domain/letter-types';

const CASE = {
  caseNo: 'XF-2026-000123',
  petitionerName: '张秀兰',
  subject: '反映清河小区物业服务企业擅自提高物业服务费标准',
  receivedDate: '2026-09-15',
  queryCode: 'K7M2Q9PA',
} as const;

const OPINION = {
  request: '请求责令江川市安居物业服务有限公司停止执行自2026年7月起上调的物业服务费标准，并退还多收取的费用。',
  facts:
    '经查，清河小区由江川市安居物业服务有限公司提供物业服务，物业服务合同约定住宅物业服务费为每月每平方米1.20元。2026年6月，该公司未经业主大会决定，也未与业主委员会协商一致，张贴通知自2026年7月起将收费标准上调至每月每平方米1.60元。江川市住房和城乡建设局于2026年10月12日组织现场核查，调取了物业服务合同、收费公示和缴费记录，确认上述情况属实。',
  decision:
    '责成江川市安居物业服务有限公司自本意见书送达之日起停止执行上调后的收费标准，恢复按合同约定的标准收费，并于2026年12月31日前退还2026年7月以来多收取的费用或抵扣此后的物业服务费。江川市住房和城乡建设局负责督促落实。',
  outcome: 'support',
  legalBasis: '《物业管理条例》第四十一条、《东州省物业管理条例》第五十二条',
} as const;

export const DEMO_LETTER_DATA: { [T in LetterType]: LetterDataInput<T> } = {
  receipt: {
    caseNo: CASE.caseNo,
    issueDate: '2026-09-15',
    subject: CASE.subject,
    petitionerName: CASE.petitionerName,
    receivedDate: CASE.receivedDate,
    channel: 'visit',
    queryCode: CASE.queryCode,
  },
  'acceptance-notice': {
    ...CASE,
    issueDate: '2026-09-22',
    seq: 86,
    acceptedDate: '2026-09-22',
    handlingDue: '2026-11-23',
  },
  'non-acceptance-notice': {
    caseNo: 'XF-2026-000131',
    issueDate: '2026-09-24',
    seq: 17,
    petitionerName: '李建国',
    subject: '反映江川市宏达建筑劳务有限公司拖欠劳动报酬',
    receivedDate: '2026-09-16',
    reason: '你与江川市宏达建筑劳务有限公司之间因拖欠劳动报酬产生的争议属于劳动争议',
    route: { kind: 'arbitration', organ: '江川市劳动人事争议仲裁委员会' },
  },
  'transfer-notice': {
    caseNo: 'XF-2026-000135',
    issueDate: '2026-09-25',
    seq: 42,
    petitionerName: '王志强',
    subject: '反映江川县石门镇农村公路路面破损',
    receivedDate: '2026-09-18',
    receivingOrgan: '江川县人民政府',
    transferDate: '2026-09-25',
  },
  'extension-notice': {
    ...CASE,
    issueDate: '2026-11-16',
    seq: 9,
    acceptedDate: '2026-09-22',
    originalDue: '2026-11-23',
    newDue: '2026-12-21',
    reason: '需要调取该小区近三年的物业服务收费台账并委托第三方机构进行审计',
  },
  'handling-opinion': {
    ...CASE,
    issueDate: '2026-11-21',
    seq: 12,
    acceptedDate: '2026-09-22',
    opinion: OPINION,
  },
  'review-opinion': {
    caseNo: 'XF-2026-000088',
    issueDate: '2026-10-30',
    seq: 5,
    petitionerName: '陈玉梅',
    subject: '反映清河区城市更新项目房屋征收补偿标准',
    receivedDate: '2026-05-11',
    requestDate: '2026-10-08',
    original: { organ: '江川市清河区人民政府', documentNo: '清政信处〔2026〕31号' },
    opinion: {
      request: '请求按照2026年评估时点的市场价格重新核定房屋征收补偿金额。',
      facts:
        '经复查，清河区人民政府于2026年3月依法作出房屋征收决定，评估机构由被征收人协商选定，评估时点为征收决定公告之日，评估结果已送达你本人。你在法定期限内未申请复核评估。原处理意见认定事实清楚，适用依据正确。',
      decision: '维持江川市清河区人民政府作出的信访处理意见。',
      outcome: 'reject',
      legalBasis: '《国有土地上房屋征收与补偿条例》第十九条、第二十条',
    },
  },
  'rereview-opinion': {
    caseNo: 'XF-2026-000041',
    issueDate: '2026-08-14',
    seq: 2,
    petitionerName: '刘德明',
    subject: '反映江川县河口乡土地承包经营权调整',
    receivedDate: '2026-02-20',
    requestDate: '2026-07-20',
    original: { organ: '江川县人民政府', documentNo: '江县信复〔2026〕7号' },
    opinion: {
      request: '请求恢复本户在2019年土地调整前承包的两亩耕地。',
      facts:
        '经复核，河口乡2019年的土地调整经村民会议三分之二以上成员同意，并报乡人民政府和县农业农村主管部门批准，程序合法。你家庭现承包耕地面积与调整方案一致，已领取土地承包经营权证书。',
      decision: '维持江川县人民政府作出的复查意见。',
      outcome: 'reject',
      legalBasis: '《中华人民共和国农村土地承包法》第二十八条',
    },
  },
  'supervision-notice': {
    caseNo: CASE.caseNo,
    issueDate: '2026-11-12',
    seq: 23,
    subject: CASE.subject,
    departmentName: '江川市住房和城乡建设局',
    assignedDate: '2026-09-23',
    departmentDue: '2026-11-10',
    level: 'supervision',
    replyBy: '2026-11-19',
  },
};

/** Facts long enough for a handling opinion of about `pages` pages (benchmark, tests). */
export function demoLongFacts(paragraphCount: number): string {
  const sentences = [
    '经查，清河小区共有住宅1286户，由江川市安居物业服务有限公司自2021年1月起提供物业服务，物业服务合同约定住宅物业服务费为每月每平方米1.20元，合同期限五年。',
    '2026年6月18日，该公司在小区公告栏张贴《关于调整物业服务费的通知》，称因人工和能耗成本上涨，自2026年7月1日起将收费标准上调至每月每平方米1.60元。',
    '江川市住房和城乡建设局于2026年10月12日会同清河街道办事处组织现场核查，调取了物业服务合同、业主大会会议记录、收费公示材料和2026年7月至9月的缴费记录。',
    '核查发现，该公司调整收费标准前未提请业主大会讨论决定，也未与业主委员会协商一致；通知张贴后，有业主412户书面提出异议，该公司未予答复。',
    '同时查明，2026年7月至9月，该公司按新标准向已缴费的733户收取物业服务费，多收取的费用合计约人民币18.6万元；其余业主以拒缴方式表达异议，该公司对其中56户发出了催缴通知。',
  ];
  return Array.from({ length: paragraphCount }, (_, i) => sentences[i % sentences.length] as string).join('\n');
}

/**
 * The configurable parts of a case record: item types (Art. 29–31), channels, and the category
 * taxonomy. An office may replace the categories through its configuration; these defaults cover
 * what a city office sees most.
 */
import type { Category } from './categories';

export const ITEM_TYPES = ['suggestion', 'accusation', 'request-appeal'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  suggestion: '建议意见类',
  accusation: '检举控告类',
  'request-appeal': '申诉求决类',
};

export const CHANNELS = ['letter', 'visit', 'online', 'phone', 'fax', 'referral'] as const;
export type ChannelType = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<ChannelType, string> = {
  letter: '来信',
  visit: '来访',
  online: '网上信访',
  phone: '来电',
  fax: '传真',
  referral: '上级交转办',
};

export type { Category } from './categories';

const sub = (code: string, name: string) => ({ code, name, retired: false });

/**
 * The default content taxonomy (问题类别 / 子类), drawn from the classifications 信访 offices
 * commonly use. OFFICE_CONFIG may replace it; it seeds the table on first start, after which the
 * admin's 分类管理 screen keeps it (docs/admin.md). The codes of the first release stay as they
 * were (cases carry them).
 */
export const DEFAULT_CATEGORIES: Category[] = [
  {
    code: 'labour',
    name: '劳动社保',
    retired: false,
    subcategories: [
      sub('wages', '拖欠工资'),
      sub('pension', '养老保险'),
      sub('medical-insurance', '医疗保险'),
      sub('contract', '劳动合同'),
      sub('injury', '工伤认定'),
      sub('employment', '就业创业'),
    ],
  },
  {
    code: 'rural',
    name: '农业农村',
    retired: false,
    subcategories: [sub('contracting', '土地承包'), sub('subsidy', '惠农补贴'), sub('collective', '村务管理和集体资产'), sub('homestead', '宅基地')],
  },
  {
    code: 'land',
    name: '国土资源',
    retired: false,
    subcategories: [sub('expropriation', '征地补偿'), sub('registration', '不动产登记'), sub('mining', '矿产资源'), sub('illegal-use', '违法用地')],
  },
  {
    code: 'urban',
    name: '城乡建设',
    retired: false,
    subcategories: [
      sub('demolition', '房屋征收拆迁'),
      sub('property', '物业管理'),
      sub('housing', '住房保障'),
      sub('planning', '规划建设'),
      sub('delivery', '商品房交付和办证'),
    ],
  },
  {
    code: 'environment',
    name: '生态环境',
    retired: false,
    subcategories: [sub('air', '大气污染'), sub('water', '水污染'), sub('noise', '噪声污染'), sub('waste', '固体废物'), sub('ecology', '生态破坏')],
  },
  {
    code: 'assistance',
    name: '民政救助',
    retired: false,
    subcategories: [sub('subsistence', '最低生活保障'), sub('hardship', '特困供养和临时救助'), sub('elderly', '养老服务'), sub('veterans', '退役军人优抚')],
  },
  {
    code: 'law',
    name: '政法',
    retired: false,
    subcategories: [sub('litigation', '涉法涉诉'), sub('public-security', '治安管理'), sub('enforcement', '执行难'), sub('judicial-admin', '司法行政')],
  },
  {
    code: 'accusation',
    name: '纪检监察',
    retired: false,
    subcategories: [sub('corruption', '贪污贿赂'), sub('abuse', '滥用职权'), sub('style', '违反中央八项规定精神'), sub('neglect', '失职渎职')],
  },
  {
    code: 'education',
    name: '教育',
    retired: false,
    subcategories: [sub('admission', '招生入学'), sub('teachers', '教师待遇'), sub('fees', '教育收费'), sub('campus', '校园安全')],
  },
  {
    code: 'health',
    name: '卫生健康',
    retired: false,
    subcategories: [
      sub('medical-dispute', '医疗纠纷'),
      sub('medical-ethics', '医德医风'),
      sub('public-health', '公共卫生'),
      sub('family-planning', '计划生育'),
    ],
  },
  {
    code: 'transport',
    name: '交通运输',
    retired: false,
    subcategories: [sub('roads', '道路建设'), sub('transit', '公共交通'), sub('taxi', '出租车和网约车')],
  },
  {
    code: 'market',
    name: '市场监管',
    retired: false,
    subcategories: [sub('consumer', '消费维权'), sub('food', '食品药品安全'), sub('pricing', '价格收费')],
  },
  { code: 'other', name: '其他', retired: false, subcategories: [] },
];

/** The category of accusations (纪检监察): a case in it must be of the accusation item type. */
export const ACCUSATION_CATEGORY = 'accusation';

/** Statutory routes (诉访分离): if one of them has accepted the matter, it is not a 信访 item. */
export const STATUTORY_ROUTES = ['litigation', 'arbitration', 'reconsideration', 'other'] as const;
export type StatutoryRoute = (typeof STATUTORY_ROUTES)[number];
export const STATUTORY_ROUTE_LABELS: Record<StatutoryRoute, string> = {
  litigation: '诉讼',
  arbitration: '仲裁',
  reconsideration: '行政复议',
  other: '其他法定途径',
};

/** How the handling opinion reached the petitioner (送达方式). */
export const DELIVERY_METHODS = ['in-person', 'post', 'electronic', 'other'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];
export const DELIVERY_METHOD_LABELS: Record<DeliveryMethod, string> = {
  'in-person': '直接送达',
  post: '邮寄送达',
  electronic: '电子送达',
  other: '其他方式',
};

/** In statistics, a petition of this many persons or more counts as collective (practice). */
export const COLLECTIVE_THRESHOLD = 5;
export const MAX_REPRESENTATIVES = 5;

/**
 * The level a visit or a referral reached (信访层级), for the 越级 figures: a visit to this office
 * that skipped the level below (越级到市访), or a referral from a higher office of a visit made
 * there (赴省访, 进京访). A case of another channel has none.
 */
export const PETITION_LEVELS = ['same-level', 'skip-level', 'province', 'capital'] as const;
export type PetitionLevel = (typeof PETITION_LEVELS)[number];
export const PETITION_LEVEL_LABELS: Record<PetitionLevel, string> = {
  'same-level': '本级访',
  'skip-level': '越级到市访',
  province: '赴省访',
  capital: '进京访',
};
/** The levels that count as 越级 (skipped a level). */
export const SKIP_LEVELS: readonly PetitionLevel[] = ['skip-level', 'province', 'capital'];
/** The channels a level is recorded for. */
export const LEVEL_CHANNELS: readonly ChannelType[] = ['visit', 'referral'];

/** A place a matter is about (问题属地): one of the office's localities (its districts, towns, counties). */
export interface Locality {
  code: string;
  name: string;
}

/** The demo office's localities (江川): an office sets its own (OFFICE_CONFIG `localities`). */
export const DEFAULT_LOCALITIES: Locality[] = [
  { code: 'ninghai', name: '宁海街道' },
  { code: 'dajie', name: '大街街道' },
  { code: 'jiangcheng', name: '江城镇' },
  { code: 'qianwei', name: '前卫镇' },
  { code: 'jiuxi', name: '九溪镇' },
  { code: 'luju', name: '路居镇' },
  { code: 'xiongguan', name: '雄关乡' },
  { code: 'anhua', name: '安化乡' },
  { code: 'elsewhere', name: '辖区外' },
];

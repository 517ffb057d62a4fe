/**
 * The configurable parts of a case record: item types (Art. 29–31), channels, and the category
 * taxonomy. An office may replace the categories through its configuration; these defaults cover
 * what a city office sees most.
 */
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

export interface Category {
  code: string;
  name: string;
}

export const DEFAULT_CATEGORIES: Category[] = [
  { code: 'labour', name: '劳动和社会保障（含劳资纠纷）' },
  { code: 'rural', name: '农村农业' },
  { code: 'land', name: '国土资源和征地拆迁补偿' },
  { code: 'urban', name: '城乡建设' },
  { code: 'assistance', name: '社会救助' },
  { code: 'environment', name: '生态环境' },
  { code: 'law', name: '政法（涉法涉诉）' },
  { code: 'accusation', name: '纪检监察（检举控告）' },
  { code: 'other', name: '其他' },
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

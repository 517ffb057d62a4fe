/**
 * Clock rules by rule-set version (DESIGN §3, "Clocks"), and the office's counting policy.
 *
 * `2022` is the 信访工作条例 (2022) and the default; `2005` is the 信访条例 (2005, State Council
 * Decree No. 431), kept for cases registered under it. A case stores its rule-set version, and
 * every due date records the rule, article and version it was computed from.
 */
import { z } from 'zod';
import { RuleViolationError, ValidationError } from '../errors';
import { MAX_EXTENSION_DAYS } from '../statute';
import type { ItemType } from '../taxonomy';

export const CLOCK_KINDS = [
  'notify',
  'transferObjection',
  'handling',
  'departmentDue',
  'reviewRequestWindow',
  'reviewDecision',
  'rereviewRequestWindow',
  'rereviewDecision',
] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const RULE_SET_VERSIONS = ['2022', '2005'] as const;
export type RuleSetVersion = (typeof RULE_SET_VERSIONS)[number];
export const DEFAULT_RULE_SET: RuleSetVersion = '2022';

export const DAY_UNITS = ['calendarDays', 'workingDays'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

/** Where a clock's length comes from: the regulation, the office's policy, or an explicit override. */
export const LENGTH_SOURCES = ['statute', 'policy', 'override'] as const;
export type LengthSource = (typeof LENGTH_SOURCES)[number];

export interface ClockRule {
  kind: ClockKind;
  /** What a clerk sees, in Chinese. */
  label: string;
  /** The article the length comes from, or `本机关规定` for office policy. */
  article: string;
  /** Days; for `departmentDue` this is the lead before the statutory handling due, not a length. */
  length: number;
  unit: DayUnit;
  /** What starts the clock, in Chinese. */
  startsOn: string;
  source: 'statute' | 'policy';
}

/** A rule with the rule set it was taken from, as recorded in a derivation. */
export interface ResolvedRule extends ClockRule {
  ruleSet: RuleSetVersion;
}

/**
 * The office's counting policy (DESIGN §3: "Counting (policy, configurable, defaults shown)").
 * `maxExtensionDays` may be lowered by an office but never raised above the statutory 30 days.
 */
export const ClockPolicySchema = z.object({
  /** Count the start day as day 1. Default false: counting begins the day after the event. */
  startDayCounted: z.boolean().default(false),
  /** Move a calendar-day clock whose last day is a rest day or public holiday to the next working day. */
  rollForward: z.boolean().default(true),
  /** Handling length for items other than 申诉求决类 (no statutory length; office policy). */
  handlingDaysOtherTypes: z.number().int().min(1).max(365).default(60),
  /** How many days before the statutory handling due the department's own due date falls. */
  departmentLeadDays: z.number().int().min(0).max(59).default(10),
  /** Longest extension of a handling clock (Art. 34: at most 30 days). */
  maxExtensionDays: z.number().int().min(1).max(MAX_EXTENSION_DAYS).default(MAX_EXTENSION_DAYS),
});
export type ClockPolicy = z.infer<typeof ClockPolicySchema>;

export const DEFAULT_CLOCK_POLICY: ClockPolicy = Object.freeze(ClockPolicySchema.parse({}));

/** A full policy from a partial one (defaults filled in); a ValidationError on bad values. */
export function resolvePolicy(policy: Partial<ClockPolicy> = {}): ClockPolicy {
  const parsed = ClockPolicySchema.safeParse(policy);
  if (!parsed.success) {
    throw ValidationError.fromZod(parsed.error, { prefix: 'policy', root: 'policy', message: 'Invalid clock policy' });
  }
  return parsed.data;
}

const OFFICE_POLICY = '本机关规定';

type RuleTable = Partial<Record<ClockKind, Omit<ClockRule, 'kind'>>>;

const RULES_2022: RuleTable = {
  notify: {
    label: '受理告知期限',
    article: '《信访工作条例》第二十二条、第二十三条',
    length: 15,
    unit: 'calendarDays',
    startsOn: '收到信访事项之日',
    source: 'statute',
  },
  transferObjection: {
    label: '转送交办异议期限',
    article: '《信访工作条例》第二十三条第三款',
    length: 5,
    unit: 'workingDays',
    startsOn: '收到上级转送、交办的信访事项之日',
    source: 'statute',
  },
  handling: { label: '办理期限', article: '《信访工作条例》第三十四条', length: 60, unit: 'calendarDays', startsOn: '受理之日', source: 'statute' },
  reviewRequestWindow: {
    label: '复查申请期限',
    article: '《信访工作条例》第三十五条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到书面答复之日',
    source: 'statute',
  },
  reviewDecision: {
    label: '复查期限',
    article: '《信访工作条例》第三十五条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复查请求之日',
    source: 'statute',
  },
  rereviewRequestWindow: {
    label: '复核申请期限',
    article: '《信访工作条例》第三十六条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复查意见之日',
    source: 'statute',
  },
  rereviewDecision: {
    label: '复核期限（听证时间不计入）',
    article: '《信访工作条例》第三十六条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复核请求之日',
    source: 'statute',
  },
};

/**
 * 信访条例 (2005). It has no 5-working-day objection to a transfer from above (that came with
 * the 2022 条例), so `transferObjection` is absent and starting one under 2005 is an error.
 */
const RULES_2005: RuleTable = {
  notify: {
    label: '受理告知期限',
    article: '《信访条例》（2005）第二十一条、第二十二条',
    length: 15,
    unit: 'calendarDays',
    startsOn: '收到信访事项之日',
    source: 'statute',
  },
  handling: { label: '办理期限', article: '《信访条例》（2005）第三十三条', length: 60, unit: 'calendarDays', startsOn: '受理之日', source: 'statute' },
  reviewRequestWindow: {
    label: '复查申请期限',
    article: '《信访条例》（2005）第三十四条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到书面答复之日',
    source: 'statute',
  },
  reviewDecision: {
    label: '复查期限',
    article: '《信访条例》（2005）第三十四条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复查请求之日',
    source: 'statute',
  },
  rereviewRequestWindow: {
    label: '复核申请期限',
    article: '《信访条例》（2005）第三十五条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复查意见之日',
    source: 'statute',
  },
  rereviewDecision: {
    label: '复核期限（听证时间不计入）',
    article: '《信访条例》（2005）第三十五条',
    length: 30,
    unit: 'calendarDays',
    startsOn: '收到复核请求之日',
    source: 'statute',
  },
};

/** The statutory rules of each version, as published (office-policy clocks are added by `ruleFor`). */
export const RULE_SETS: Readonly<Record<RuleSetVersion, RuleTable>> = Object.freeze({ '2022': RULES_2022, '2005': RULES_2005 });

/**
 * The rule for a clock kind under a rule set, with the office policy applied:
 * - `handling` for items other than 申诉求决类 takes `policy.handlingDaysOtherTypes` (no statute);
 * - `departmentDue` is office policy: `policy.departmentLeadDays` before the statutory handling due.
 * Throws a RuleViolationError for a kind the rule set does not have (transferObjection under 2005),
 * and for `handling` without an item type.
 */
export function ruleFor(
  kind: ClockKind,
  ruleSet: RuleSetVersion = DEFAULT_RULE_SET,
  itemType?: ItemType,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): ResolvedRule {
  if (kind === 'departmentDue') {
    return {
      kind,
      ruleSet,
      label: '承办单位办理期限',
      article: OFFICE_POLICY,
      length: policy.departmentLeadDays,
      unit: 'calendarDays',
      startsOn: '交办之日',
      source: 'policy',
    };
  }
  const rule = RULE_SETS[ruleSet][kind];
  if (!rule) {
    throw new RuleViolationError(`Rule set ${ruleSet} has no ${kind} clock`, { kind, ruleSet });
  }
  if (kind === 'handling') {
    if (!itemType) {
      throw new RuleViolationError('A handling clock needs the item type (its length depends on it)', { kind, ruleSet });
    }
    if (itemType !== 'request-appeal') {
      return { ...rule, kind, ruleSet, length: policy.handlingDaysOtherTypes, article: `${OFFICE_POLICY}（参照${rule.article}）`, source: 'policy' };
    }
  }
  return { ...rule, kind, ruleSet };
}

/**
 * What an office decides about its statistics (DESIGN §8): how many persons make a collective
 * petition, how long a petitioner has to rate an answer before it counts as 超期未评价, and the
 * formulas of the satisfaction rates. Offices define 参评率 / 满意率 / 参评满意率 differently, so
 * each is versioned configuration: a report names the version and shows each rate's formula with
 * its numerator and denominator. Pure.
 */
import { z } from 'zod';

/** The rating outcomes a satisfaction formula adds up (满意度评价). */
export const RATING_TERMS = ['satisfied', 'basically-satisfied', 'unsatisfied', 'expired', 'pending', 'total'] as const;
export type RatingTerm = (typeof RATING_TERMS)[number];
export const RATING_TERM_LABELS: Record<RatingTerm, string> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  unsatisfied: '不满意',
  expired: '超期未评价',
  pending: '待评价',
  total: '总数',
};

/** A rate as a sum of terms over a sum of terms (× 100%). */
const RatioFormula = z.object({
  numerator: z.array(z.enum(RATING_TERMS)).min(1),
  denominator: z.array(z.enum(RATING_TERMS)).min(1),
});
export type RatioFormula = z.infer<typeof RatioFormula>;

/** 参评满意率: either its own ratio, or the product of 参评率 and 满意率 (one published rule). */
const RatedSatisfactionFormula = z.union([RatioFormula, z.object({ product: z.tuple([z.literal('participation'), z.literal('satisfaction')]) })]);
export type RatedSatisfactionFormula = z.infer<typeof RatedSatisfactionFormula>;

export const RatingFormulasSchema = z.object({
  /** Raised whenever a formula changes; a report (and a frozen one) names the version it used. */
  version: z.number().int().min(1),
  /** 参评率 */
  participation: RatioFormula,
  /** 满意率 */
  satisfaction: RatioFormula,
  /** 参评满意率 */
  ratedSatisfaction: RatedSatisfactionFormula,
});
export type RatingFormulas = z.infer<typeof RatingFormulasSchema>;

/**
 * The default: the published rule quoted in issue 13 — an item not rated in time counts as
 * satisfied: 满意率 = (满意 + 基本满意 + 超期未评价) ÷ 总数, 参评率 = (满意 + 基本满意 + 不满意) ÷ 总数,
 * 参评满意率 = 参评率 × 满意率.
 */
export const DEFAULT_RATING_FORMULAS: RatingFormulas = {
  version: 1,
  participation: { numerator: ['satisfied', 'basically-satisfied', 'unsatisfied'], denominator: ['total'] },
  satisfaction: { numerator: ['satisfied', 'basically-satisfied', 'expired'], denominator: ['total'] },
  ratedSatisfaction: { product: ['participation', 'satisfaction'] },
};

export const ReportSettingsSchema = z.object({
  /** A petition of this many persons or more is collective (集体访); practice says 5. */
  collectiveThreshold: z.number().int().min(2).max(1000).default(5),
  /** Days after delivery a petitioner may rate; unrated after that: 超期未评价. */
  ratingWindowDays: z.number().int().min(1).max(365).default(30),
  /** The satisfaction formulas in force. */
  ratingFormulas: RatingFormulasSchema.default(DEFAULT_RATING_FORMULAS),
  /** How many categories the 热点问题 list shows. */
  hotTopics: z.number().int().min(1).max(50).default(10),
});
export type ReportSettings = z.infer<typeof ReportSettingsSchema>;
export const DEFAULT_REPORT_SETTINGS: ReportSettings = ReportSettingsSchema.parse({});

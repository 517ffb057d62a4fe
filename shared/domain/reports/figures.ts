/**
 * The figures of a report (DESIGN §8, issue 13) and how each is computed from report facts. Every
 * figure has an id, a Chinese label and a kind: a count (批次, with its 人次), a rate (per cent, with
 * the formula, numerator and denominator it came from) or an average (days). docs/reports.md
 * defines each one. Pure.
 */
import { daysBetween } from '../time';
import type { ReportFact } from './facts';
import { RATING_TERM_LABELS, type RatingTerm, type RatioFormula, type ReportSettings } from './settings';
import { SKIP_LEVELS } from '../taxonomy';

export const COUNT_FIGURES = [
  'total',
  'letters',
  'visits',
  'collectiveVisits',
  'individualVisits',
  'skipLevel',
  'skipToCity',
  'toProvince',
  'toCapital',
  'firstTime',
  'repeat',
  'accepted',
  'declined',
  'transferred',
  'assigned',
  'notifyDue',
  'notifyOnTime',
  'handlingDue',
  'handlingOnTime',
  'overdue',
  'supervised',
  'flagged',
  'reviews',
  'rereviews',
  'final',
  'ratingTotal',
  'satisfied',
  'basicallySatisfied',
  'unsatisfied',
  'ratingExpired',
  'ratingPending',
] as const;
export const RATE_FIGURES = [
  'repeatRate',
  'onTimeNotifyRate',
  'onTimeCompletionRate',
  'participationRate',
  'satisfactionRate',
  'ratedSatisfactionRate',
] as const;
export const AVERAGE_FIGURES = ['avgDaysToAcceptance', 'avgDaysToReply'] as const;
export const FIGURE_IDS = [...COUNT_FIGURES, ...RATE_FIGURES, ...AVERAGE_FIGURES] as const;

export type CountFigureId = (typeof COUNT_FIGURES)[number];
export type RateFigureId = (typeof RATE_FIGURES)[number];
export type AverageFigureId = (typeof AVERAGE_FIGURES)[number];
export type FigureId = (typeof FIGURE_IDS)[number];
export type FigureKind = 'count' | 'rate' | 'average';

export const FIGURE_LABELS: Record<FigureId, string> = {
  total: '信访总量',
  letters: '来信',
  visits: '来访',
  collectiveVisits: '集体访',
  individualVisits: '个体访',
  skipLevel: '越级访',
  skipToCity: '越级到市访',
  toProvince: '赴省访',
  toCapital: '进京访',
  firstTime: '初信初访',
  repeat: '重复信访',
  accepted: '受理',
  declined: '不予受理',
  transferred: '转送',
  assigned: '交办',
  notifyDue: '应受理告知',
  notifyOnTime: '按期受理告知',
  handlingDue: '应办结',
  handlingOnTime: '按期办结',
  overdue: '超期',
  supervised: '督办',
  flagged: '挂牌督办',
  reviews: '复查',
  rereviews: '复核',
  final: '终结',
  ratingTotal: '应评价总数',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
  ratingExpired: '超期未评价',
  ratingPending: '待评价',
  repeatRate: '重复信访率',
  onTimeNotifyRate: '按期受理告知率',
  onTimeCompletionRate: '按期办结率',
  participationRate: '参评率',
  satisfactionRate: '满意率',
  ratedSatisfactionRate: '参评满意率',
  avgDaysToAcceptance: '平均受理天数',
  avgDaysToReply: '平均答复天数',
};

export function figureKind(id: FigureId): FigureKind {
  if ((RATE_FIGURES as readonly string[]).includes(id)) return 'rate';
  if ((AVERAGE_FIGURES as readonly string[]).includes(id)) return 'average';
  return 'count';
}

/** What a report is computed as of: clocks and rating windows are judged on this day. */
export interface FigureContext {
  /** The day the figures are judged on (today, or the day a period was frozen). */
  asOf: string;
  settings: ReportSettings;
}

/** A clock counts once it has come due or stopped: stopped on or before its due date is on time. */
function clockDue(k: ReportFact['notify'], asOf: string): boolean {
  return k !== undefined && (k.stoppedOn !== undefined || k.due < asOf);
}
function clockOnTime(k: ReportFact['notify']): boolean {
  return k?.stoppedOn !== undefined && k.stoppedOn <= k.due;
}
/** Overdue: stopped after its due date, or still open with its due date passed. */
function clockOverdue(k: ReportFact['notify'], asOf: string): boolean {
  if (!k) return false;
  return k.stoppedOn !== undefined ? k.stoppedOn > k.due : k.due < asOf;
}

/** The rating outcome of a fact on `asOf`: undefined when it is not to be rated (not delivered). */
export function ratingOutcome(f: ReportFact, ctx: FigureContext): Exclude<RatingTerm, 'total'> | undefined {
  if (f.deliveredOn === undefined) return undefined;
  if (f.rating) return f.rating;
  return daysBetween(f.deliveredOn, ctx.asOf) > ctx.settings.ratingWindowDays ? 'expired' : 'pending';
}

/** Which facts each count figure counts (the drill-down lists the same cases). */
export const COUNTS: Record<CountFigureId, (f: ReportFact, ctx: FigureContext) => boolean> = {
  total: () => true,
  letters: (f) => f.channel === 'letter',
  visits: (f) => f.channel === 'visit',
  collectiveVisits: (f, c) => f.channel === 'visit' && f.persons >= c.settings.collectiveThreshold,
  individualVisits: (f, c) => f.channel === 'visit' && f.persons < c.settings.collectiveThreshold,
  skipLevel: (f) => f.level !== undefined && SKIP_LEVELS.includes(f.level),
  skipToCity: (f) => f.level === 'skip-level',
  toProvince: (f) => f.level === 'province',
  toCapital: (f) => f.level === 'capital',
  firstTime: (f) => f.firstTime,
  repeat: (f) => !f.firstTime,
  accepted: (f) => f.decision === 'accept',
  declined: (f) => f.decision === 'decline',
  transferred: (f) => f.decision === 'transfer',
  assigned: (f) => f.assigned,
  notifyDue: (f, c) => clockDue(f.notify, c.asOf),
  notifyOnTime: (f, c) => clockDue(f.notify, c.asOf) && clockOnTime(f.notify),
  handlingDue: (f, c) => clockDue(f.handling, c.asOf),
  handlingOnTime: (f, c) => clockDue(f.handling, c.asOf) && clockOnTime(f.handling),
  overdue: (f, c) => clockOverdue(f.notify, c.asOf) || clockOverdue(f.handling, c.asOf),
  supervised: (f) => f.supervision !== undefined,
  flagged: (f) => f.supervision === 'flagged',
  reviews: (f) => f.review,
  rereviews: (f) => f.rereview,
  final: (f) => f.final,
  ratingTotal: (f, c) => ratingOutcome(f, c) !== undefined,
  satisfied: (f, c) => ratingOutcome(f, c) === 'satisfied',
  basicallySatisfied: (f, c) => ratingOutcome(f, c) === 'basically-satisfied',
  unsatisfied: (f, c) => ratingOutcome(f, c) === 'unsatisfied',
  ratingExpired: (f, c) => ratingOutcome(f, c) === 'expired',
  ratingPending: (f, c) => ratingOutcome(f, c) === 'pending',
};

/** The days an average figure averages, for the facts it covers (undefined: not covered). */
export const AVERAGES: Record<AverageFigureId, (f: ReportFact) => number | undefined> = {
  avgDaysToAcceptance: (f) => (f.decision === 'accept' && f.decidedOn ? daysBetween(f.receivedOn, f.decidedOn) : undefined),
  avgDaysToReply: (f) => (f.repliedOn ? daysBetween(f.receivedOn, f.repliedOn) : undefined),
};

/** Rounds to 0.01 (half away from zero, on the decimal value: 1.005 → 1.01). */
export function round2(x: number): number {
  const r = Math.round(Math.abs(x) * 100 + 1e-9) / 100;
  return x < 0 ? -r : r;
}

/** A rate's formula as the report shows it. */
export interface RateFormula {
  /** Stable id and version: `satisfaction@1`. */
  id: string;
  text: string;
  numeratorLabel: string;
  denominatorLabel: string;
}

export const RATING_TERM_FIGURE: Record<RatingTerm, CountFigureId> = {
  satisfied: 'satisfied',
  'basically-satisfied': 'basicallySatisfied',
  unsatisfied: 'unsatisfied',
  expired: 'ratingExpired',
  pending: 'ratingPending',
  total: 'ratingTotal',
};

function terms(ts: readonly RatingTerm[]): string {
  return ts.map((t) => RATING_TERM_LABELS[t]).join(' + ');
}
function paren(ts: readonly RatingTerm[]): string {
  return ts.length > 1 ? `(${terms(ts)})` : terms(ts);
}

/** The numerator and denominator of a rate, from the counts, and its formula. */
export function rateOf(
  id: RateFigureId,
  counts: Record<CountFigureId, number>,
  settings: ReportSettings,
): RateFormula & { numerator: number; denominator: number } {
  const f = settings.ratingFormulas;
  const sum = (ts: readonly RatingTerm[]) => ts.reduce((s, t) => s + counts[RATING_TERM_FIGURE[t]], 0);
  const ratio = (name: string, key: string, r: RatioFormula) => ({
    id: `${key}@${f.version}`,
    text: `${name} = ${paren(r.numerator)} ÷ ${paren(r.denominator)} × 100%`,
    numeratorLabel: terms(r.numerator),
    denominatorLabel: terms(r.denominator),
    numerator: sum(r.numerator),
    denominator: sum(r.denominator),
  });
  switch (id) {
    case 'repeatRate':
      return {
        id: 'repeat-rate@1',
        text: '重复信访率 = 重复信访批次 ÷ 信访总量批次 × 100%',
        numeratorLabel: '重复信访批次',
        denominatorLabel: '信访总量批次',
        numerator: counts.repeat,
        denominator: counts.total,
      };
    case 'onTimeNotifyRate':
      return {
        id: 'on-time-notify@1',
        text: '按期受理告知率 = 按期受理告知件数 ÷ 应受理告知件数 × 100%',
        numeratorLabel: '按期受理告知件数',
        denominatorLabel: '应受理告知件数（告知期限已届满或已告知）',
        numerator: counts.notifyOnTime,
        denominator: counts.notifyDue,
      };
    case 'onTimeCompletionRate':
      return {
        id: 'on-time-completion@1',
        text: '按期办结率 = 按期办结件数 ÷ 应办结件数 × 100%',
        numeratorLabel: '按期办结件数',
        denominatorLabel: '应办结件数（办理期限已届满或已出具处理意见）',
        numerator: counts.handlingOnTime,
        denominator: counts.handlingDue,
      };
    case 'participationRate':
      return ratio('参评率', 'participation', f.participation);
    case 'satisfactionRate':
      return ratio('满意率', 'satisfaction', f.satisfaction);
    case 'ratedSatisfactionRate': {
      const r = f.ratedSatisfaction;
      if ('product' in r) {
        const p = ratio('参评率', 'participation', f.participation);
        const s = ratio('满意率', 'satisfaction', f.satisfaction);
        return {
          id: `rated-satisfaction@${f.version}`,
          text: '参评满意率 = 参评率 × 满意率',
          numeratorLabel: `${p.numeratorLabel} 与 ${s.numeratorLabel} 之积`,
          denominatorLabel: `${p.denominatorLabel} 与 ${s.denominatorLabel} 之积`,
          numerator: p.numerator * s.numerator,
          denominator: p.denominator * s.denominator,
        };
      }
      return ratio('参评满意率', 'rated-satisfaction', r);
    }
  }
}

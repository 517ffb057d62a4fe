/**
 * The drill-down (issue 13: "every number is a link to the cases behind it"): which report facts
 * a figure counted, from the same predicates the figures use (figures.ts), so the cases behind a
 * number are exactly as many as the number. A count lists the cases it counted; an average the
 * cases it averaged; a rate its numerator's or its denominator's cases (`part`), or, for the rate
 * itself, the cases it is about (its denominator's). A rate whose numerator and denominator are
 * products (参评满意率 = 参评率 × 满意率) has no cases behind them: only the rate itself drills
 * down, to the cases of both denominators. Pure.
 */
import type { ReportFact } from './facts';
import {
  AVERAGES,
  COUNTS,
  figureKind,
  RATING_TERM_FIGURE,
  type AverageFigureId,
  type CountFigureId,
  type FigureContext,
  type FigureId,
  type RateFigureId,
} from './figures';
import { dimensionKey, inPeriod, type Dimension } from './report';
import type { Period } from './period';

/** What of a figure to drill into: the figure itself, or a rate's numerator or denominator. */
export const DRILL_PARTS = ['value', 'numerator', 'denominator'] as const;
export type DrillPart = (typeof DRILL_PARTS)[number];

/** A rate's numerator and denominator as sums of count figures, or null for a product (参评满意率 × …). */
export function rateTerms(id: RateFigureId, ctx: FigureContext): { numerator: CountFigureId[]; denominator: CountFigureId[] } | { product: CountFigureId[] } {
  const f = ctx.settings.ratingFormulas;
  const ratio = (r: { numerator: readonly string[]; denominator: readonly string[] }) => ({
    numerator: r.numerator.map((t) => RATING_TERM_FIGURE[t as keyof typeof RATING_TERM_FIGURE]),
    denominator: r.denominator.map((t) => RATING_TERM_FIGURE[t as keyof typeof RATING_TERM_FIGURE]),
  });
  switch (id) {
    case 'repeatRate':
      return { numerator: ['repeat'], denominator: ['total'] };
    case 'onTimeNotifyRate':
      return { numerator: ['notifyOnTime'], denominator: ['notifyDue'] };
    case 'onTimeCompletionRate':
      return { numerator: ['handlingOnTime'], denominator: ['handlingDue'] };
    case 'participationRate':
      return ratio(f.participation);
    case 'satisfactionRate':
      return ratio(f.satisfaction);
    case 'ratedSatisfactionRate': {
      const r = f.ratedSatisfaction;
      if ('product' in r) return { product: [...ratio(f.participation).denominator, ...ratio(f.satisfaction).denominator] };
      return ratio(r);
    }
  }
}

/** Why a figure cannot be drilled into this way (null: it can). */
export function drillRefusal(figure: FigureId, part: DrillPart, ctx: FigureContext): string | null {
  const kind = figureKind(figure);
  if (part === 'value') return null;
  if (kind !== 'rate') return `only a rate has a ${part}`;
  if ('product' in rateTerms(figure as RateFigureId, ctx)) return `the ${part} of ${figure} is a product, not a number of cases: drill into the rate itself`;
  return null;
}

/** Does this fact count towards the figure (or the part of a rate asked for)? */
export function factSelector(figure: FigureId, part: DrillPart, ctx: FigureContext): (f: ReportFact) => boolean {
  const kind = figureKind(figure);
  if (kind === 'count') return (f) => COUNTS[figure as CountFigureId](f, ctx);
  if (kind === 'average') return (f) => AVERAGES[figure as AverageFigureId](f) !== undefined;
  const terms = rateTerms(figure as RateFigureId, ctx);
  const ids = 'product' in terms ? terms.product : part === 'numerator' ? terms.numerator : terms.denominator;
  return (f) => ids.some((id) => COUNTS[id](f, ctx));
}

export interface DrillQuery {
  period: Pick<Period, 'from' | 'to'>;
  figure: FigureId;
  part: DrillPart;
  /** A breakdown row: the dimension and the row's key (`none` for the row without a value). */
  dimension?: Dimension;
  value?: string;
}

/** The facts behind a number of the report: received in the period, in the breakdown row, counted by the figure. */
export function factsBehind(facts: readonly ReportFact[], q: DrillQuery, ctx: FigureContext): ReportFact[] {
  const select = factSelector(q.figure, q.part, ctx);
  return inPeriod(facts, q.period).filter((f) => (q.dimension === undefined || dimensionKey(f, q.dimension) === q.value) && select(f));
}

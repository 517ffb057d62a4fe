/**
 * The drill-down (shared/domain/reports/drill.ts): the cases behind every number of a report are
 * exactly as many as the number — every count, average and rate part, overall and in every row of
 * every breakdown — over facts drawn at random, with the default formulas and with ratio ones.
 */
import { describe, expect, it } from 'vitest';
import {
  AVERAGE_FIGURES,
  COUNT_FIGURES,
  DEFAULT_REPORT_SETTINGS,
  DIMENSIONS,
  drillRefusal,
  factsBehind,
  plainReport,
  RATE_FIGURES,
  ReportSettingsSchema,
  type FigureContext,
  type ReportFact,
  type ReportFigure,
} from '../../../shared/domain/reports';
import { addDays } from '../../../shared/domain/time';

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomFacts(n: number, seed: number): ReportFact[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = <T>(p: number, v: () => T): T | undefined => (r() < p ? v() : undefined);
  return Array.from({ length: n }, (_, i) => {
    const receivedOn = addDays('2026-01-01', Math.floor(r() * 90));
    const channel = pick(['letter', 'visit', 'online', 'phone', 'referral'] as const);
    const clock = () => ({ due: addDays(receivedOn, 15), ...(r() < 0.7 ? { stoppedOn: addDays(receivedOn, Math.floor(r() * 25)) } : {}) });
    const deliveredOn = maybe(0.5, () => addDays(receivedOn, 40 + Math.floor(r() * 30)));
    const f: ReportFact = {
      caseNo: `XF-2026-${String(i + 1).padStart(6, '0')}`,
      receivedOn,
      channel,
      itemType: pick(['request-appeal', 'suggestion', 'accusation'] as const),
      category: pick(['labour', 'land', 'urban']),
      deptCode: maybe(0.7, () => pick(['HRSS', 'LAND'])),
      locality: maybe(0.8, () => pick(['ninghai', 'jiuxi'])),
      level: channel === 'visit' || channel === 'referral' ? maybe(0.9, () => pick(['same-level', 'skip-level', 'province', 'capital'] as const)) : undefined,
      persons: r() < 0.2 ? 5 + Math.floor(r() * 10) : 1,
      firstTime: r() < 0.7,
      status: 'registered',
      decision: maybe(0.8, () => pick(['accept', 'decline', 'transfer'] as const)),
      decidedOn: addDays(receivedOn, Math.floor(r() * 10)),
      assigned: r() < 0.6,
      notify: maybe(0.9, clock),
      handling: maybe(0.6, clock),
      repliedOn: maybe(0.4, () => addDays(receivedOn, 30)),
      deliveredOn,
      rating: deliveredOn ? maybe(0.6, () => pick(['satisfied', 'basically-satisfied', 'unsatisfied'] as const)) : undefined,
      review: r() < 0.1,
      rereview: r() < 0.05,
      final: r() < 0.02,
      supervision: maybe(0.1, () => pick(['supervision', 'flagged'] as const)),
    };
    for (const k of Object.keys(f) as (keyof ReportFact)[]) if (f[k] === undefined) delete f[k];
    if (f.decision === undefined) delete f.decidedOn;
    return f;
  });
}

const period = { from: '2026-02-01', to: '2026-03-31' };

/** Every number of a figure and the cases behind it. */
function expectDrillMatches(
  facts: ReportFact[],
  fig: ReportFigure,
  delivered: number,
  ctx: FigureContext,
  where: { dimension?: (typeof DIMENSIONS)[number]; value?: string },
) {
  const behind = (part: 'value' | 'numerator' | 'denominator') => factsBehind(facts, { period, figure: fig.id, part, ...where }, ctx);
  const at = `${fig.id} ${where.dimension ?? ''}/${where.value ?? ''}`;
  if (fig.kind === 'count') {
    const cases = behind('value');
    expect(cases.length, at).toBe(fig.value);
    expect(
      cases.reduce((s, f) => s + f.persons, 0),
      at,
    ).toBe(fig.persons);
  } else if (fig.kind === 'average') {
    expect(behind('value').length, at).toBe(fig.average?.count);
  } else if (drillRefusal(fig.id, 'numerator', ctx) === null) {
    expect(behind('numerator').length, at).toBe(fig.formula?.numerator);
    expect(behind('denominator').length, at).toBe(fig.formula?.denominator);
    expect(behind('value').length, at).toBe(fig.formula?.denominator);
  } else {
    // A product: the rate drills into the delivered cases (both denominators are 总数 by default).
    expect(behind('value').length, at).toBe(delivered);
  }
}

describe('the cases behind a number', () => {
  const facts = randomFacts(600, 13);
  for (const [name, settings] of [
    ['the default formulas (参评满意率 a product)', DEFAULT_REPORT_SETTINGS],
    [
      'ratio formulas',
      ReportSettingsSchema.parse({
        ratingFormulas: {
          version: 2,
          participation: { numerator: ['satisfied', 'basically-satisfied', 'unsatisfied'], denominator: ['total'] },
          satisfaction: { numerator: ['satisfied', 'basically-satisfied'], denominator: ['satisfied', 'basically-satisfied', 'unsatisfied'] },
          ratedSatisfaction: { numerator: ['satisfied', 'basically-satisfied'], denominator: ['total'] },
        },
      }),
    ],
  ] as const) {
    it(`are as many as the number, overall and in every breakdown row, with ${name}`, () => {
      const ctx: FigureContext = { asOf: '2026-04-20', settings };
      const inPeriod = facts.filter((f) => f.receivedOn >= period.from && f.receivedOn <= period.to);
      const labels = { categories: [], departments: [], localities: [] };
      const report = plainReport(inPeriod, ctx, labels);
      expect(report.figures.total.value).toBeGreaterThan(300);
      for (const id of [...COUNT_FIGURES, ...RATE_FIGURES, ...AVERAGE_FIGURES])
        expectDrillMatches(facts, report.figures[id], report.figures.ratingTotal.value ?? 0, ctx, {});
      for (const b of report.breakdowns) {
        expect(DIMENSIONS).toContain(b.dimension);
        for (const row of b.rows)
          for (const id of [...COUNT_FIGURES, ...RATE_FIGURES, ...AVERAGE_FIGURES])
            expectDrillMatches(facts, row.figures[id], row.figures.ratingTotal.value ?? 0, ctx, { dimension: b.dimension, value: row.key });
      }
    });
  }

  it('refuses the parts a figure does not have', () => {
    const ctx: FigureContext = { asOf: '2026-04-20', settings: DEFAULT_REPORT_SETTINGS };
    expect(drillRefusal('total', 'numerator', ctx)).toMatch(/only a rate/);
    expect(drillRefusal('ratedSatisfactionRate', 'numerator', ctx)).toMatch(/product/);
    expect(drillRefusal('satisfactionRate', 'denominator', ctx)).toBeNull();
    expect(drillRefusal('ratedSatisfactionRate', 'value', ctx)).toBeNull();
  });
});

/**
 * The sentences of the 信访工作统计分析 (issue 13; docs/exports.md), in the style of the offices'
 * own reports: "本季度共登记信访事项X批次Y人次，同比下降a%、b%；其中来信……". Every number is the
 * report's (the same the API answers), written as the offices write them: counts as they are,
 * changes to 0.01 with 上升 / 下降 / 持平, rates in per cent and their changes in 个百分点. Pure.
 */
import type { Change, Period, Report, ReportFigure } from '../domain/reports';

/** 本月, 本季度, 本年度, 本期. */
export function periodWord(p: Pick<Period, 'kind'>): string {
  return p.kind === 'month' ? '本月' : p.kind === 'quarter' ? '本季度' : p.kind === 'year' ? '本年度' : '本期';
}

/** 12.5 → "12.50"; always two decimals, as the offices print rates and changes. */
export function fixed2(v: number): string {
  return (Math.round(Math.abs(v) * 100 + 1e-9) / 100).toFixed(2);
}

function direction(v: number): string {
  return v > 0 ? '上升' : '下降';
}

/**
 * A count's change, 批次 and 人次 together when they move alike: 同比下降1.96%、3.90%; 同比持平;
 * 批次同比上升5.00%、人次同比下降2.00%; and nothing to compare when the earlier period had none.
 */
export function countChange(word: '同比' | '环比', c: Change | undefined): string {
  if (!c || c.change === null) return `${word}无可比数据`;
  const a = c.change;
  const b = c.personsChange ?? null;
  if (b === null) return a === 0 ? `${word}持平` : `${word}${direction(a)}${fixed2(a)}%`;
  if (a === 0 && b === 0) return `${word}持平`;
  if (a !== 0 && b !== 0 && Math.sign(a) === Math.sign(b)) return `${word}${direction(a)}${fixed2(a)}%、${fixed2(b)}%`;
  const part = (label: string, v: number) => (v === 0 ? `${label}${word}持平` : `${label}${word}${direction(v)}${fixed2(v)}%`);
  return `${part('批次', a)}、${part('人次', b)}`;
}

/** A rate's change: 同比上升1.20个百分点. */
export function rateChange(word: '同比' | '环比', c: Change | undefined): string {
  if (!c || c.change === null) return `${word}无可比数据`;
  return c.change === 0 ? `${word}持平` : `${word}${direction(c.change)}${fixed2(c.change)}个百分点`;
}

/** 7722批次28797人次 */
export function batches(f: ReportFigure, unit = '批次'): string {
  return `${f.value ?? 0}${unit}${f.persons ?? 0}人次`;
}

/** 85.20%, or 无 when there was nothing to divide by. */
export function rate(f: ReportFigure): string {
  return f.value === null ? '无（分母为0）' : `${fixed2(f.value)}%`;
}

function days(f: ReportFigure): string {
  return f.value === null ? '无' : `${fixed2(f.value)}天`;
}

/** A section of the analysis: its heading and paragraphs. */
export interface Section {
  heading: string;
  paragraphs: string[];
}

/** The analysis of a report, section by section. */
export function analysisSections(report: Report): Section[] {
  const f = report.figures;
  const w = periodWord(report.period);
  const channels = report.breakdowns.find((b) => b.dimension === 'channel');
  const otherChannels = (channels?.rows ?? [])
    .filter((r) => r.key !== 'letter' && r.key !== 'visit' && (r.figures.total.value ?? 0) > 0)
    .map((r) => `${r.label}${batches(r.figures.total)}`);
  const overall = [
    `${w}共登记信访事项${batches(f.total)}，${countChange('同比', f.total.yoy)}，${countChange('环比', f.total.mom)}。`,
    `其中来信${batches(f.letters)}，${countChange('同比', f.letters.yoy)}；来访${batches(f.visits)}，${countChange('同比', f.visits.yoy)}` +
      `（集体访${batches(f.collectiveVisits, '批')}，个体访${batches(f.individualVisits, '批')}）` +
      (otherChannels.length > 0 ? `；${otherChannels.join('，')}` : '') +
      '。',
    `越级访${batches(f.skipLevel)}，${countChange('同比', f.skipLevel.yoy)}，其中越级到市访${batches(f.skipToCity)}，赴省访${batches(f.toProvince)}，进京访${batches(f.toCapital)}。`,
    `初信初访${f.firstTime.value ?? 0}批次，重复信访${f.repeat.value ?? 0}批次，重复信访率${rate(f.repeatRate)}，${rateChange('同比', f.repeatRate.yoy)}。`,
  ];
  const handling = [
    `${w}受理${f.accepted.value ?? 0}件，不予受理${f.declined.value ?? 0}件，转送${f.transferred.value ?? 0}件，交办${f.assigned.value ?? 0}件。`,
    `按期受理告知率${rate(f.onTimeNotifyRate)}（${f.notifyOnTime.value ?? 0}/${f.notifyDue.value ?? 0}），${rateChange('同比', f.onTimeNotifyRate.yoy)}；` +
      `按期办结率${rate(f.onTimeCompletionRate)}（${f.handlingOnTime.value ?? 0}/${f.handlingDue.value ?? 0}），${rateChange('同比', f.onTimeCompletionRate.yoy)}。`,
    `超期${f.overdue.value ?? 0}件，督办${f.supervised.value ?? 0}件，其中挂牌督办${f.flagged.value ?? 0}件；平均受理天数${days(f.avgDaysToAcceptance)}，平均答复天数${days(f.avgDaysToReply)}。`,
    `申请复查${f.reviews.value ?? 0}件，申请复核${f.rereviews.value ?? 0}件，复核终结${f.final.value ?? 0}件。`,
  ];
  const satisfaction = [
    `应评价${f.ratingTotal.value ?? 0}件，其中满意${f.satisfied.value ?? 0}件、基本满意${f.basicallySatisfied.value ?? 0}件、不满意${f.unsatisfied.value ?? 0}件、` +
      `超期未评价${f.ratingExpired.value ?? 0}件、待评价${f.ratingPending.value ?? 0}件。`,
    `参评率${rate(f.participationRate)}，满意率${rate(f.satisfactionRate)}，参评满意率${rate(f.ratedSatisfactionRate)}；满意率${rateChange('同比', f.satisfactionRate.yoy)}。`,
    ...[f.participationRate, f.satisfactionRate, f.ratedSatisfactionRate].flatMap((r) =>
      r.formula ? [`${r.formula.text}，即${r.formula.numerator}÷${r.formula.denominator}。`] : [],
    ),
  ];
  const hot = report.hotTopics.slice(0, 5).map((t, i) => {
    const share = t.share === null ? '' : `，占${fixed2(t.share)}%`;
    return `${i + 1}. ${t.label}问题${t.cases}批${t.persons}人次${share}，${countChange('同比', t.yoy)}。`;
  });
  return [
    { heading: '一、总体情况', paragraphs: overall },
    { heading: '二、办理情况', paragraphs: handling },
    { heading: '三、群众满意度评价', paragraphs: satisfaction },
    {
      heading: '四、热点问题',
      paragraphs: hot.length > 0 ? [`按内容分类，${w}信访事项较集中的问题依次为：`, ...hot] : [`${w}无登记的信访事项。`],
    },
  ];
}

/**
 * The reports' oracle (issue 13): every figure of a period computed by brute force from the raw
 * cases — the Case records as the registry stores them, and the supervisions the sweep opened —
 * written from the definitions in docs/reports.md, sharing no code with the report facts or the
 * figures (shared/domain/reports). `checkReport` compares a report with it figure by figure,
 * overall, in every breakdown row, in 同比 / 环比 and in 热点问题, and returns every difference.
 */
import type { Case } from '../../shared/domain/case';
import type { Period, Report } from '../../shared/domain/reports';
import { CHANNELS, ITEM_TYPES, PETITION_LEVELS } from '../../shared/domain/taxonomy';

/** What the sweep opened on a case: any supervision, and a flagged one. */
export interface CaseSupervision {
  supervised: boolean;
  flagged: boolean;
}

export interface OracleOffice {
  departments: readonly { code: string }[];
  categories: readonly { code: string }[];
  localities: readonly { code: string }[];
  collectiveThreshold: number;
  ratingWindowDays: number;
  hotTopics: number;
}

/** A count: 批次 and 人次. */
interface Tally {
  value: number;
  persons: number;
}

export interface OracleFigures {
  counts: Record<string, Tally>;
  /** numerator and denominator of each rate (the default formulas of version 1). */
  rates: Record<string, { numerator: number; denominator: number } | undefined>;
  averages: Record<string, { totalDays: number; count: number } | undefined>;
}

const DAY = 86_400_000;
function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}
/** The office day (Asia/Shanghai, UTC+8 all year) of an instant. */
function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Each count's definition over a raw case, judged on `asOf` (docs/reports.md, "The figures"). */
function countsOf(c: Case, sup: CaseSupervision, asOf: string, o: OracleOffice): Record<string, boolean> {
  const notify = c.clocks.notify;
  const handling = c.clocks.handling;
  const due = (k: typeof notify) => k !== undefined && (k.stoppedOn !== undefined || k.due < asOf);
  const onTime = (k: typeof notify) => due(k) && k?.stoppedOn !== undefined && k.stoppedOn <= k.due;
  const late = (k: typeof notify) => k !== undefined && (k.stoppedOn !== undefined ? k.stoppedOn > k.due : k.due < asOf);
  const delivered = c.delivery?.deliveredOn;
  const outcome = delivered === undefined ? null : (c.rating?.value ?? (days(delivered, asOf) > o.ratingWindowDays ? 'expired' : 'pending'));
  const ch = c.channel.type;
  return {
    total: true,
    letters: ch === 'letter',
    visits: ch === 'visit',
    collectiveVisits: ch === 'visit' && c.persons >= o.collectiveThreshold,
    individualVisits: ch === 'visit' && c.persons < o.collectiveThreshold,
    skipLevel: c.level === 'skip-level' || c.level === 'province' || c.level === 'capital',
    skipToCity: c.level === 'skip-level',
    toProvince: c.level === 'province',
    toCapital: c.level === 'capital',
    firstTime: c.firstTime,
    repeat: !c.firstTime,
    accepted: c.decision?.action === 'accept',
    declined: c.decision?.action === 'decline',
    transferred: c.decision?.action === 'transfer',
    assigned: c.departmentHistory.length > 0,
    notifyDue: due(notify),
    notifyOnTime: onTime(notify),
    handlingDue: due(handling),
    handlingOnTime: onTime(handling),
    overdue: late(notify) || late(handling),
    supervised: sup.supervised,
    flagged: sup.flagged,
    reviews: c.review !== undefined,
    rereviews: c.rereview !== undefined,
    final: c.rereview?.opinion !== undefined,
    ratingTotal: outcome !== null,
    satisfied: outcome === 'satisfied',
    basicallySatisfied: outcome === 'basically-satisfied',
    unsatisfied: outcome === 'unsatisfied',
    ratingExpired: outcome === 'expired',
    ratingPending: outcome === 'pending',
  };
}

/** Every figure of a set of cases. */
export function oracleFigures(cases: readonly Case[], sups: ReadonlyMap<string, CaseSupervision>, asOf: string, o: OracleOffice): OracleFigures {
  const counts: Record<string, Tally> = {};
  const averages = { avgDaysToAcceptance: { totalDays: 0, count: 0 }, avgDaysToReply: { totalDays: 0, count: 0 } };
  for (const c of cases) {
    const flags = countsOf(c, sups.get(c.caseNo) ?? { supervised: false, flagged: false }, asOf, o);
    for (const [id, yes] of Object.entries(flags)) {
      const t = (counts[id] ??= { value: 0, persons: 0 });
      if (yes) {
        t.value += 1;
        t.persons += c.persons;
      }
    }
    if (c.decision?.action === 'accept') {
      averages.avgDaysToAcceptance.totalDays += days(c.receivedOn, beijingDay(c.decision.at));
      averages.avgDaysToAcceptance.count += 1;
    }
    if (c.reply) {
      averages.avgDaysToReply.totalDays += days(c.receivedOn, beijingDay(c.reply.at));
      averages.avgDaysToReply.count += 1;
    }
  }
  if (cases.length === 0)
    for (const id of Object.keys(countsOf(EMPTY_CASE, { supervised: false, flagged: false }, asOf, o))) counts[id] = { value: 0, persons: 0 };
  const n = (id: string) => counts[id]?.value ?? 0;
  const participation = { numerator: n('satisfied') + n('basicallySatisfied') + n('unsatisfied'), denominator: n('ratingTotal') };
  const satisfaction = { numerator: n('satisfied') + n('basicallySatisfied') + n('ratingExpired'), denominator: n('ratingTotal') };
  const rates = {
    repeatRate: { numerator: n('repeat'), denominator: n('total') },
    onTimeNotifyRate: { numerator: n('notifyOnTime'), denominator: n('notifyDue') },
    onTimeCompletionRate: { numerator: n('handlingOnTime'), denominator: n('handlingDue') },
    participationRate: participation,
    satisfactionRate: satisfaction,
    ratedSatisfactionRate: {
      numerator: participation.numerator * satisfaction.numerator,
      denominator: participation.denominator * satisfaction.denominator,
    },
  };
  return { counts, rates, averages };
}

const EMPTY_CASE = {
  caseNo: '',
  receivedOn: '2000-01-01',
  channel: { type: 'letter' },
  persons: 1,
  firstTime: true,
  departmentHistory: [],
  clocks: {},
} as unknown as Case;

/** The value a figure shows, from the oracle (per cent / days to 0.01, null with nothing to divide). */
function valueOf(f: OracleFigures, id: string): number | null {
  if (id in f.counts) return f.counts[id]!.value;
  const r = f.rates[id];
  if (r) return r.denominator === 0 ? null : (r.numerator / r.denominator) * 100;
  const a = f.averages[id];
  if (a) return a.count === 0 ? null : a.totalDays / a.count;
  throw new Error(`no figure ${id}`);
}

/** The dimension value of a case (the report's `none` row where it has none). */
function keyOf(c: Case, d: string): string {
  switch (d) {
    case 'channel':
      return c.channel.type;
    case 'itemType':
      return c.itemType;
    case 'category':
      return c.category;
    case 'department':
      return c.deptCode ?? 'none';
    case 'locality':
      return c.locality ?? 'none';
    default:
      return c.level ?? 'none';
  }
}

function rowKeys(d: string, o: OracleOffice): string[] {
  switch (d) {
    case 'channel':
      return [...CHANNELS];
    case 'itemType':
      return [...ITEM_TYPES];
    case 'category':
      return o.categories.map((c) => c.code);
    case 'department':
      return [...o.departments.map((c) => c.code), 'none'];
    case 'locality':
      return [...o.localities.map((c) => c.code), 'none'];
    default:
      return [...PETITION_LEVELS, 'none'];
  }
}

export interface OracleInput {
  cases: readonly Case[];
  sups: ReadonlyMap<string, CaseSupervision>;
  asOf: string;
  office: OracleOffice;
  /** null: the office; else the cases the department holds now. */
  deptCode: string | null;
}

const close = (a: number | null | undefined, b: number | null) => (a === null || a === undefined ? b === null : b !== null && Math.abs(a - b) < 0.0051);

/** The cases of a period (received in it) in a scope. */
function casesOf(input: OracleInput, p: Pick<Period, 'from' | 'to'>): Case[] {
  return input.cases.filter((c) => c.receivedOn >= p.from && c.receivedOn <= p.to && (input.deptCode === null || c.deptCode === input.deptCode));
}

/** Every difference between a report and the oracle (an empty list when they agree). */
export function checkReport(report: Report, input: OracleInput): string[] {
  const out: string[] = [];
  const now = casesOf(input, report.period);
  const yoyCases = casesOf(input, report.comparisons.yoy.period);
  const momCases = casesOf(input, report.comparisons.mom.period);
  const fig = (cs: Case[]) => oracleFigures(cs, input.sups, input.asOf, input.office);
  if (report.facts !== now.length) out.push(`facts: ${report.facts} ≠ ${now.length}`);

  const compare = (where: string, got: Report['figures'], want: OracleFigures, yoy: OracleFigures, mom: OracleFigures) => {
    for (const [id, f] of Object.entries(got)) {
      const w = valueOf(want, id);
      if (!close(f.value, w)) out.push(`${where} ${id}: ${f.value} ≠ ${w}`);
      if (f.kind === 'count' && f.persons !== want.counts[id]?.persons) out.push(`${where} ${id} 人次: ${f.persons} ≠ ${want.counts[id]?.persons}`);
      if (f.kind === 'rate') {
        const r = want.rates[id];
        if (f.formula?.numerator !== r?.numerator || f.formula?.denominator !== r?.denominator)
          out.push(`${where} ${id} formula: ${f.formula?.numerator}/${f.formula?.denominator} ≠ ${r?.numerator}/${r?.denominator}`);
      }
      if (f.kind === 'average') {
        const a = want.averages[id];
        if (f.average?.totalDays !== a?.totalDays || f.average?.count !== a?.count)
          out.push(`${where} ${id} days: ${JSON.stringify(f.average)} ≠ ${JSON.stringify(a)}`);
      }
      for (const [name, before, change] of [
        ['同比', yoy, f.yoy],
        ['环比', mom, f.mom],
      ] as const) {
        const raw = valueOf(before, id);
        // The report compares the shown (rounded) values of rates and averages.
        const b = f.kind === 'count' || raw === null ? raw : Math.round(raw * 100 + 1e-9) / 100;
        if (!close(change?.previous, f.kind === 'count' ? (b ?? 0) : b)) out.push(`${where} ${id} ${name} previous: ${change?.previous} ≠ ${b}`);
        const expected =
          f.kind === 'rate'
            ? f.value === null || b === null
              ? null
              : f.value - b
            : f.value === null || b === null || b === 0
              ? null
              : ((f.value - b) / b) * 100;
        if (!close(change?.change, expected === null ? null : expected)) out.push(`${where} ${id} ${name} change: ${change?.change} ≠ ${expected}`);
        if (f.kind === 'count') {
          const pb = before.counts[id]?.persons ?? 0;
          const pc = pb === 0 ? null : (((f.persons ?? 0) - pb) / pb) * 100;
          if (!close(change?.personsChange, pc)) out.push(`${where} ${id} ${name} 人次 change: ${change?.personsChange} ≠ ${pc}`);
        }
      }
    }
  };
  compare('overall', report.figures, fig(now), fig(yoyCases), fig(momCases));
  for (const b of report.breakdowns) {
    const want = rowKeys(b.dimension, input.office);
    for (const k of new Set(now.map((c) => keyOf(c, b.dimension)))) if (!want.includes(k)) want.push(k);
    const got = b.rows.map((r) => r.key);
    if (JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort())) out.push(`${b.dimension} rows: ${got.join(',')} ≠ ${want.join(',')}`);
    for (const r of b.rows) {
      const only = (cs: Case[]) => fig(cs.filter((c) => keyOf(c, b.dimension) === r.key));
      compare(`${b.dimension}/${r.key}`, r.figures, only(now), only(yoyCases), only(momCases));
    }
  }
  // 热点问题: the categories by 批次, largest first, ties by code.
  const byCategory = new Map<string, Tally>();
  for (const c of now) {
    const t = byCategory.get(c.category) ?? { value: 0, persons: 0 };
    t.value += 1;
    t.persons += c.persons;
    byCategory.set(c.category, t);
  }
  const hot = [...byCategory.entries()]
    .sort((a, b) => b[1].value - a[1].value || (a[0] < b[0] ? -1 : 1))
    .slice(0, input.office.hotTopics)
    .map(([category, t]) => `${category}:${t.value}/${t.persons}`);
  const gotHot = report.hotTopics.map((h) => `${h.category}:${h.cases}/${h.persons}`);
  if (JSON.stringify(gotHot) !== JSON.stringify(hot)) out.push(`热点问题: ${gotHot.join(' ')} ≠ ${hot.join(' ')}`);
  return out;
}

/**
 * Statistics and reports (DESIGN §8, issue 13): the report of a period from the report facts of its
 * months (never the cases, never a Scan), compared with the same period a year before (同比) and the
 * period before (环比) — with their frozen (published) figures where the period was frozen —, and
 * the freezing of closed months, quarters and years by the schedule. docs/reports.md. No AWS SDK here.
 */
import { createHash } from 'node:crypto';
import { ForbiddenError, ValidationError } from '../domain/errors';
import type { OfficeSettings } from '../domain/office';
import { canRead } from '../domain/lifecycle';
import type { OfficeDirectory } from '../domain/accused';
import { hasRole, requireRole, type Actor } from '../domain/roles';
import {
  buildReport,
  comparedFrom,
  correctionsOf,
  DIMENSIONS,
  drillRefusal,
  factsBehind,
  FIGURE_LABELS,
  figureKind,
  inPeriod,
  isClosed,
  monthPeriod,
  monthsOf,
  plainReport,
  previousPeriod,
  quarterPeriod,
  rowLabel,
  ReportSchema,
  samePeriodLastYear,
  yearPeriod,
  type ComparedFigures,
  type Dimension,
  type DrillPart,
  type FigureId,
  type Period,
  type Report,
  type ReportFact,
} from '../domain/reports';
import { shanghaiDate, type Clock } from '../domain/time';
import { frozenReportObjectKey } from '../storage/object-keys';
import type { CaseRepository } from './ports';
import type { FrozenReportRecord, FrozenReportStore, ReportDocuments, ReportFactStore } from './report-ports';
import { toCaseSummary, type CaseSummary } from './views';

export interface ReportsDeps {
  facts: ReportFactStore;
  frozen: FrozenReportStore;
  documents: ReportDocuments;
  clock: Clock;
  settings: Pick<OfficeSettings, 'departments' | 'categories' | 'localities' | 'reports'>;
  /** The renderings frozen beside the JSON (the exports' XLSX, CSV, PDF), each with its SHA-256. */
  renderings?: readonly ReportRendering[];
  /** The drill-down's list (GET /reports/cases): the cases themselves, and who may read which. */
  cases?: { repo: Pick<CaseRepository, 'getCase'>; office: OfficeDirectory };
}

export interface ReportCasesQuery {
  period: Period;
  figure: FigureId;
  /** A rate's numerator or denominator; default the figure itself. */
  part?: DrillPart;
  /** A breakdown row: its dimension and key (`none`: the row without a value). */
  dimension?: Dimension;
  value?: string;
  deptCode?: string;
  /** The page of case summaries: how many, and where the last page ended (an offset). */
  limit?: number;
  cursor?: string;
}

/** The cases behind a number of the report (GET /reports/cases). */
export interface ReportCases {
  period: Period;
  asOf: string;
  scope: { deptCode: string | null; label: string };
  figure: { id: FigureId; label: string; kind: 'count' | 'rate' | 'average' };
  part: DrillPart;
  /** The breakdown row, with its label as the report shows it. */
  row?: { dimension: Dimension; key: string; label: string };
  /** How many cases: the figure's number (批次; a rate's numerator or denominator; an average's cases). */
  count: number;
  /** 人次 of those cases. */
  persons: number;
  /** Every case behind the number, newest received first. */
  caseNos: string[];
  /** One page of them as the case list shows them. */
  items: CaseSummary[];
  /** Cases of this page this user may not open (a department named as accused on one): left out of `items`. */
  withheld: number;
  cursor?: string;
}

/** Every case behind a number (Reports.caseList): the drill-down without its page, and a reader of any slice. */
export type ReportCaseList = Omit<ReportCases, 'items' | 'withheld' | 'cursor'> & {
  page(offset: number, limit: number): Promise<{ items: CaseSummary[]; withheld: number }>;
};

/** A rendering of a report kept with a frozen period (shared/exports renders it). */
export interface ReportRendering {
  /** `xlsx`, `csv`, `pdf`: the file's extension beside the JSON. */
  format: string;
  contentType: string;
  render(report: Report): Promise<Uint8Array>;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ReportQuery {
  period: Period;
  /** The breakdowns to show (default: all). */
  dimensions?: Dimension[];
  /** The office may look at one department's figures; a department always sees its own. */
  deptCode?: string;
  /** `published`: a frozen period as it was published (404-free: the recomputed report when it was never frozen). */
  view?: 'recomputed' | 'published';
}

/** The scope of the office's own report, and of a department's. */
export const OFFICE_SCOPE = 'office';
export function departmentScope(deptCode: string): string {
  return `DEPT-${deptCode}`;
}

export interface FreezeResult {
  frozen: FrozenReportRecord[];
  /** Periods frozen before (left as published). */
  already: string[];
}

export class Reports {
  constructor(private readonly deps: ReportsDeps) {}

  private today(): string {
    return shanghaiDate(this.deps.clock.now());
  }

  private labels() {
    return { categories: this.deps.settings.categories, departments: this.deps.settings.departments, localities: this.deps.settings.localities };
  }

  /** Who sees which figures: the office everything (or one department), a department its own. */
  private scopeOf(actor: Actor, deptCode: string | undefined): { deptCode: string | null; label: string; key: string } {
    requireRole(actor, 'clerk', 'director', 'department');
    let dept: string | null = deptCode ?? null;
    if (!hasRole(actor, 'clerk', 'director')) {
      if (!actor.deptCode) throw new ForbiddenError('A department user needs a department code');
      if (deptCode !== undefined && deptCode !== actor.deptCode) throw new ForbiddenError('A department sees only its own figures');
      dept = actor.deptCode;
    }
    if (dept !== null && !this.deps.settings.departments.some((d) => d.code === dept)) throw ValidationError.field('deptCode', `unknown department ${dept}`);
    const name = dept === null ? '全部' : (this.deps.settings.departments.find((d) => d.code === dept)?.name ?? dept);
    return { deptCode: dept, label: name, key: dept === null ? OFFICE_SCOPE : departmentScope(dept) };
  }

  /** The report of a period for this user (GET /reports). */
  async report(actor: Actor, q: ReportQuery): Promise<Report> {
    const scope = this.scopeOf(actor, q.deptCode);
    const asOf = this.today();
    if (q.view === 'published') {
      const published = await this.published(scope.key, q.period.key);
      if (published) return published;
    }
    return this.compute(q.period, { deptCode: scope.deptCode, label: scope.label }, scope.key, asOf, q.dimensions);
  }

  private async compute(
    period: Period,
    scope: { deptCode: string | null; label: string },
    scopeKey: string,
    asOf: string,
    dimensions?: Dimension[],
  ): Promise<Report> {
    const yoyPeriod = samePeriodLastYear(period);
    const momPeriod = previousPeriod(period);
    const [yoyFrozen, momFrozen, ownFrozen] = await Promise.all([
      this.published(scopeKey, yoyPeriod.key),
      this.published(scopeKey, momPeriod.key),
      this.published(scopeKey, period.key),
    ]);
    // One read of every month needed: the period's, and those of the compared periods not frozen.
    const months = new Set(monthsOf(period));
    if (!yoyFrozen) monthsOf(yoyPeriod).forEach((m) => months.add(m));
    if (!momFrozen) monthsOf(momPeriod).forEach((m) => months.add(m));
    let facts: ReportFact[] = await this.deps.facts.facts([...months].sort());
    if (scope.deptCode !== null) facts = facts.filter((f) => f.deptCode === scope.deptCode);
    const ctx = { asOf, settings: this.deps.settings.reports };
    const compared = (p: Period, frozen: Report | null): ComparedFigures =>
      frozen
        ? comparedFrom(frozen, 'frozen')
        : { ...comparedFrom({ period: p, ...plainReport(inPeriod(facts, p), ctx, this.labels(), dimensions) }, 'recomputed') };
    const report = buildReport({
      period,
      facts,
      ctx,
      labels: this.labels(),
      scope,
      yoy: compared(yoyPeriod, yoyFrozen),
      mom: compared(momPeriod, momFrozen),
      dimensions,
    });
    if (ownFrozen?.publication) {
      report.publication = { ...ownFrozen.publication, corrections: correctionsOf(ownFrozen, report) };
    }
    return report;
  }

  /**
   * The cases behind a number of the report (GET /reports/cases; docs/reports.md "Drill-down"):
   * the facts of the period's months, scoped as the report is (a department its own), selected by
   * the figure's own predicate (shared/domain/reports/drill.ts), so their count is the number the
   * recomputed report shows. A page of them is read as the case list shows them.
   */
  async cases(actor: Actor, q: ReportCasesQuery): Promise<ReportCases> {
    const { page, ...list } = await this.caseList(actor, q);
    const limit = q.limit ?? 50;
    const offset = q.cursor === undefined ? 0 : Number(q.cursor);
    if (!Number.isInteger(offset) || offset < 0) throw ValidationError.field('cursor', 'not a cursor of this list');
    const { items, withheld } = await page(offset, limit);
    return { ...list, items, withheld, ...(offset + limit < list.count ? { cursor: String(offset + limit) } : {}) };
  }

  /**
   * The whole list behind a number (the drill-down's export, GET /exports/report-cases): the facts
   * selected once, as GET /reports/cases selects them, and `page` reads any slice of the cases as
   * the list shows them (a case this user may not open left out and counted in `withheld`).
   */
  async caseList(actor: Actor, q: Omit<ReportCasesQuery, 'limit' | 'cursor'>): Promise<ReportCaseList> {
    const scope = this.scopeOf(actor, q.deptCode);
    const asOf = this.today();
    const part = q.part ?? 'value';
    const ctx = { asOf, settings: this.deps.settings.reports };
    const refusal = drillRefusal(q.figure, part, ctx);
    if (refusal) throw ValidationError.field('part', refusal);
    if ((q.dimension === undefined) !== (q.value === undefined)) throw ValidationError.field('value', 'a breakdown row needs both dimension and value');
    let facts: ReportFact[] = await this.deps.facts.facts(monthsOf(q.period));
    if (scope.deptCode !== null) facts = facts.filter((f) => f.deptCode === scope.deptCode);
    const behind = factsBehind(facts, { period: q.period, figure: q.figure, part, dimension: q.dimension, value: q.value }, ctx).sort(
      (a, b) => b.receivedOn.localeCompare(a.receivedOn) || b.caseNo.localeCompare(a.caseNo),
    );
    const cases = this.deps.cases;
    const page = async (offset: number, limit: number): Promise<{ items: CaseSummary[]; withheld: number }> => {
      const slice = behind.slice(offset, offset + limit);
      const items: CaseSummary[] = [];
      let withheld = 0;
      if (cases) {
        const read = await Promise.all(slice.map((f) => cases.repo.getCase(f.caseNo)));
        for (const c of read) {
          if (c && canRead(actor, c, cases.office)) items.push(toCaseSummary(c, asOf));
          else withheld += 1;
        }
      }
      return { items, withheld };
    };
    return {
      period: q.period,
      asOf,
      scope: { deptCode: scope.deptCode, label: scope.label },
      figure: { id: q.figure, label: FIGURE_LABELS[q.figure], kind: figureKind(q.figure) },
      part,
      ...(q.dimension !== undefined && q.value !== undefined
        ? { row: { dimension: q.dimension, key: q.value, label: rowLabel(q.dimension, q.value, this.labels()) } }
        : {}),
      count: behind.length,
      persons: behind.reduce((s, f) => s + f.persons, 0),
      caseNos: behind.map((f) => f.caseNo),
      page,
    };
  }

  /** A frozen report as it was published, or null. */
  private async published(scopeKey: string, periodKey: string): Promise<Report | null> {
    const record = await this.deps.frozen.frozenRecord(periodKey, scopeKey);
    if (!record) return null;
    const bytes = await this.deps.documents.get(record.documentKey);
    if (!bytes) return null;
    const report = ReportSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    return {
      ...report,
      publication: { frozenAt: record.frozenAt, asOf: record.asOf, sha256: record.sha256, documentKey: record.documentKey, corrections: [] },
    };
  }

  /**
   * The schedule (daily): freezes the office's report of every period that closed and is not frozen
   * yet — last month, last quarter, last year — as JSON in the documents bucket with its SHA-256.
   * Idempotent: a period frozen before is left as published.
   */
  async freezeClosed(): Promise<FreezeResult> {
    const today = this.today();
    const y = Number(today.slice(0, 4));
    const m = Number(today.slice(5, 7));
    const lastMonth = m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
    const q = Math.floor((m - 1) / 3) + 1;
    const lastQuarter = q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
    const result: FreezeResult = { frozen: [], already: [] };
    for (const period of [lastMonth, lastQuarter, yearPeriod(y - 1)]) {
      if (!isClosed(period, today)) continue;
      const r = await this.freeze(period, today);
      if (r) result.frozen.push(r);
      else result.already.push(period.key);
    }
    return result;
  }

  /**
   * Freezes one period's office report (null when it was frozen already): the JSON and each
   * rendering are stored first, the record that publishes them last, so a run that dies midway
   * leaves nothing published and the next run (the schedule's retry, or tomorrow's) does it all
   * again; once recorded, a period is never frozen again.
   */
  async freeze(period: Period, today: string = this.today()): Promise<FrozenReportRecord | null> {
    if (!isClosed(period, today)) throw ValidationError.field('period', `${period.label} has not ended yet`);
    if (await this.deps.frozen.frozenRecord(period.key, OFFICE_SCOPE)) return null;
    const report = await this.compute(period, { deptCode: null, label: '全部' }, OFFICE_SCOPE, today, [...DIMENSIONS]);
    delete report.publication;
    const bytes = new TextEncoder().encode(JSON.stringify(report));
    const documentKey = frozenReportObjectKey(period.key, OFFICE_SCOPE);
    await this.deps.documents.put(documentKey, bytes, 'application/json');
    const renderings: NonNullable<FrozenReportRecord['renderings']> = [];
    for (const r of this.deps.renderings ?? []) {
      const rendered = await r.render(report);
      const key = documentKey.replace(/\.json$/, `.${r.format}`);
      await this.deps.documents.put(key, rendered, r.contentType);
      renderings.push({ format: r.format, documentKey: key, sha256: sha256(rendered) });
    }
    const record: FrozenReportRecord = {
      periodKey: period.key,
      scope: OFFICE_SCOPE,
      documentKey,
      sha256: sha256(bytes),
      frozenAt: this.deps.clock.now().toISOString(),
      asOf: today,
      ...(renderings.length > 0 ? { renderings } : {}),
    };
    return (await this.deps.frozen.recordFrozen(record)) ? record : null;
  }
}

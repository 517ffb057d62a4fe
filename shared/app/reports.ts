/**
 * Statistics and reports (DESIGN §8, issue 13): the report of a period from the report facts of its
 * months (never the cases, never a Scan), compared with the same period a year before (同比) and the
 * period before (环比) — with their frozen (published) figures where the period was frozen —, and
 * the freezing of closed months, quarters and years by the schedule. docs/reports.md. No AWS SDK here.
 */
import { createHash } from 'node:crypto';
import { ForbiddenError, ValidationError } from '../domain/errors';
import type { OfficeSettings } from '../domain/office';
import { hasRole, requireRole, type Actor } from '../domain/roles';
import {
  buildReport,
  comparedFrom,
  correctionsOf,
  DIMENSIONS,
  inPeriod,
  isClosed,
  monthPeriod,
  monthsOf,
  plainReport,
  previousPeriod,
  quarterPeriod,
  ReportSchema,
  samePeriodLastYear,
  yearPeriod,
  type ComparedFigures,
  type Dimension,
  type Period,
  type Report,
  type ReportFact,
} from '../domain/reports';
import { shanghaiDate, type Clock } from '../domain/time';
import { frozenReportObjectKey } from '../storage/object-keys';
import type { FrozenReportRecord, FrozenReportStore, ReportDocuments, ReportFactStore } from './report-ports';

export interface ReportsDeps {
  facts: ReportFactStore;
  frozen: FrozenReportStore;
  documents: ReportDocuments;
  clock: Clock;
  settings: Pick<OfficeSettings, 'departments' | 'categories' | 'localities' | 'reports'>;
  /** The renderings frozen beside the JSON (the exports' XLSX, CSV, PDF), each with its SHA-256. */
  renderings?: readonly ReportRendering[];
}

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

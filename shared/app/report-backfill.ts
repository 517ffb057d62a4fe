/**
 * The backfill of report facts (docs/reports.md) and of the dashboard's counters (docs/sweeps.md):
 * writes the fact of every case received before the facts existed, and counts on the dashboard
 * every case not counted yet, month by month (a Query of each month's byReceived partition, never a Scan),
 * with the supervision level the sweep opened. Idempotent — a case that has a fact keeps it (the
 * transaction that wrote it saw a newer case) — and resumable: the month and position are saved
 * after every page, and a run that stopped continues there. No AWS SDK here.
 */
import type { ReportBackfillStore } from './report-ports';

export interface BackfillOptions {
  /** First and last month (`yyyy-mm`) of receipt to walk. */
  fromMonth: string;
  toMonth: string;
  /** Stop after this many cases (the position is kept): a run in slices, or a test of the resumption. */
  limit?: number;
  /** Forget a saved position and start from `fromMonth`. */
  restart?: boolean;
}

export interface BackfillResult {
  cases: number;
  /** Facts written (the others had one already). */
  written: number;
  /** Cases counted on the dashboard (the others were counted already, or have nothing to count). */
  dashboard: number;
  /** Every month walked (false: stopped at `limit`, the position saved). */
  complete: boolean;
}

function nextMonth(m: string): string {
  const y = Number(m.slice(0, 4));
  const mm = Number(m.slice(5, 7));
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}

export async function backfillReportFacts(store: ReportBackfillStore, o: BackfillOptions): Promise<BackfillResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.fromMonth) || !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.toMonth)) throw new Error('months are yyyy-mm');
  if (o.restart) await store.saveProgress(null);
  const saved = await store.progress();
  let month = saved && saved.month >= o.fromMonth ? saved.month : o.fromMonth;
  let cursor = saved && saved.month === month ? saved.cursor : undefined;
  const result: BackfillResult = { cases: 0, written: 0, dashboard: 0, complete: false };
  while (month <= o.toMonth) {
    if (o.limit !== undefined && result.cases >= o.limit) return result;
    const page = await store.casesReceived(month, cursor);
    for (const c of page.cases) {
      if (await store.writeFactIfAbsent(c, await store.supervisionLevel(c.caseNo))) result.written += 1;
      if (await store.countForDashboard(c.caseNo)) result.dashboard += 1;
      result.cases += 1;
    }
    if (page.cursor) cursor = page.cursor;
    else {
      month = nextMonth(month);
      cursor = undefined;
    }
    await store.saveProgress({ month, ...(cursor ? { cursor } : {}) });
  }
  await store.saveProgress(null);
  result.complete = true;
  return result;
}

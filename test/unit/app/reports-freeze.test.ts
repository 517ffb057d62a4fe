/**
 * Frozen periods (issue 13, docs/reports.md): the schedule freezes the office's report of every
 * period that closed — JSON and its renderings, each with its SHA-256 — once; a run that dies
 * midway publishes nothing and the next one finishes; 同比 / 环比 use the published figures; a
 * later correction shows as "as published" vs "recomputed", never silently.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FrozenReportRecord } from '../../../shared/app/report-ports';
import { Reports, type ReportRendering } from '../../../shared/app/reports';
import { parseOfficeSettings } from '../../../shared/domain/office';
import { monthPeriod, ReportSchema, type ReportFact } from '../../../shared/domain/reports';
import { FakeClock } from '../../../shared/domain/time';
import { director } from '../lifecycle/fixtures';
import { NoticeSchema, type Notice } from '../../../shared/domain/supervision';

const settings = parseOfficeSettings(undefined);

function fact(caseNo: string, receivedOn: string, over: Partial<ReportFact> = {}): ReportFact {
  return {
    caseNo,
    receivedOn,
    channel: 'letter',
    itemType: 'request-appeal',
    category: 'labour',
    persons: 1,
    firstTime: true,
    status: 'registered',
    assigned: false,
    review: false,
    rereview: false,
    final: false,
    ...over,
  };
}

function office(today: string, options: { failPut?: (key: string) => boolean; failNotice?: boolean } = {}) {
  const facts: ReportFact[] = [];
  const records = new Map<string, FrozenReportRecord>();
  const objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const outbox = new Map<string, Notice>();
  const clock = new FakeClock(`${today}T00:30:00Z`);
  const xlsx: ReportRendering = {
    format: 'xlsx',
    contentType: 'application/xlsx',
    render: async (r) => new TextEncoder().encode(`workbook of ${r.period.key}`),
  };
  const reports = new Reports({
    facts: {
      facts: async (months) => facts.filter((f) => months.includes(f.receivedOn.slice(0, 7))).map((f) => ({ ...f })),
      readStats: () => ({ items: 0, capacityUnits: 0, requests: 0 }),
    },
    frozen: {
      frozenRecord: async (periodKey, scope) => records.get(`${scope}#${periodKey}`) ?? null,
      recordFrozen: async (r) => {
        if (records.has(`${r.scope}#${r.periodKey}`)) return false;
        records.set(`${r.scope}#${r.periodKey}`, r);
        return true;
      },
    },
    documents: {
      put: async (key, bytes, contentType) => {
        if (options.failPut?.(key)) throw new Error(`S3 refused ${key}`);
        objects.set(key, { bytes, contentType });
      },
      get: async (key) => objects.get(key)?.bytes ?? null,
    },
    clock,
    settings,
    renderings: [xlsx],
    notices: {
      notify: async (n) => {
        if (options.failNotice) throw new Error('the table refused the notice');
        if (outbox.has(n.noticeId)) return false;
        outbox.set(n.noticeId, NoticeSchema.parse(n));
        return true;
      },
    },
  });
  return { facts, records, objects, clock, reports, outbox };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('frozen periods', () => {
  it('freezes last month, last quarter and last year once, JSON and XLSX each with its SHA-256', async () => {
    const o = office('2026-04-01');
    o.facts.push(
      fact('XF-2026-000001', '2026-03-03'),
      fact('XF-2026-000002', '2026-03-20', { persons: 6, channel: 'visit' }),
      fact('XF-2025-000001', '2025-06-01'),
    );

    const first = await o.reports.freezeClosed();

    expect(first.frozen.map((r) => r.periodKey)).toEqual(['2026-03', '2026-Q1', '2025']);
    const march = o.records.get('office#2026-03') as FrozenReportRecord;
    const json = o.objects.get(march.documentKey);
    expect(march.documentKey).toBe('reports/office/2026-03.json');
    expect(march.sha256).toBe(sha(json?.bytes as Uint8Array));
    const published = ReportSchema.parse(JSON.parse(new TextDecoder().decode(json?.bytes)));
    expect(published.figures.total).toMatchObject({ value: 2, persons: 7 });
    expect(published.asOf).toBe('2026-04-01');
    expect(march.renderings).toEqual([
      { format: 'xlsx', documentKey: 'reports/office/2026-03.xlsx', sha256: sha(o.objects.get('reports/office/2026-03.xlsx')?.bytes as Uint8Array) },
    ]);
    // A notice in the outbox for each period, to the directors and to the clerks.
    const notices = [...o.outbox.values()];
    expect(notices).toHaveLength(6);
    const marchNotice = notices.find((n) => n.milestone === 'frozen-2026-03' && n.recipient.kind === 'director');
    expect(marchNotice).toMatchObject({
      caseNo: 'OFFICE',
      clock: 'report',
      due: '2026-03-31',
      subject: '2026年3月信访工作统计已发布',
      createdOn: '2026-04-01',
    });
    expect(marchNotice?.body).toContain('共登记信访事项2批次7人次');
    expect(marchNotice?.body).toContain('JSON、XLSX');
    // The next day's run leaves every published period alone, and notifies nobody again.
    o.clock.set('2026-04-02T00:30:00Z');
    const again = await o.reports.freezeClosed();
    expect(again).toEqual({ frozen: [], already: ['2026-03', '2026-Q1', '2025'] });
    expect(o.records.get('office#2026-03')).toEqual(march);
    expect(o.outbox.size).toBe(6);
  });

  it('publishes nothing when a run dies midway, and the next run finishes', async () => {
    let fail = true;
    const o = office('2026-04-01', { failPut: (key) => fail && key.endsWith('2026-03.xlsx') });
    o.facts.push(fact('XF-2026-000001', '2026-03-03'));
    await expect(o.reports.freezeClosed()).rejects.toThrow(/S3 refused/);
    expect(o.records.size).toBe(0);
    fail = false;
    const retry = await o.reports.freezeClosed();
    expect(retry.frozen.map((r) => r.periodKey)).toEqual(['2026-03', '2026-Q1', '2025']);
  });

  it('publishes nothing before its notice is in the outbox, and notifies once when the next run publishes', async () => {
    const failing = office('2026-04-01', { failNotice: true });
    failing.facts.push(fact('XF-2026-000001', '2026-03-03'));
    await expect(failing.reports.freezeClosed()).rejects.toThrow(/refused the notice/);
    expect(failing.records.size).toBe(0);
    const o = office('2026-04-01');
    o.facts.push(fact('XF-2026-000001', '2026-03-03'));
    const march = monthPeriod(2026, 3);
    await o.reports.freeze(march);
    // A run that died after notifying and before recording: the next one records, the same notices stay single.
    o.records.clear();
    await o.reports.freeze(march);
    expect(o.records.size).toBe(1);
    expect([...o.outbox.values()].filter((n) => n.milestone === 'frozen-2026-03')).toHaveLength(2);
  });

  it('shows a later correction as published vs recomputed, and compares the next month with the published figures', async () => {
    const o = office('2026-04-01');
    o.facts.push(fact('XF-2026-000001', '2026-03-03'), fact('XF-2026-000002', '2026-03-20'), fact('XF-2026-000003', '2026-04-02'));
    await o.reports.freezeClosed();
    // A correction after publication: a March case turns out to be a visit of 3 persons.
    o.facts[1] = fact('XF-2026-000002', '2026-03-20', { channel: 'visit', persons: 3 });
    o.clock.set('2026-04-10T02:00:00Z');

    const recomputed = await o.reports.report(director, { period: monthPeriod(2026, 3) });
    expect(recomputed.figures.total).toMatchObject({ value: 2, persons: 4 });
    expect(recomputed.publication?.corrections).toContainEqual(
      expect.objectContaining({ figure: 'total', published: 2, publishedPersons: 2, recomputed: 2, recomputedPersons: 4 }),
    );
    expect(recomputed.publication?.corrections).toContainEqual(expect.objectContaining({ figure: 'visits', published: 0, recomputed: 1 }));
    const asPublished = await o.reports.report(director, { period: monthPeriod(2026, 3), view: 'published' });
    expect(asPublished.figures.total).toMatchObject({ value: 2, persons: 2 });
    expect(asPublished.publication?.sha256).toBe(o.records.get('office#2026-03')?.sha256);

    // April's 环比 is against March as published (2 persons), not as recomputed (4).
    const april = await o.reports.report(director, { period: monthPeriod(2026, 4) });
    expect(april.comparisons.mom).toMatchObject({ period: { key: '2026-03' }, basis: 'frozen' });
    expect(april.figures.total.mom).toMatchObject({ previous: 2, previousPersons: 2 });
    expect(april.figures.visits.mom).toMatchObject({ previous: 0 });
  });
});

/**
 * GET /reports through the gateway (docs/reports.md): the figures of a period from the report facts
 * the registration and each transition write, 同比/环比, a department's own figures only, and the
 * refusals of a bad period or breakdown. The full oracle (every figure and breakdown against the
 * raw cases of two years) is test/adapter/reports-oracle.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbReportStore } from '../../shared/adapters/report-store';
import { S3DocumentStorage } from '../../shared/adapters/s3-storage';
import { Reports } from '../../shared/app/reports';
import { parseOfficeSettings } from '../../shared/domain/office';
import { monthPeriod } from '../../shared/domain/reports';
import { startTestStack, type TestStack } from '../support/stack';
import { registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-20T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

async function register(over: Record<string, unknown>, key: string): Promise<{ caseNo: string; version: number }> {
  const res = await stack.api.post('/cases', registration(over), { token: t.clerk, headers: { 'idempotency-key': key } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { caseNo: res.json.case.caseNo as string, version: res.json.case.version as number };
}

async function report(query: string, token = t.director) {
  const res = await stack.api.get(`/reports?${query}`, { token });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
}

describe('GET /reports', () => {
  it('counts 批次 and 人次, visits, 越级, the 问题属地 and level breakdowns, and the acceptance and assignment that follow', async () => {
    // Arrange: a letter in February; in March a collective visit that skipped a level, a referral of a 进京访, and a letter.
    await register({ receivedOn: '2026-02-10', petitioners: [{ name: '李四', phone: '13600000001' }], locality: 'ninghai' }, 'rep-0001');
    const visit = await register(
      {
        receivedOn: '2026-03-03',
        petitioners: [{ name: '王五', phone: '13600000002' }],
        persons: 8,
        representatives: ['王五'],
        channel: { type: 'visit' },
        level: 'skip-level',
        locality: 'jiuxi',
      },
      'rep-0002',
    );
    await register(
      {
        receivedOn: '2026-03-05',
        petitioners: [{ name: '赵六', phone: '13600000003' }],
        persons: 2,
        channel: { type: 'referral', fromOrgan: '国家信访局', reference: '国信转〔2026〕12号' },
        level: 'capital',
      },
      'rep-0003',
    );
    await register({ receivedOn: '2026-03-06', petitioners: [{ name: '钱七', phone: '13600000004' }], locality: 'jiuxi' }, 'rep-0004');
    const accepted = await stack.api.post(`/cases/${visit.caseNo}/accept`, {}, { token: t.director, headers: { 'if-match': `"${visit.version}"` } });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const assigned = await stack.api.post(
      `/cases/${visit.caseNo}/assign`,
      { deptCode: 'HRSS' },
      { token: t.director, headers: { 'if-match': `"${accepted.json.version}"` } },
    );
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);

    // Act
    const march = await report('period=2026-03');

    // Assess
    expect(march.period).toMatchObject({ kind: 'month', key: '2026-03', from: '2026-03-01', to: '2026-03-31', label: '2026年3月' });
    expect(march.figures.total).toMatchObject({ value: 3, persons: 11 });
    expect(march.figures.visits).toMatchObject({ value: 1, persons: 8 });
    expect(march.figures.collectiveVisits).toMatchObject({ value: 1, persons: 8 });
    expect(march.figures.letters).toMatchObject({ value: 1, persons: 1 });
    expect(march.figures.skipLevel).toMatchObject({ value: 2, persons: 10 });
    expect(march.figures.toCapital).toMatchObject({ value: 1, persons: 2 });
    expect(march.figures.accepted.value).toBe(1);
    expect(march.figures.assigned.value).toBe(1);
    // 环比: February had 1 case of 1 person: +200% 批次, +1000% 人次.
    expect(march.figures.total.mom).toMatchObject({ previous: 1, previousPersons: 1, change: 200, personsChange: 1000, unit: 'percent' });
    expect(march.comparisons.mom).toMatchObject({ period: { key: '2026-02' }, basis: 'recomputed' });
    expect(march.figures.total.yoy).toMatchObject({ previous: 0, change: null });
    // Every rate shows its formula, numerator and denominator.
    expect(march.figures.repeatRate.formula).toMatchObject({ id: 'repeat-rate@1', numerator: 0, denominator: 3 });
    expect(march.figures.satisfactionRate.formula.text).toBe('满意率 = (满意 + 基本满意 + 超期未评价) ÷ 总数 × 100%');
    const locality = march.breakdowns.find((b: { dimension: string }) => b.dimension === 'locality');
    const row = (key: string) => locality.rows.find((r: { key: string }) => r.key === key);
    expect(row('jiuxi')).toMatchObject({ label: '九溪镇', figures: { total: { value: 2, persons: 9 } } });
    expect(row('none').figures.total.value).toBe(1);
    const level = march.breakdowns.find((b: { dimension: string }) => b.dimension === 'level');
    expect(level.rows.find((r: { key: string }) => r.key === 'capital')).toMatchObject({ label: '进京访', figures: { total: { value: 1 } } });
    expect(march.facts).toBe(3);
  });

  it('shows a department only its own figures, and refuses it another department’s', async () => {
    const mine = await report('period=2026-03', t.hrss);
    expect(mine.scope).toEqual({ deptCode: 'HRSS', label: '人力资源和社会保障局' });
    expect(mine.figures.total).toMatchObject({ value: 1, persons: 8 });
    const other = await stack.api.get('/reports?period=2026-03&deptCode=HOUSING', { token: t.hrss });
    expect(other.status).toBe(403);
  });

  it('refuses a period or a breakdown it does not know, and a level for a letter', async () => {
    for (const q of ['period=2026-13', 'period=2026-Q5', 'period=2026-03-10..2026-03-01', 'period=2026-03&dimensions=colour']) {
      const res = await stack.api.get(`/reports?${q}`, { token: t.director });
      expect(res.status, q).toBe(400);
    }
    const letter = await stack.api.post('/cases', registration({ level: 'province' }), { token: t.clerk, headers: { 'idempotency-key': 'rep-bad-1' } });
    expect(letter.status).toBe(400);
    expect(JSON.stringify(letter.json)).toContain('level');
    const place = await stack.api.post('/cases', registration({ locality: 'atlantis' }), { token: t.clerk, headers: { 'idempotency-key': 'rep-bad-2' } });
    expect(place.status).toBe(400);
    expect(JSON.stringify(place.json)).toContain('locality');
  });

  it('lists the cases behind a number (GET /reports/cases): as many as the figure, overall and by breakdown, a department only its own', async () => {
    const march = await report('period=2026-03');
    const row = (d: string, key: string) =>
      march.breakdowns.find((b: { dimension: string }) => b.dimension === d).rows.find((r: { key: string }) => r.key === key);
    const drill = async (query: string, token = t.director) => {
      const res = await stack.api.get(`/reports/cases?period=2026-03&${query}`, { token });
      expect(res.status, `${query}: ${JSON.stringify(res.json)}`).toBe(200);
      return res.json;
    };
    const checks: [string, number][] = [
      ['figure=total', march.figures.total.value],
      ['figure=visits', march.figures.visits.value],
      ['figure=skipLevel', march.figures.skipLevel.value],
      ['figure=accepted', march.figures.accepted.value],
      ['figure=repeatRate&part=denominator', march.figures.repeatRate.formula.denominator],
      ['figure=total&dimension=locality&value=jiuxi', row('locality', 'jiuxi').figures.total.value],
      ['figure=total&dimension=locality&value=none', row('locality', 'none').figures.total.value],
      ['figure=toCapital&dimension=level&value=capital', row('level', 'capital').figures.toCapital.value],
      ['figure=total&dimension=department&value=HRSS', row('department', 'HRSS').figures.total.value],
      ['figure=letters&dimension=channel&value=letter', row('channel', 'letter').figures.letters.value],
    ];
    for (const [query, figure] of checks) {
      const cases = await drill(query);
      expect(cases.count, query).toBe(figure);
      expect(cases.caseNos, query).toHaveLength(figure);
      expect(
        cases.items.map((c: { caseNo: string }) => c.caseNo),
        query,
      ).toEqual(cases.caseNos);
    }
    const total = await drill('figure=total');
    expect(total.persons).toBe(march.figures.total.persons);
    expect(total.items[0]).toMatchObject({ caseNo: expect.any(String), subject: expect.any(String), status: expect.any(String) });
    // A department: its own cases only, as many as its own report says; another department's is refused.
    const mine = await drill('figure=total', t.hrss);
    expect(mine.scope.deptCode).toBe('HRSS');
    expect(mine.count).toBe((await report('period=2026-03', t.hrss)).figures.total.value);
    expect((await stack.api.get('/reports/cases?period=2026-03&figure=total&deptCode=HOUSING', { token: t.hrss })).status).toBe(403);
    // A product rate has no cases behind its numerator; an unknown figure is refused.
    expect((await stack.api.get('/reports/cases?period=2026-03&figure=ratedSatisfactionRate&part=numerator', { token: t.director })).status).toBe(400);
    expect((await stack.api.get('/reports/cases?period=2026-03&figure=colour', { token: t.director })).status).toBe(400);
  });
});

describe('a frozen period in the outbox (issue 13)', () => {
  it("puts a notice to the directors and clerks in the outbox when February's report is frozen, once", async () => {
    const store = new DynamoDbReportStore(documentClient(stack.clients.dynamodb), stack.tableName);
    const reports = new Reports({
      facts: store,
      frozen: store,
      notices: store,
      documents: new S3DocumentStorage(stack.clients.s3, stack.bucketName),
      clock: stack.clock,
      settings: parseOfficeSettings(undefined),
    });
    expect(await reports.freeze(monthPeriod(2026, 2))).not.toBeNull();
    expect(await reports.freeze(monthPeriod(2026, 2))).toBeNull();
    const res = await stack.api.get('/outbox?date=2026-03-20', { token: t.director });
    expect(res.status, res.text).toBe(200);
    const notices = (res.json.items as { notice: { caseNo: string; clock: string; recipient: { kind: string }; subject: string } }[])
      .map((i) => i.notice)
      .filter((n) => n.clock === 'report');
    expect(notices.map((n) => n.recipient.kind).sort()).toEqual(['clerk', 'director']);
    for (const n of notices) expect(n).toMatchObject({ caseNo: 'OFFICE', subject: '2026年2月信访工作统计已发布' });
  });
});

/**
 * Delivering the notices the sweep writes (NoticeDelivery) over the in-memory fakes: the local
 * drain sends each pending notice once; a failed send is due again later and the retry run sends
 * it; a notice without an address is undeliverable; after the last attempt it is given up and
 * counted on the dashboard. And the health check over its probes.
 */
import { describe, expect, it } from 'vitest';
import { checkHealth } from '../../../shared/app/health';
import { MAX_DELIVERY_ATTEMPTS, NoticeDelivery, parseAddressBook, type NoticeTransport } from '../../../shared/app/outbox';
import type { Notice } from '../../../shared/domain/supervision';
import { fakeApp, type FakeApp } from '../../support/fakes/use-cases';
import { clerk, director, registration } from '../lifecycle/fixtures';

const book = parseAddressBook(
  JSON.stringify({ director: ['zhuren@example.gov.cn'], clerk: ['dengji@example.gov.cn'], departments: { HRSS: ['rsj@example.gov.cn'] } }),
);

function transport(): NoticeTransport & { sent: { noticeId: string; to: string[] }[]; failing: boolean } {
  const t = {
    channel: 'email',
    needsAddresses: true,
    sent: [] as { noticeId: string; to: string[] }[],
    failing: false,
    deliver: async (n: Notice, to: string[]) => {
      if (t.failing) throw new Error('SES throttled');
      t.sent.push({ noticeId: n.noticeId, to });
    },
  };
  return t;
}

/** A case assigned to HRSS on 2026-03-04 and swept on 04-25: the department's overdue (clerk, HRSS) and handling's reminder (HRSS). */
async function sweptCase(app: FakeApp): Promise<string> {
  app.ports.clock.set('2026-03-04T02:00:00Z');
  const reg = await app.registry.register(clerk, registration());
  const accepted = await app.registry.act(director, reg.case.caseNo, 'accept', {}, 1);
  await app.registry.act(director, reg.case.caseNo, 'assign', { deptCode: 'HRSS' }, accepted.version);
  app.ports.clock.set('2026-04-25T00:00:00Z');
  expect(await app.sweep.run()).toMatchObject({ notices: 3, errors: 0 });
  return reg.case.caseNo;
}

describe('delivering the outbox', () => {
  it('sends each pending notice of a day once to its recipient’s addresses, however often it is drained', async () => {
    const app = fakeApp();
    await sweptCase(app);
    const t = transport();
    const delivery = new NoticeDelivery({ store: app.ports.store, transport: t, addresses: book, clock: app.ports.clock });
    expect(await delivery.drain(['2026-04-25'])).toBe(3);
    expect(await delivery.drain(['2026-04-25'])).toBe(0);
    expect(t.sent.map((s) => s.to.join()).sort()).toEqual(['dengji@example.gov.cn', 'rsj@example.gov.cn', 'rsj@example.gov.cn']);
    expect((await app.oversight.outbox(clerk, { date: '2026-04-25', status: 'sent', limit: 10 })).items).toHaveLength(3);
    expect(await delivery.retryDue()).toMatchObject({ due: 0 });
  });

  it('a failed send is due again after its backoff and the retry run sends it; a recipient without an address is undeliverable', async () => {
    const app = fakeApp();
    await sweptCase(app);
    const t = transport();
    const noClerk = parseAddressBook(JSON.stringify({ departments: { HRSS: ['rsj@example.gov.cn'] } }));
    const delivery = new NoticeDelivery({ store: app.ports.store, transport: t, addresses: noClerk, clock: app.ports.clock });
    t.failing = true;
    expect(await delivery.drain(['2026-04-25'])).toBe(0);
    const page = await app.oversight.outbox(clerk, { date: '2026-04-25', limit: 10 });
    expect(page.items.map((e) => e.delivery.status).sort()).toEqual(['pending', 'pending', 'undeliverable']);
    t.failing = false;
    expect(await delivery.retryDue()).toMatchObject({ due: 0 });
    app.ports.clock.set('2026-04-25T00:06:00Z');
    expect(await delivery.retryDue()).toMatchObject({ due: 2, sent: 2, errors: 0 });
    expect(t.sent).toHaveLength(2);
  });

  it('gives a notice up after the last attempt: failed, reported once, counted on the dashboard', async () => {
    const app = fakeApp();
    await sweptCase(app);
    const t = transport();
    const failed: string[] = [];
    const delivery = new NoticeDelivery({
      store: app.ports.store,
      transport: t,
      addresses: book,
      clock: app.ports.clock,
      onFailed: (n) => failed.push(n.noticeId),
    });
    t.failing = true;
    await delivery.drain(['2026-04-25']);
    for (let attempt = 2; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      app.ports.clock.set(new Date(app.ports.clock.now().getTime() + 7 * 3_600_000));
      await delivery.retryDue();
    }
    expect(failed).toHaveLength(3);
    expect(await app.ports.store.failedNoticeCount()).toBe(3);
    app.ports.clock.set(new Date(app.ports.clock.now().getTime() + 7 * 3_600_000));
    expect(await delivery.retryDue()).toMatchObject({ due: 0 });
    app.ports.clock.set('2026-04-27T02:00:00Z');
    expect((await app.oversight.dashboard(director)).totals.failedNotices).toBe(3);
  });
});

describe('the health check', () => {
  it('is ok when every probe answers, and names the probe that failed or did not answer in time', async () => {
    expect(await checkHealth({ table: async () => undefined, documents: async () => undefined })).toMatchObject({
      status: 'ok',
      checks: { table: { ok: true }, documents: { ok: true } },
    });
    const down = await checkHealth(
      {
        table: async () => undefined,
        documents: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 (bucket xf-secret-name)'), { code: 'ECONNREFUSED' })),
        archive: () => new Promise<void>(() => undefined),
      },
      20,
    );
    expect(down).toMatchObject({
      status: 'unavailable',
      checks: { table: { ok: true }, documents: { ok: false, reason: 'ECONNREFUSED' }, archive: { ok: false, reason: 'timeout' } },
    });
    expect(JSON.stringify(down)).not.toContain('xf-secret-name');
  });
});

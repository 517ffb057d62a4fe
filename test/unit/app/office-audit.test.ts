/**
 * 立即校验 over the fakes (issue 18 item 6): the office trail's hash chain verified as stored,
 * page by page, by the one check the admin's button and `npm run audit:verify -- office` share.
 * An intact trail is reported with its number of entries; an altered, rewritten, deleted or
 * headless one with the seq of the first entry that breaks the chain, wherever the pages end.
 */
import { describe, expect, it } from 'vitest';
import { OfficeAdmin, OfficeDirectorySource, tableOnlyIdentity } from '../../../shared/app/directory';
import { verifyOfficeTrail } from '../../../shared/app/office-audit';
import { hashEvent, type AuditEvent } from '../../../shared/domain/audit';
import { ForbiddenError } from '../../../shared/domain/errors';
import type { Actor } from '../../../shared/domain/roles';
import { FakeClock } from '../../../shared/domain/time';
import { FakeOfficeStore } from '../../support/fakes/office-store';

const admin: Actor = { userId: 'u-admin', username: 'admin1', displayName: '刘洋', roles: ['admin'] };
const clerk: Actor = { userId: 'u-clerk', username: 'clerk1', displayName: '王芳', roles: ['clerk'] };
const AT = '2026-12-06T02:52:00.000Z';

/** A trail of seven events: seven departments added. */
async function trail() {
  const store = new FakeOfficeStore();
  const clock = new FakeClock(AT);
  const source = new OfficeDirectorySource({ store, clock, seed: [{ code: 'HRSS', name: '人力资源和社会保障局' }], cacheMs: 0 });
  const office = new OfficeAdmin({ store, identity: tableOnlyIdentity, source, clock });
  for (let i = 1; i <= 7; i++) await office.createDepartment(admin, { code: `D0${i}`, name: `第${i}局` });
  return { store, office };
}

/** The stored event at `seq`, for a test to alter as someone with access to the table could. */
const at = (store: FakeOfficeStore, seq: number): AuditEvent => {
  const e = store.events.find((x) => x.seq === seq);
  if (!e) throw new Error(`no event ${seq}`);
  return e;
};

describe('verifying the office trail (立即校验)', () => {
  it('is for the admin alone, and is not itself an event of the trail', async () => {
    const { store, office } = await trail();
    await expect(office.verifyAuditTrail(clerk)).rejects.toThrow(ForbiddenError);
    expect(await office.verifyAuditTrail(admin)).toEqual({ ok: true, entries: 7, checkedAt: AT });
    expect(store.events).toHaveLength(7);
  });

  it('reads the trail in pages and reports an intact chain with all its entries; an empty trail is intact', async () => {
    const { store } = await trail();
    expect(await verifyOfficeTrail(store, AT, 2)).toEqual({ ok: true, entries: 7, checkedAt: AT });
    expect(store.rawPages).toBe(4);
    expect(await verifyOfficeTrail(new FakeOfficeStore(), AT, 2)).toEqual({ ok: true, entries: 0, checkedAt: AT });
  });

  it('reports an altered entry with its seq, the entries before it intact', async () => {
    const { store } = await trail();
    const e = at(store, 5);
    e.data = { ...e.data, after: { name: '改过的名字' } };
    expect(await verifyOfficeTrail(store, AT, 2)).toEqual({ ok: false, entries: 4, checkedAt: AT, firstBroken: { seq: 5, reason: 'hash-mismatch' } });
  });

  it('reports an entry rewritten with a recomputed hash at the next one, across a page boundary', async () => {
    const { store } = await trail();
    const e = at(store, 2);
    e.data = { ...e.data, after: { name: '改过的名字' } };
    e.hash = hashEvent(e);
    // Pages of two: seq 1–2, 3–4, … — the break is found on the page after the rewritten entry.
    expect(await verifyOfficeTrail(store, AT, 2)).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: 3, reason: 'prev-mismatch' } });
  });

  it('reports a deleted entry, the last one included (the head still names it)', async () => {
    const middle = await trail();
    middle.store.events.splice(2, 1);
    expect(await verifyOfficeTrail(middle.store, AT, 2)).toMatchObject({ ok: false, entries: 2, firstBroken: { seq: 3, reason: 'gap' } });
    const last = await trail();
    last.store.events.pop();
    expect(await verifyOfficeTrail(last.store, AT, 2)).toMatchObject({ ok: false, entries: 6, firstBroken: { seq: 7, reason: 'gap' } });
  });

  it('reports a stored item that is no event at all, and a trail whose head is gone', async () => {
    const garbled = await trail();
    (garbled.store.events as unknown[])[3] = null;
    expect(await verifyOfficeTrail(garbled.store, AT)).toMatchObject({ ok: false, entries: 3, firstBroken: { seq: 4, reason: 'hash-mismatch' } });
    const headless = await trail();
    headless.store.head = undefined;
    expect(await verifyOfficeTrail(headless.store, AT)).toMatchObject({ ok: false, entries: 7, firstBroken: { seq: 7, reason: 'head-missing' } });
  });
});

/**
 * The demo (`npm run demo`, local/demo-data.ts) records 问题属地 on its cases and 信访层级 on its
 * visits, so the reports it feeds have real breakdowns by locality and level.
 */
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../../local/demo-data';
import { DEMO_USERS } from '../../../local/demo-users';
import { DEFAULT_LOCALITIES, PETITION_LEVELS } from '../../../shared/domain/taxonomy';
import { fakeApp } from '../../support/fakes/use-cases';

describe('demo data', () => {
  it('fills 问题属地 and, for visits only, 信访层级', async () => {
    const app = fakeApp({ now: '2026-03-02T01:00:00Z' });
    const { caseNos } = await seedDemo(app.registry, app.ports.clock, { count: 20, today: '2026-03-02', seed: 7 });
    const u = DEMO_USERS.find((d) => d.username === 'director1')!;
    const director = { userId: u.sub, username: u.username, displayName: u.name, roles: [...u.roles], deptCode: u.deptCode };
    const cases = await Promise.all(caseNos.map((no) => app.registry.getCase(director, no)));
    const codes = new Set(DEFAULT_LOCALITIES.map((l) => l.code));
    const withLocality = cases.filter((c) => c.locality !== undefined);
    expect(withLocality.length).toBeGreaterThan(cases.length * 0.8);
    for (const c of withLocality) expect(codes.has(c.locality!)).toBe(true);
    const visits = cases.filter((c) => c.channel.type === 'visit');
    expect(visits.length).toBeGreaterThan(0);
    for (const c of visits) expect(PETITION_LEVELS).toContain(c.level);
    for (const c of cases.filter((c) => c.channel.type !== 'visit' && c.channel.type !== 'referral')) expect(c.level).toBeUndefined();
  });
});

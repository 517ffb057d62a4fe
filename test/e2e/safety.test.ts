/**
 * Concurrency, idempotency, scoping, identity and bad input, through the local gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { verifyChain } from '../../shared/domain/audit';
import { ROUTES } from '../../shared/http/routes';
import { startTestStack, type TestStack } from '../support/stack';
import { ifMatch, registration, tokens } from './helpers';

let stack: TestStack;
let t: Awaited<ReturnType<typeof tokens>>;

beforeAll(async () => {
  stack = await startTestStack({ now: '2026-03-02T01:00:00Z' });
  t = await tokens(stack);
}, 60_000);
afterAll(() => stack?.stop());

let petitioners = 0;
/** Registers a case of a new petitioner each time (so no repeat warnings get in the way). */
async function register(over: Record<string, unknown> = {}) {
  petitioners += 1;
  const petitioner = { name: `测试人${petitioners}`, phone: `1390000${String(petitioners).padStart(4, '0')}` };
  const r = await stack.api.post('/cases', registration({ petitioners: [petitioner], ...over }), { token: t.clerk });
  expect(r.status).toBe(201);
  return r.json.case as { caseNo: string; version: number };
}

describe('two people acting at once', () => {
  it('lets exactly one of 50 concurrent conflicting transitions win; the rest get 409 and the chain verifies', async () => {
    // Prepare
    const c = await register();
    // Act
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? stack.api.post(`/cases/${c.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(c.version) })
          : stack.api.post(`/cases/${c.caseNo}/decline`, { route: 'litigation', reason: '已起诉' }, { token: t.director, headers: ifMatch(c.version) }),
      ),
    );
    // Assess
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const timeline = await stack.api.get(`/cases/${c.caseNo}/timeline`, { token: t.clerk });
    expect(timeline.json.events).toHaveLength(2);
    expect(verifyChain(c.caseNo, timeline.json.events)).toEqual({ ok: true, count: 2 });
  });

  it('makes exactly one case of 50 concurrent retries of one registration with the same Idempotency-Key', async () => {
    const body = registration({ petitioners: [{ name: '李秀英', phone: '13987654321' }], subject: '反映小区物业服务问题', category: 'urban' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => stack.api.post('/cases', body, { token: t.clerk, headers: { 'idempotency-key': 'same-registration-0001' } })),
    );
    const caseNos = new Set(results.filter((r) => r.status < 300).map((r) => r.json.case.caseNo));
    expect(results.every((r) => r.status === 201 || r.status === 200 || r.status === 409)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(caseNos.size).toBe(1);
    const listed = await stack.api.get('/cases?petitionerName=李秀英&petitionerPhone=13987654321', { token: t.clerk });
    expect(listed.json.items).toHaveLength(1);
    // A replay returns the same case and the same query code; another body with the key is refused.
    const replay = await stack.api.post('/cases', body, { token: t.clerk, headers: { 'idempotency-key': 'same-registration-0001' } });
    expect(replay.status).toBe(200);
    expect(replay.json.case.caseNo).toBe([...caseNos][0]);
    expect(replay.json.queryCode).toBe(results.find((r) => r.status === 201)?.json.queryCode);
    const other = await stack.api.post(
      '/cases',
      { ...body, subject: '另一个事项' },
      { token: t.clerk, headers: { 'idempotency-key': 'same-registration-0001' } },
    );
    expect(other.status).toBe(422);
  });
});

describe('registration warnings', () => {
  it('shows the clerk earlier and open cases of the same petitioner and links the repeat', async () => {
    // Prepare: a first case of 赵桂兰, by ID number.
    const petitioner = { name: '赵桂兰', idNumber: '530421196807150021', phone: '13700001111' };
    const first = await stack.api.post('/cases', registration({ petitioners: [petitioner] }), { token: t.clerk });
    expect(first.status).toBe(201);
    // Act: the clerk checks a new draft, then registers it (same ID number, different phone).
    const draft = registration({ petitioners: [{ ...petitioner, phone: '13911112222' }], subject: '再次反映拖欠工资问题' });
    const check = await stack.api.post('/cases/check', draft, { token: t.clerk });
    const second = await stack.api.post('/cases', draft, { token: t.clerk });
    // Assess
    expect(check.status).toBe(200);
    expect(check.json.warnings.map((w: { kind: string }) => w.kind)).toEqual(['matter-in-progress', 'earlier-cases']);
    expect(check.json.earlier[0].caseNo).toBe(first.json.case.caseNo);
    expect(second.json.case.repeatOf).toBe(first.json.case.caseNo);
    expect(second.json.case.firstTime).toBe(false);
    const accept = await stack.api.post(`/cases/${second.json.case.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(1) });
    expect(accept.status).toBe(409);
    expect(accept.json.error.message).toContain('warningsOverride');
  });
});

describe('who sees what', () => {
  it("answers 404 to a department reading another department's case, and 403 to a wrong role", async () => {
    const c = await register();
    const a = await stack.api.post(`/cases/${c.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(c.version) });
    const b = await stack.api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HRSS' }, { token: t.director, headers: ifMatch(a.json.version) });
    expect(b.status).toBe(200);
    expect((await stack.api.get(`/cases/${c.caseNo}`, { token: t.housing })).status).toBe(404);
    expect((await stack.api.get(`/cases/${c.caseNo}/timeline`, { token: t.housing })).status).toBe(404);
    const answer = { request: '请求', facts: '事实', decision: '处理意见', outcome: 'support', legalBasis: '《信访工作条例》第三十二条' };
    expect((await stack.api.post(`/cases/${c.caseNo}/answer`, answer, { token: t.housing, headers: ifMatch(b.json.version) })).status).toBe(404);
    expect((await stack.api.get(`/cases/${c.caseNo}`, { token: t.hrss })).status).toBe(200);
    const housingList = await stack.api.get('/cases', { token: t.housing });
    expect(housingList.json.items.map((i: { caseNo: string }) => i.caseNo)).not.toContain(c.caseNo);
    expect(
      (await stack.api.post(`/cases/${c.caseNo}/reassign`, { deptCode: 'CIVIL', reason: 'x' }, { token: t.clerk, headers: ifMatch(b.json.version) })).status,
    ).toBe(403);
    expect((await stack.api.post('/cases', registration(), { token: t.hrss })).status).toBe(403);
    expect((await stack.api.get(`/cases/${c.caseNo}`, { token: t.archivist })).status).toBe(404);
  });

  it('never shows an accusation to the accused unit, even if asked by case number', async () => {
    const c = await register({
      itemType: 'accusation',
      category: 'accusation',
      accusedUnits: [{ name: '江川市住房和城乡建设局', deptCode: 'HOUSING' }],
      subject: '检举某单位工作人员违规收受礼金',
    });
    const a = await stack.api.post(`/cases/${c.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(c.version) });
    const refused = await stack.api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HOUSING' }, { token: t.director, headers: ifMatch(a.json.version) });
    expect(refused.status).toBe(409);
    expect((await stack.api.get(`/cases?caseNo=${c.caseNo}`, { token: t.housing })).json.items).toEqual([]);
  });

  it('never shows an accusation to a department named by name only, nor lets it be assigned (Art. 30)', async () => {
    // Prepare: the accused unit as the letter names it, with no code; a case of the accusation category typed otherwise.
    const c = await register({
      itemType: 'accusation',
      category: 'accusation',
      accusedUnits: [{ name: '住房和城乡建设局' }],
      subject: '检举某局工作人员违规收受礼金',
    });
    const mistyped = await stack.api.post(
      '/cases',
      registration({ petitioners: [{ name: '郑国庆', phone: '13900009999' }], category: 'accusation', itemType: 'request-appeal' }),
      { token: t.clerk },
    );
    // Act
    const a = await stack.api.post(`/cases/${c.caseNo}/accept`, {}, { token: t.director, headers: ifMatch(c.version) });
    const refused = await stack.api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'HOUSING' }, { token: t.director, headers: ifMatch(a.json.version) });
    // Assess: the unit was recognised at registration, the assignment refused, nothing readable by the unit.
    expect(mistyped.status).toBe(400);
    expect(mistyped.json.error.issues[0].field).toBe('itemType');
    expect((await stack.api.get(`/cases/${c.caseNo}`, { token: t.clerk })).json.accusedUnits).toEqual([{ name: '住房和城乡建设局', deptCode: 'HOUSING' }]);
    expect(refused.status).toBe(409);
    const assigned = await stack.api.post(`/cases/${c.caseNo}/assign`, { deptCode: 'JW' }, { token: t.director, headers: ifMatch(a.json.version) });
    expect(assigned.status).toBe(200);
    expect((await stack.api.get(`/cases/${c.caseNo}`, { token: t.housing })).status).toBe(404);
    expect((await stack.api.get(`/cases/${c.caseNo}/timeline`, { token: t.housing })).status).toBe(404);
    expect((await stack.api.get(`/cases?caseNo=${c.caseNo}`, { token: t.housing })).json.items).toEqual([]);
  });

  it('gives admin no case content: every case, document, timeline and list route is refused', async () => {
    // Prepare: a case with a scan.
    const admin = await stack.token('admin1');
    const c = await register({ uploads: [{ kind: 'letter', contentType: 'application/pdf', size: 1000, fileName: '来信.pdf' }] });
    const view = await stack.api.get(`/cases/${c.caseNo}`, { token: t.clerk });
    const documentId = view.json.documents[0].documentId as string;
    // Act
    const reads = await Promise.all(
      [
        `/cases/${c.caseNo}`,
        `/cases/${c.caseNo}/timeline`,
        `/cases/${c.caseNo}/supervisions`,
        `/cases/${c.caseNo}/documents/${documentId}/download`,
        `/cases/${c.caseNo}/documents/${documentId}/ocr`,
      ].map((p) => stack.api.get(p, { token: admin })),
    );
    const lists = await Promise.all(
      ['/cases', `/cases?caseNo=${c.caseNo}`, '/dashboard', '/supervisions', '/inbox', '/archive/search'].map((p) => stack.api.get(p, { token: admin })),
    );
    const accept = await stack.api.post(`/cases/${c.caseNo}/accept`, {}, { token: admin, headers: ifMatch(c.version) });
    // Assess: not found for the case itself (as for any invisible case), refused for the lists.
    expect(reads.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(lists.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(accept.status).toBe(404);
    expect((await stack.api.get('/admin/templates', { token: admin })).status).toBe(200);
  });

  it('refuses every authenticated route without a token, with a forged token, and with an expired one', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ token_use: 'id', 'cognito:username': 'director1', 'cognito:groups': ['director'] })
      .setProtectedHeader({ alg: 'ES256', kid: stack.issuer.jwks().keys[0]?.kid })
      .setIssuer(stack.issuer.issuerUrl)
      .setAudience(stack.issuer.audience)
      .setSubject('forged')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const expired = await stack.issuer.mintToken('director1', { now: new Date(Date.now() - 3 * 3600_000) });
    const authed = ROUTES.filter((r) => r.auth);
    expect(authed.length).toBeGreaterThan(25);
    for (const route of authed) {
      const path = route.path.replace('{caseNo}', 'XF-2026-000001').replace('{documentId}', 'doc');
      for (const token of [undefined, forged, expired, 'not-a-jwt']) {
        const r = await stack.api.request(route.method, path, route.method === 'GET' ? undefined : {}, { token });
        expect(r.status, `${route.method} ${route.path} with ${token ? 'a bad' : 'no'} token`).toBe(401);
      }
    }
  });
});

describe('bad input', () => {
  it('answers 400 with the field and the reason, and writes nothing', async () => {
    const before = await stack.api.get('/cases?receivedFrom=2026-01-01&receivedTo=2026-12-31&limit=100', { token: t.clerk });
    const bad = await stack.api.post(
      '/cases',
      registration({ persons: 0, receivedOn: '2026-13-40', petitioners: [{ name: '', idNumber: '110105194912310021' }] }),
      { token: t.clerk },
    );
    expect(bad.status).toBe(400);
    const fields = bad.json.error.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['body.persons', 'body.receivedOn', 'body.petitioners.0.name', 'body.petitioners.0.idNumber']));
    expect((await stack.api.post('/cases', '{not json', { token: t.clerk, headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await stack.api.post('/cases', registration({ category: 'no-such-category' }), { token: t.clerk })).status).toBe(400);
    expect(
      (await stack.api.post('/cases', registration({ representatives: ['甲', '乙', '丙', '丁', '戊', '己'] }), { token: t.clerk })).json.error.issues[0].field,
    ).toBe('body.representatives');
    const after = await stack.api.get('/cases?receivedFrom=2026-01-01&receivedTo=2026-12-31&limit=100', { token: t.clerk });
    expect(after.json.items.length).toBe(before.json.items.length);
  });

  it('never answers 500 to random input on any route', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = [null, 0, -1, 1e308, '', 'x'.repeat(5000), [], {}, { a: 1 }, true, '2026-02-30', '💥', '../../etc/passwd', { $ne: 1 }];
    const c = await register();
    for (let i = 0; i < 150; i++) {
      const route = ROUTES[Math.floor(rnd() * ROUTES.length)]!;
      const path = route.path.replace('{caseNo}', rnd() < 0.5 ? c.caseNo : '%00%ff').replace('{documentId}', 'x');
      const body = Object.fromEntries(
        ['caseNo', 'queryCode', 'deptCode', 'days', 'reason', 'petitioners', 'kind', 'size', 'outcome']
          .filter(() => rnd() < 0.5)
          .map((k) => [k, values[Math.floor(rnd() * values.length)]]),
      );
      const r = await stack.api.request(route.method, path, route.method === 'GET' ? undefined : body, {
        token: t.director,
        headers: rnd() < 0.5 ? ifMatch(1) : { 'if-match': 'garbage' },
      });
      expect(r.status, `${route.method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
    }
  });
});

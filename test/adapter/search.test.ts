/**
 * Search relevance (issue 14) against DynamoDB Local, through the use cases: the 52 cases of the
 * corpus registered, accepted and assigned by the registry (so the index is written by the same
 * transactions and refreshes as in production), then every query of the corpus must find exactly
 * its cases — no miss, no false hit — in the office's scope, and in each department's scope
 * exactly those of them assigned to that department. Also: the index of a case is written with
 * the case (a pending marker) and a refresh is idempotent; the scope is in the key.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbSearchIndex } from '../../shared/adapters/search-index';
import type { DocumentStorage } from '../../shared/app/ports';
import { Registry } from '../../shared/app/registry';
import { CaseSearch } from '../../shared/app/search';
import { officeCalendar } from '../../shared/domain/clocks';
import { officeDirectory, parseOfficeSettings } from '../../shared/domain/office';
import type { Actor } from '../../shared/domain/roles';
import { FakeClock } from '../../shared/domain/time';
import { searchKey } from '../../shared/storage/search-keys';
import { LOCAL_CREDENTIALS, ensureTable } from '../../local/emulators';
import { clerk, director } from '../unit/lifecycle/fixtures';
import { testDynamoDb, type TestDynamoDb } from '../support/dynamodb';
import { uniqueName } from '../support/names';
import { CORPUS, opinionOf, QUERIES, registrationOf } from '../support/search-corpus';
import { parseActionBody } from '../../shared/app/action-body';
import { RegistrationSchema } from '../../shared/domain/case';
import { parseInput } from '../../shared/domain/validation';

let ddb: TestDynamoDb;
let client: DynamoDBClient;
const tableName = uniqueName('xf-search');
const clock = new FakeClock('2026-06-01T02:00:00Z');
const settings = parseOfficeSettings(undefined);
const piiKey = 'search-test-pii-key';
let index: DynamoDbSearchIndex;
let repo: DynamoDbCaseRepository;
let registry: Registry;
let search: CaseSearch;
/** Corpus key → case number, and back. */
const caseNoOf = new Map<string, string>();
const keyOf = new Map<string, string>();

const storage: DocumentStorage = {
  presignUpload: () => Promise.reject(new Error('not in this test')),
  presignDownload: () => Promise.reject(new Error('not in this test')),
  inspect: () => Promise.resolve(null),
  quarantine: () => Promise.reject(new Error('not in this test')),
  copy: () => Promise.reject(new Error('not in this test')),
  remove: () => Promise.reject(new Error('not in this test')),
  list: () => Promise.reject(new Error('not in this test')),
  put: () => Promise.resolve(),
};

const department = (deptCode: string): Actor => ({
  userId: `u-${deptCode}`,
  username: `${deptCode.toLowerCase()}1`,
  displayName: deptCode,
  roles: ['department'],
  deptCode,
});

beforeAll(async () => {
  ddb = await testDynamoDb();
  client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'cn-north-1', credentials: LOCAL_CREDENTIALS });
  await ensureTable(client, tableName);
  const db = documentClient(client);
  index = new DynamoDbSearchIndex(db, tableName, {
    piiKey,
    office: officeDirectory(settings),
    onRefreshError: (no, err) => {
      throw new Error(`refresh of ${no} failed: ${String(err)}`);
    },
  });
  repo = new DynamoDbCaseRepository(db, tableName, undefined, index);
  registry = new Registry({ repo, storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey });
  search = new CaseSearch({ index, piiKey, settings, clock });
  for (const c of CORPUS) {
    const { case: view } = await registry.register(clerk, parseInput(RegistrationSchema, registrationOf(c)));
    caseNoOf.set(c.key, view.caseNo);
    keyOf.set(view.caseNo, c.key);
    if (!c.dept) continue;
    const accepted = await registry.act(director, view.caseNo, 'accept', {}, view.version);
    const assigned = await registry.act(director, view.caseNo, 'assign', { deptCode: c.dept }, accepted.version);
    if (c.answer) await registry.act(department(c.dept), view.caseNo, 'answer', parseActionBody('answer', opinionOf(c.answer)), assigned.version);
  }
}, 300_000);

afterAll(async () => {
  await client?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client?.destroy();
  await ddb?.release();
});

/** The query with `{key}` replaced by that case's number. */
const resolve = (q: string) => q.replace(/\{([a-z-]+)\}/g, (_, k: string) => caseNoOf.get(k) ?? k);

async function found(actor: Actor, q: string): Promise<{ keys: string[]; total: number }> {
  const keys: string[] = [];
  let cursor: string | undefined;
  let total = -1;
  do {
    const page = await search.search(actor, { q: resolve(q), limit: 7, cursor });
    total = page.total;
    keys.push(...page.items.map((i) => keyOf.get(i.caseNo) ?? i.caseNo));
    cursor = page.cursor;
  } while (cursor);
  return { keys, total };
}

describe('search relevance over the corpus', () => {
  it('has at least 50 cases and 30 queries', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
    expect(QUERIES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(QUERIES.map((q) => [q.q, q.why, q.expect] as const))('the office finds exactly its cases for %s (%s)', async (q, _why, expected) => {
    const { keys, total } = await found(clerk, q);
    expect([...keys].sort()).toEqual([...expected].sort());
    expect(total).toBe(expected.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('each department finds exactly the expected cases assigned to it, and counts only those', async () => {
    const departments = [...new Set(CORPUS.flatMap((c) => (c.dept ? [c.dept] : [])))];
    let checked = 0;
    for (const dept of departments) {
      for (const q of QUERIES) {
        const expected = q.expect.filter((k) => CORPUS.find((c) => c.key === k)?.dept === dept);
        const { keys, total } = await found(department(dept), q.q);
        expect({ dept, q: q.q, keys: [...keys].sort() }).toEqual({ dept, q: q.q, keys: [...expected].sort() });
        expect(total).toBe(expected.length);
        checked += expected.length;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('ranks a match in the names or the subject above one in the body, newer first on ties', async () => {
    // 石门镇: in the subject of road-zhang, land-comp-shimen, relocation-wei, yu-bus; only in the summary of fullwidth-fang (05-29) and fan-trad-letter (04-23).
    const { keys } = await found(clerk, '石门镇');
    expect(keys.slice(-2)).toEqual(['fullwidth-fang', 'fan-trad-letter']);
    expect(keys.slice(0, 4)).toEqual(['yu-bus', 'relocation-wei', 'road-zhang', 'land-comp-shimen']);
  });

  it('highlights the matched words in the fragment it shows', async () => {
    const page = await search.search(clerk, { q: '路面破损 石门镇', limit: 10 });
    expect(page.items.map((i) => keyOf.get(i.caseNo))).toEqual(['road-zhang']);
    const [subject] = page.items[0]?.highlights ?? [];
    expect(subject?.field).toBe('subject');
    const marked = subject?.ranges.map(([s, e]) => subject.text.slice(s, e));
    expect(marked).toEqual(['石门镇', '路面破损']);
  });

  it('shows traditional text as written and highlights it for a simplified query', async () => {
    const page = await search.search(clerk, { q: '征地补偿', limit: 10 });
    const trad = page.items.find((i) => keyOf.get(i.caseNo) === 'fan-trad-letter');
    const h = trad?.highlights.find((x) => x.field === 'subject');
    expect(h && h.ranges.map(([s, e]) => h.text.slice(s, e))).toEqual(['徵地補償']);
  });

  it('never shows a personal number in a fragment', async () => {
    const page = await search.search(clerk, { q: '13812345678', limit: 10 });
    expect(page.items.map((i) => keyOf.get(i.caseNo))).toEqual(['wage-zhang']);
    expect(JSON.stringify(page.items[0]?.highlights)).not.toContain('13812345678');
    const text = await search.search(clerk, { q: '木工', limit: 10 });
    const body = text.items[0]?.highlights.find((h) => h.field === 'fullText');
    expect(body?.text).toContain('木工');
    const withPhone = await search.search(clerk, { q: '联系电话', limit: 10 });
    expect(JSON.stringify(withPhone.items)).not.toContain('12345678');
  });

  it('combines the words with the list filters, and rejects a query with no word', async () => {
    const { items, total } = await search.search(clerk, { q: '石门镇', category: 'land', limit: 10 });
    expect(items.map((i) => keyOf.get(i.caseNo)).sort()).toEqual(['fan-trad-letter', 'land-comp-shimen', 'relocation-wei']);
    expect(total).toBe(3);
    await expect(search.search(clerk, { q: ' ，。 ', limit: 10 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('an admin has no case search; an archivist finds nothing that is not archived', async () => {
    await expect(search.search({ userId: 'a', username: 'admin1', displayName: 'admin', roles: ['admin'] }, { q: '张建华', limit: 10 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const archivist: Actor = { userId: 'ar', username: 'archivist1', displayName: '赵敏', roles: ['archivist'] };
    expect((await search.search(archivist, { q: '张建华', limit: 10 })).total).toBe(0);
  });
});

describe('the index is written with the case', () => {
  it('a write that changes the texts leaves a pending marker in its transaction; refresh applies it once, and again changes nothing', async () => {
    const db = documentClient(client);
    // A repository without the index: the case and its marker are written, the postings are not.
    const plain = new Registry({ repo: new DynamoDbCaseRepository(db, tableName), storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey });
    const { case: view } = await plain.register(
      clerk,
      parseInput(
        RegistrationSchema,
        registrationOf({ ...CORPUS[0]!, key: 'x', names: ['欧阳翠花'], subject: '反映鹿鸣山隧道渗水', summary: '鹿鸣山隧道多处渗水结冰。' }),
      ),
    );
    expect((await db.send(new GetCommand({ TableName: tableName, Key: searchKey.pending(view.caseNo) }))).Item).toBeDefined();
    expect((await search.search(clerk, { q: '鹿鸣山', limit: 10 })).total).toBe(0);
    expect(await index.drainPending()).toBeGreaterThanOrEqual(1);
    expect((await db.send(new GetCommand({ TableName: tableName, Key: searchKey.pending(view.caseNo) }))).Item).toBeUndefined();
    expect((await search.search(clerk, { q: '鹿鸣山 欧阳翠花', limit: 10 })).items.map((i) => i.caseNo)).toEqual([view.caseNo]);
    expect(await index.refresh(view.caseNo)).toBe(false);
    expect(await index.drainPending()).toBe(0);
  });

  it('refreshMany applies many pending cases at once (postings merged across cases), each found, and again changes nothing', async () => {
    const db = documentClient(client);
    const plain = new Registry({ repo: new DynamoDbCaseRepository(db, tableName), storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey });
    // Two cases sharing a place name (one postings item for both), each with a name of its own.
    const a = await plain.register(
      clerk,
      parseInput(
        RegistrationSchema,
        registrationOf({ ...CORPUS[0]!, key: 'm1', names: ['端木青松'], subject: '反映栖霞岭步道损毁', summary: '栖霞岭步道多处损毁。' }),
      ),
    );
    const b = await plain.register(
      clerk,
      parseInput(
        RegistrationSchema,
        registrationOf({ ...CORPUS[0]!, key: 'm2', names: ['上官紫薇'], subject: '反映栖霞岭垃圾清运不及时', summary: '栖霞岭垃圾堆积。' }),
      ),
    );
    // The scan text of a (what the OCR stored) is part of what refreshMany indexes, as refresh does.
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...searchKey.scanText(a.case.caseNo), entity: 'search-scan', caseNo: a.case.caseNo, text: '青龙潭水闸年久失修', readings: 1 },
      }),
    );
    expect((await search.search(clerk, { q: '栖霞岭', limit: 10 })).total).toBe(0);
    expect(await index.refreshMany([a.case.caseNo, b.case.caseNo])).toBe(2);
    expect((await search.search(clerk, { q: '青龙潭水闸', limit: 10 })).items.map((i) => i.caseNo)).toEqual([a.case.caseNo]);
    for (const v of [a, b]) expect((await db.send(new GetCommand({ TableName: tableName, Key: searchKey.pending(v.case.caseNo) }))).Item).toBeUndefined();
    expect((await search.search(clerk, { q: '栖霞岭', limit: 10 })).items.map((i) => i.caseNo).sort()).toEqual([a.case.caseNo, b.case.caseNo].sort());
    expect((await search.search(clerk, { q: '上官紫薇', limit: 10 })).items.map((i) => i.caseNo)).toEqual([b.case.caseNo]);
    expect(await index.refreshMany([a.case.caseNo, b.case.caseNo])).toBe(0);
  });

  it('the backfill indexes a case written before search existed, and a second run changes nothing', async () => {
    const db = documentClient(client);
    const plain = new Registry({ repo: new DynamoDbCaseRepository(db, tableName), storage, clock, settings, clocks: { calendar: officeCalendar }, piiKey });
    const { case: view } = await plain.register(
      clerk,
      parseInput(
        RegistrationSchema,
        registrationOf({ ...CORPUS[0]!, key: 'y', names: ['司马光明'], subject: '反映翠微湖景区门票涨价', summary: '翠微湖景区门票由40元涨到120元。' }),
      ),
    );
    // As if it predated search: no document, no marker.
    await db.send(new DeleteCommand({ TableName: tableName, Key: searchKey.document(view.caseNo) }));
    await db.send(new DeleteCommand({ TableName: tableName, Key: searchKey.pending(view.caseNo) }));
    expect((await search.search(clerk, { q: '翠微湖', limit: 10 })).total).toBe(0);
    const c = (await repo.getCase(view.caseNo))!;
    await index.reindexCase(c);
    await index.reindexCase(c);
    const page = await search.search(clerk, { q: '翠微湖 司马光明', limit: 10 });
    expect(page.items.map((i) => i.caseNo)).toEqual([view.caseNo]);
    expect(page.total).toBe(1);
    expect((await db.send(new GetCommand({ TableName: tableName, Key: searchKey.pending(view.caseNo) }))).Item).toBeUndefined();
  });

  it('reads grow with the candidates: a rare name reads a few items, whatever else the table holds', async () => {
    const cost = { items: 0, capacity: 0 };
    const page = await search.search(clerk, { q: '欧阳翠花', limit: 10 }, cost);
    expect(page.total).toBe(1);
    // Postings of 欧阳, 阳翠, 翠花 (one block each), one search document, one case item.
    expect(cost.items).toBeLessThanOrEqual(6);
    expect(cost.capacity).toBeGreaterThan(0);
  });
});

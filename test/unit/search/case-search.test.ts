/**
 * The search use case (shared/app/search.ts) over the in-memory search index
 * (test/support/fakes/search-index.ts): the relevance corpus, who finds and counts what, the
 * bound of the totals, the ranking; and the contract of the port (test/support/contracts/search-index.ts)
 * seen to fail against indexes broken on purpose, so that its passing means something.
 */
import { parseActionBody } from '../../../shared/app/action-body';
import { RegistrationSchema } from '../../../shared/domain/case';
import { parseInput } from '../../../shared/domain/validation';
import { describe, expect, it } from 'vitest';
import type { SearchIndex } from '../../../shared/app/search-ports';
import type { ScanTextIndex } from '../../../shared/app/ocr-ports';
import { SEARCH_TOTAL_BOUND } from '../../../shared/app/search';
import type { Case, RegistrationInput } from '../../../shared/domain/case';
import { DEFAULT_DEPARTMENTS } from '../../../shared/domain/office';
import type { Actor } from '../../../shared/domain/roles';
import { OFFICE_SCOPE } from '../../../shared/domain/search/document';
import { SEARCH_INDEX_CHECKS, type SearchIndexUnderTest } from '../../support/contracts/search-index';
import { event, newTestCase, uniquePrefix } from '../../support/contracts/builders';
import type { FakeSearchIndex } from '../../support/fakes';
import { fakePorts, TEST_PII_KEY, type FakePorts } from '../../support/fakes';
import { fakeApp } from '../../support/fakes/use-cases';
import { CORPUS, opinionOf, QUERIES, registrationOf } from '../../support/search-corpus';
import { archivist, clerk, director, hrss } from '../lifecycle/fixtures';

const department = (deptCode: string): Actor => ({
  userId: `u-${deptCode}`,
  username: `${deptCode.toLowerCase()}1`,
  displayName: deptCode,
  roles: ['department'],
  deptCode,
});

describe('the contract of the search port fails an index broken on purpose', () => {
  /** The fake with one method replaced. */
  const broken = (change: (real: FakeSearchIndex, ports: FakePorts) => Partial<SearchIndex & ScanTextIndex>) => (): SearchIndexUnderTest => {
    const ports = fakePorts();
    const real = ports.search;
    const index: SearchIndex & ScanTextIndex = {
      candidates: (s, t, c) => real.candidates(s, t, c),
      documents: (n, c) => real.documents(n, c),
      cases: (n, c) => real.cases(n, c),
      setScanText: (c, t, n) => real.setScanText(c, t, n),
      ...change(real, ports),
    };
    return { repo: ports.repo, index, piiKey: TEST_PII_KEY };
  };

  /** Any term instead of every term. */
  const anyTerm = broken((real) => ({
    candidates: async (scope, terms) =>
      [...new Set((await Promise.all(terms.map((t) => real.candidates(scope, [t])))).flat())].sort((a, b) => b.localeCompare(a)),
  }));
  const mutants: [string, () => SearchIndexUnderTest][] = [
    ['ignores the scope', broken((real) => ({ candidates: (_scope, terms) => real.candidates(OFFICE_SCOPE, terms) }))],
    ['answers any term instead of every term', anyTerm],
    ['answers oldest first', broken((real) => ({ candidates: async (scope, terms) => (await real.candidates(scope, terms)).reverse() }))],
    [
      'scopes a case to every department in its history, the accused one too',
      broken((real, ports) => ({
        candidates: async (scope, terms) => {
          const all = await real.candidates(OFFICE_SCOPE, terms);
          if (scope === OFFICE_SCOPE) return all;
          return all.filter((no) => ports.state.cases.get(no)?.departmentHistory.includes(scope.replace(/^dept:/, '')));
        },
      })),
    ],
    [
      'reads a document without the text of its scans',
      broken((real) => ({
        documents: async (nos) =>
          (await real.documents(nos)).map((d) => ({ ...d, fields: Object.fromEntries(Object.entries(d.fields).filter(([k]) => k !== 'scanText')) })),
      })),
    ],
    [
      'lets a text of fewer readings replace one of more',
      broken((real, ports) => ({ setScanText: async (c, t) => real.setScanText(c, t, (ports.state.scanTexts.get(c)?.readings ?? 0) + 1) })),
    ],
    ['reads the documents in its own order', broken((real) => ({ documents: async (nos) => (await real.documents(nos)).reverse() }))],
    ['gives the case items with their full text', broken((_real, ports) => ({ cases: async (nos) => nos.flatMap((no) => ports.state.cases.get(no) ?? []) }))],
    [
      'reads only the first field of a document (no adjacency across the rest)',
      broken((real) => ({
        documents: async (nos) => (await real.documents(nos)).map((d) => ({ ...d, fields: { subject: Object.values(d.fields).join('') } })),
      })),
    ],
  ];

  it.each(mutants)('an index that %s fails a check', async (_name, make) => {
    const results = await Promise.allSettled(SEARCH_INDEX_CHECKS.map((check) => check.run(make())));
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
  });

  it('while the fake itself passes every check', async () => {
    for (const check of SEARCH_INDEX_CHECKS) {
      const ports = fakePorts();
      await check.run({ repo: ports.repo, index: ports.search, piiKey: TEST_PII_KEY });
    }
  });
});

describe('the relevance corpus over the fake', () => {
  async function corpusApp() {
    const app = fakeApp({ now: '2026-06-01T02:00:00Z' });
    const caseNoOf = new Map<string, string>();
    const keyOf = new Map<string, string>();
    for (const c of CORPUS) {
      const { case: view } = await app.registry.register(clerk, parseInput(RegistrationSchema, registrationOf(c)));
      caseNoOf.set(c.key, view.caseNo);
      keyOf.set(view.caseNo, c.key);
      if (!c.dept) continue;
      const accepted = await app.registry.act(director, view.caseNo, 'accept', {}, view.version);
      const assigned = await app.registry.act(director, view.caseNo, 'assign', { deptCode: c.dept }, accepted.version);
      if (c.answer) await app.registry.act(department(c.dept), view.caseNo, 'answer', parseActionBody('answer', opinionOf(c.answer)), assigned.version);
    }
    const resolve = (q: string) => q.replace(/\{([a-z-]+)\}/g, (_, k: string) => caseNoOf.get(k) ?? k);
    const found = async (actor: Actor, q: string) => {
      const keys: string[] = [];
      let cursor: string | undefined;
      let total = -1;
      do {
        const page = await app.search.search(actor, { q: resolve(q), limit: 7, cursor });
        total = page.total;
        keys.push(...page.items.map((i) => keyOf.get(i.caseNo) ?? i.caseNo));
        cursor = page.cursor;
      } while (cursor);
      return { keys, total };
    };
    return { app, found, keyOf };
  }
  const corpus = corpusApp();

  it.each(QUERIES.map((q) => [q.q, q.why, q.expect] as const))('the office finds exactly its cases for %s (%s)', async (q, _why, expected) => {
    const { found } = await corpus;
    const { keys, total } = await found(clerk, q);
    expect([...keys].sort()).toEqual([...expected].sort());
    expect(total).toBe(expected.length);
  });

  it('each department finds and counts exactly the expected cases assigned to it, and highlights nothing of another', async () => {
    const { app, found, keyOf } = await corpus;
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
    // 石门镇 is in cases of several departments: what HOUSING is shown is its own case's text only.
    const page = await app.search.search(department('HOUSING'), { q: '石门镇', limit: 50 });
    const own = page.items.map((i) => keyOf.get(i.caseNo));
    expect(own.every((k) => CORPUS.find((c) => c.key === k)?.dept === 'HOUSING')).toBe(true);
    const others = CORPUS.filter((c) => c.dept !== 'HOUSING' && `${c.subject}${c.summary}`.includes('石门镇'));
    expect(others.length).toBeGreaterThan(0);
    const shown = JSON.stringify(page.items.map((i) => i.highlights));
    for (const c of others) expect(shown).not.toContain(c.subject);
  });

  it('an accused unit never finds the accusation, nor counts it', async () => {
    const { app, keyOf } = await corpus;
    const accusations = CORPUS.filter((c) => c.category === 'accusation' && c.accused?.length);
    expect(accusations.length).toBeGreaterThan(0);
    for (const c of accusations) {
      const accused = DEFAULT_DEPARTMENTS.filter((d) => c.accused?.some((name) => name.includes(d.name)));
      for (const d of accused) {
        const page = await app.search.search(department(d.code), { q: c.subject, limit: 10 });
        expect(page.items.map((i) => keyOf.get(i.caseNo))).not.toContain(c.key);
      }
    }
  });
});

describe('who searches what', () => {
  async function withCases(over: Partial<RegistrationInput>[], edit: (c: Case, i: number) => Case = (c) => c) {
    const app = fakeApp({ now: '2026-06-01T02:00:00Z' });
    const prefix = uniquePrefix();
    const cases: Case[] = [];
    for (const [i, o] of over.entries()) {
      cases.push(
        await app.ports.repo.createCase({
          case: edit(newTestCase(prefix, i + 1, o), i),
          caseNumber: { prefix, year: 2026, seq: i + 1 },
          event: event('case.registered'),
          documents: [],
        }),
      );
    }
    return { app, cases };
  }

  it('an archivist finds archived cases only, and counts only those; asking for another status finds nothing', async () => {
    const { app, cases } = await withCases([{ subject: '反映鹿鸣山隧道渗水' }, { subject: '鹿鸣山隧道照明不足' }, { subject: '鹿鸣山景区门票' }], (c, i) =>
      i === 1 ? c : { ...c, status: 'archived' },
    );
    const page = await app.search.search(archivist, { q: '鹿鸣山', limit: 10 });
    expect(page.items.map((i) => i.caseNo)).toEqual([cases[2]?.caseNo, cases[0]?.caseNo]);
    expect(page.total).toBe(2);
    expect((await app.search.search(archivist, { q: '鹿鸣山', status: 'registered', limit: 10 })).total).toBe(0);
    expect((await app.search.search(clerk, { q: '鹿鸣山', limit: 10 })).total).toBe(3);
  });

  it('a department asking for another department finds nothing; admin and a department without a code may not search', async () => {
    const { app } = await withCases([{ subject: '反映鹿鸣山隧道渗水' }], (c) => ({ ...c, departmentHistory: ['HRSS'], deptCode: 'HRSS' }));
    expect((await app.search.search(hrss, { q: '鹿鸣山', limit: 10 })).total).toBe(1);
    expect((await app.search.search(hrss, { q: '鹿鸣山', deptCode: 'ECO', limit: 10 })).total).toBe(0);
    await expect(app.search.search({ ...clerk, roles: ['admin'] }, { q: '鹿鸣山', limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(app.search.search({ ...hrss, deptCode: undefined }, { q: '鹿鸣山', limit: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(app.search.search(clerk, { q: '、。', limit: 10 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('totals and pages', () => {
  it(`counts exactly up to ${SEARCH_TOTAL_BOUND}, then "at least ${SEARCH_TOTAL_BOUND}"; the pages cover the ranked matches once each`, async () => {
    const app = fakeApp({ now: '2026-06-01T02:00:00Z' });
    const prefix = uniquePrefix();
    const add = async (seq: number) =>
      app.ports.repo.createCase({
        case: newTestCase(prefix, seq, { subject: `反映翠微湖景区问题${seq}` }),
        caseNumber: { prefix, year: 2026, seq },
        event: event('case.registered'),
        documents: [],
      });
    for (let seq = 1; seq <= SEARCH_TOTAL_BOUND; seq++) await add(seq);
    const exact = await app.search.search(clerk, { q: '翠微湖', limit: 10 });
    expect({ total: exact.total, totalExact: exact.totalExact }).toEqual({ total: SEARCH_TOTAL_BOUND, totalExact: true });

    await add(SEARCH_TOTAL_BOUND + 1);
    const bounded = await app.search.search(clerk, { q: '翠微湖', limit: 250 });
    expect({ total: bounded.total, totalExact: bounded.totalExact }).toEqual({ total: SEARCH_TOTAL_BOUND, totalExact: false });
    const seen: string[] = bounded.items.map((i) => i.caseNo);
    let cursor = bounded.cursor;
    while (cursor) {
      const page = await app.search.search(clerk, { q: '翠微湖', limit: 250, cursor });
      seen.push(...page.items.map((i) => i.caseNo));
      cursor = page.cursor;
    }
    expect(seen).toHaveLength(SEARCH_TOTAL_BOUND);
    expect(new Set(seen).size).toBe(SEARCH_TOTAL_BOUND);
    // Newest first among equals: the last case registered leads.
    expect(seen[0]).toBe(newTestCase(prefix, SEARCH_TOTAL_BOUND + 1).caseNo);
  });

  it('a filter counts only the cases that pass it', async () => {
    const app = fakeApp({ now: '2026-06-01T02:00:00Z' });
    const prefix = uniquePrefix();
    for (const [seq, category] of [
      [1, 'land'],
      [2, 'urban'],
      [3, 'land'],
    ] as const) {
      await app.ports.repo.createCase({
        case: newTestCase(prefix, seq, { subject: '反映栖霞岭问题', category }),
        caseNumber: { prefix, year: 2026, seq },
        event: event('case.registered'),
        documents: [],
      });
    }
    const page = await app.search.search(clerk, { q: '栖霞岭', category: 'land', limit: 10 });
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.category)).toEqual(['land', 'land']);
  });
});

describe('ranking', () => {
  it('names and subject above summary above the letter; newer receipt first on ties, then the newer case number; words add up', async () => {
    const app = fakeApp({ now: '2026-06-01T02:00:00Z' });
    const prefix = uniquePrefix();
    const specs: [string, Partial<RegistrationInput>][] = [
      ['body', { subject: '反映问题', fullText: '来信提到栖霞岭步道。', receivedOn: '2026-05-01' }],
      ['summary', { subject: '反映问题', summary: '栖霞岭步道损毁。', receivedOn: '2026-05-01' }],
      ['subject-old', { subject: '栖霞岭步道损毁', receivedOn: '2026-01-05' }],
      ['subject-new', { subject: '栖霞岭步道损毁', receivedOn: '2026-04-05' }],
      ['subject-same-day', { subject: '栖霞岭步道损毁', receivedOn: '2026-04-05' }],
      ['name', { petitioners: [{ name: '栖霞岭' }], subject: '反映问题', receivedOn: '2026-02-01' }],
      ['two-words', { subject: '栖霞岭步道损毁', summary: '垃圾清运不及时。', receivedOn: '2026-01-01' }],
    ];
    const keyOf = new Map<string, string>();
    for (const [i, [key, over]] of specs.entries()) {
      const c = await app.ports.repo.createCase({
        case: newTestCase(prefix, i + 1, over),
        caseNumber: { prefix, year: 2026, seq: i + 1 },
        event: event('case.registered'),
        documents: [],
      });
      keyOf.set(c.caseNo, key);
    }
    const order = async (q: string) => (await app.search.search(clerk, { q, limit: 20 })).items.map((i) => keyOf.get(i.caseNo));
    expect(await order('栖霞岭')).toEqual(['subject-same-day', 'subject-new', 'name', 'subject-old', 'two-words', 'summary', 'body']);
    // A second word lifts the case that holds it too.
    expect(await order('栖霞岭 清运')).toEqual(['two-words']);
  });
});

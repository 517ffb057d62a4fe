/**
 * The contract of the search port (shared/app/search-ports.ts, docs/search.md): what the search
 * use case relies on, run against the in-memory fake (test/unit/fakes/contracts.test.ts) and the
 * DynamoDB adapter with its repository (test/adapter/contracts.test.ts). Cases are written through
 * the CaseRepository beside the index, as the use cases write them, so the adapter's index is the
 * one its transactions and refreshes leave.
 *
 * The checks are also exported one by one (`SEARCH_INDEX_CHECKS`) so that a unit test can run them
 * against deliberately broken indexes and see each one fail (test/unit/search/search-fake.test.ts):
 * an index that ignores the scope, answers any term instead of every term, loses the order, or
 * scopes a case to the department it accuses does not pass.
 *
 * Every check writes its cases under a case-number prefix of its own and marks its texts with a
 * random Latin token, so the suites may share a table.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaseRepository } from '../../../shared/app/ports';
import { CaseSearch } from '../../../shared/app/search';
import type { SearchIndex } from '../../../shared/app/search-ports';
import type { ScanTextIndex } from '../../../shared/app/ocr-ports';
import type { Case, RegistrationInput } from '../../../shared/domain/case';
import { parseOfficeSettings } from '../../../shared/domain/office';
import type { HashKey } from '../../../shared/domain/pii';
import type { Actor } from '../../../shared/domain/roles';
import { departmentScope, OFFICE_SCOPE, searchDocument } from '../../../shared/domain/search/document';
import { parseQuery, piiTerm } from '../../../shared/domain/search/text';
import { FakeClock } from '../../../shared/domain/time';
import { clerk, director, hrss, opinion } from '../../unit/lifecycle/fixtures';
import { withoutParts } from '../fakes/case-repository';
import { event, newTestCase, next, uniquePrefix } from './builders';

export interface SearchIndexUnderTest {
  /** Writes the cases (the adapter: with the index, refreshed right after each write). */
  repo: CaseRepository;
  /** The search port, and the OCR's way in (the text of a case's scans, docs/ocr.md). */
  index: SearchIndex & ScanTextIndex;
  /** The key the index hashes personal numbers with. */
  piiKey: HashKey;
}

export interface SearchIndexCheck {
  name: string;
  run: (subject: SearchIndexUnderTest) => Promise<void>;
}

const settings = parseOfficeSettings(undefined);

/** A Latin token no other case holds (indexed whole). */
const token = () => `zq${randomUUID().replace(/-/g, '').slice(0, 10)}`;

const termsOf = (key: HashKey, q: string) => parseQuery(key, q).flatMap((w) => w.terms);

/** The cases of one check: numbered under a prefix of their own. */
function writer(repo: CaseRepository) {
  const prefix = uniquePrefix();
  let seq = 0;
  return {
    async create(over: Partial<RegistrationInput> = {}, edit: (c: Case) => Case = (c) => c): Promise<Case> {
      seq += 1;
      return repo.createCase({
        case: edit(newTestCase(prefix, seq, over)),
        caseNumber: { prefix, year: 2026, seq },
        event: event('case.registered'),
        documents: [],
      });
    },
    async assign(c: Case, deptCode: string): Promise<Case> {
      const accepted = await repo.saveTransition(c, next(c, 'accept', director, '2026-03-03'), event('case.accepted'));
      return repo.saveTransition(accepted, next(accepted, 'assign', director, '2026-03-03', { deptCode }), event('case.assigned'));
    },
  };
}

const only = (mine: Case[]) => {
  const nos = new Set(mine.map((c) => c.caseNo));
  return (found: string[]) => found.filter((no) => nos.has(no));
};

export const SEARCH_INDEX_CHECKS: SearchIndexCheck[] = [
  {
    name: "the text of a case's scans (OCR) is found and read with its document; a text of fewer readings never replaces one of more",
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const scanned = await w.create({ subject: '反映道路问题' });
      const other = await w.create({ subject: `${tok}其他` });
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, `${tok}扫描`))).toEqual([]);
      await index.setScanText(scanned.caseNo, `来信扫描件：${tok}扫描 青松村排水沟堵塞`, 1);
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, `${tok}扫描`))).toEqual([scanned.caseNo]);
      expect(only([scanned, other])(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, '青松村排水沟')))).toEqual([scanned.caseNo]);
      const [doc] = await index.documents([scanned.caseNo]);
      expect(doc?.fields).toMatchObject({ subject: '反映道路问题', scanText: `来信扫描件：${tok}扫描 青松村排水沟堵塞` });
      // Two readings stored, then a late job with one: the text of two stays.
      await index.setScanText(scanned.caseNo, `${tok}扫描 青松村排水沟堵塞\n\n第二份${tok}材料`, 2);
      await index.setScanText(scanned.caseNo, `${tok}扫描 青松村排水沟堵塞`, 1);
      expect((await index.documents([scanned.caseNo]))[0]?.fields.scanText).toBe(`${tok}扫描 青松村排水沟堵塞\n\n第二份${tok}材料`);
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, `第二份${tok}材料`))).toEqual([scanned.caseNo]);
      // A later write of the case keeps its scan text.
      const accepted = await repo.saveTransition(scanned, next(scanned, 'accept', director, '2026-03-03'), event('case.accepted'));
      expect((await index.documents([accepted.caseNo]))[0]?.fields.scanText).toContain('第二份');
      expect((await index.documents([other.caseNo]))[0]?.fields.scanText).toBeUndefined();
    },
  },
  {
    name: 'finds a case by the terms of each field that holds them (subject, summary, letter, accused unit), newest case number first',
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const a = await w.create({ subject: `反映${tok}石门镇路面破损` });
      const b = await w.create({ summary: `信访人反映${tok}小区积水内涝。` });
      const c = await w.create({ fullText: `来信称${tok}公司拖欠工资。` });
      const d = await w.create({ itemType: 'accusation', category: 'accusation', accusedUnits: [{ name: `${tok}建筑公司` }] });
      const e = await w.create({ subject: '反映其他问题' });
      const mine = only([a, b, c, d, e]);
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, tok))).toEqual([d, c, b, a].map((x) => x.caseNo));
      // Bigrams of a phrase, a lone character: the candidates hold them (other cases of the table may too).
      expect(mine(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, '石门镇路面破损')))).toEqual([a.caseNo]);
      expect(mine(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, '涝')))).toEqual([b.caseNo]);
      // A token typed in capitals or full width: the same term.
      expect(mine(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, tok.toUpperCase())))).toEqual([d, c, b, a].map((x) => x.caseNo));
    },
  },
  {
    name: 'a candidate holds every term: a case lacking one is not a candidate, and no term finds nothing',
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const both = await w.create({ subject: `${tok}鹿鸣山隧道渗水` });
      const one = await w.create({ subject: `${tok}隧道照明不足` });
      const mine = only([both, one]);
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, `${tok} 鹿鸣山`))).toEqual([both.caseNo]);
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, tok))).toEqual([one.caseNo, both.caseNo]);
      expect(mine(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, '隧道')))).toEqual([one.caseNo, both.caseNo]);
      expect(await index.candidates(OFFICE_SCOPE, [...termsOf(piiKey, tok), `${tok}x`])).toEqual([]);
      expect(await index.candidates(OFFICE_SCOPE, [])).toEqual([]);
    },
  },
  {
    name: "scopes: a department's holds the cases assigned to it and nothing else, never an accusation about itself; the office's holds all",
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const terms = termsOf(piiKey, tok);
      const toHrss = await w.assign(await w.create({ subject: `${tok}工资` }), 'HRSS');
      const unassigned = await w.create({ subject: `${tok}道路` });
      const accusation = await w.assign(
        await w.create({
          subject: `${tok}举报`,
          itemType: 'accusation',
          category: 'accusation',
          accusedUnits: [{ name: '住房和城乡建设局', deptCode: 'HOUSING' }],
        }),
        'JW',
      );
      // However it came to be there, an accused department in the history does not make the accusation its own.
      const history = await w.create(
        { subject: `${tok}举报二`, itemType: 'accusation', category: 'accusation', accusedUnits: [{ name: '住房和城乡建设局', deptCode: 'HOUSING' }] },
        (c) => ({ ...c, departmentHistory: ['HOUSING'] }),
      );
      expect(await index.candidates(OFFICE_SCOPE, terms)).toEqual([history, accusation, unassigned, toHrss].map((c) => c.caseNo));
      expect(await index.candidates(departmentScope('HRSS'), terms)).toEqual([toHrss.caseNo]);
      expect(await index.candidates(departmentScope('JW'), terms)).toEqual([accusation.caseNo]);
      expect(await index.candidates(departmentScope('HOUSING'), terms)).toEqual([]);
      expect(await index.candidates(departmentScope('ECO'), terms)).toEqual([]);
    },
  },
  {
    name: 'a text added by a later write (the answer) is found, in the office and the department; the document holds it',
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const assigned = await w.assign(await w.create({ subject: '请求解决欠薪' }), 'HRSS');
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, tok))).toEqual([]);
      const answered = await repo.saveTransition(
        assigned,
        next(assigned, 'answer', hrss, '2026-03-05', { ...opinion, facts: `经查${tok}属实。` }),
        event('case.answered'),
      );
      expect(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, tok))).toEqual([answered.caseNo]);
      expect(await index.candidates(departmentScope('HRSS'), termsOf(piiKey, tok))).toEqual([answered.caseNo]);
      const [doc] = await index.documents([answered.caseNo]);
      expect(doc?.fields.answer).toContain(tok);
    },
  },
  {
    name: 'personal numbers only by keyed hash: found whole with the key, never by the number in the clear or another key',
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const c = await w.create({ petitioners: [{ name: '姚明远', phone }] });
      const mine = only([c]);
      expect(mine(await index.candidates(OFFICE_SCOPE, [piiTerm(piiKey, phone, 'number')]))).toEqual([c.caseNo]);
      expect(mine(await index.candidates(OFFICE_SCOPE, termsOf(piiKey, phone)))).toEqual([c.caseNo]);
      expect(mine(await index.candidates(OFFICE_SCOPE, [phone]))).toEqual([]);
      expect(mine(await index.candidates(OFFICE_SCOPE, [piiTerm(`${piiKey}-other`, phone, 'number')]))).toEqual([]);
    },
  },
  {
    name: 'documents and case items in the order asked, a case without one left out; the document is the case as search reads it',
    async run({ repo, index }) {
      const w = writer(repo);
      const a = await w.create({ subject: '反映甲问题', fullText: '来信全文甲。' });
      const b = await w.create({ subject: '反映乙问题' });
      const missing = newTestCase(uniquePrefix(), 1).caseNo;
      const readA = (await repo.getCase(a.caseNo)) as Case;
      const readB = (await repo.getCase(b.caseNo)) as Case;
      expect(await index.documents([b.caseNo, missing, a.caseNo])).toEqual([searchDocument(readB), searchDocument(readA)]);
      expect(await index.documents([])).toEqual([]);
      const items = await index.cases([b.caseNo, missing, a.caseNo]);
      expect(items).toEqual([withoutParts(readB), withoutParts(readA)]);
      expect(await index.cases([])).toEqual([]);
    },
  },
  {
    name: 'through the use case: a phrase only where its characters are adjacent, traditional finds simplified, a department counts only its own',
    async run({ repo, index, piiKey }) {
      const w = writer(repo);
      const tok = token();
      const phrase = await w.assign(await w.create({ subject: `${tok}国道路面破损`, summary: '征地补偿款未到位。' }), 'HRSS');
      const apart = await w.create({ subject: `${tok}国道路面`, summary: '护栏破损多年。' });
      const search = new CaseSearch({ index, piiKey, settings, clock: new FakeClock('2026-06-01T02:00:00Z') });
      const found = async (actor: Actor, q: string) => {
        const page = await search.search(actor, { q, limit: 10 });
        return { nos: page.items.map((i) => i.caseNo), total: page.total };
      };
      expect(await found(clerk, `${tok} 路面破损`)).toEqual({ nos: [phrase.caseNo], total: 1 });
      // Two words anywhere: both; 破损 in the subject ranks above 破损 in the summary.
      expect(await found(clerk, `${tok} 路面 破损`)).toEqual({ nos: [phrase.caseNo, apart.caseNo], total: 2 });
      expect(await found(clerk, `${tok} 徵地補償`)).toEqual({ nos: [phrase.caseNo], total: 1 });
      expect(await found(hrss, tok)).toEqual({ nos: [phrase.caseNo], total: 1 });
      expect(await found({ ...hrss, deptCode: 'ECO' }, tok)).toEqual({ nos: [], total: 0 });
    },
  },
];

export function searchIndexContract(name: string, make: () => SearchIndexUnderTest) {
  describe(`SearchIndex contract: ${name}`, () => {
    for (const check of SEARCH_INDEX_CHECKS) it(check.name, () => check.run(make()));
  });
}

/**
 * The search port (shared/app/search-ports.ts) in memory, over the cases of a FakeState: what the
 * DynamoDB adapter (shared/adapters/search-index.ts) answers once a case's refresh has run — the
 * adapter refreshes right after every case write, so a case written is found by the next search.
 *
 * - `candidates`: the cases of the scope (searchScopes: the office's, and each department's that
 *   may read the case) whose index terms (documentTerms: characters, bigrams, Latin tokens, keyed
 *   hashes of personal numbers) hold every one of the terms, newest case number first. The adapter
 *   may answer more (postings are only added: a word removed from an edited text stays); the fake
 *   answers exactly the cases holding the terms now, which the contract allows.
 * - `documents` and `cases`: in the order given, a case without one left out; `cases` gives the
 *   case items as the lists read them (without the parts kept beside: full text, returns).
 *
 * The contract suite test/support/contracts/search-index.ts runs against this fake and the adapter.
 */
import type { SearchCost, SearchIndex } from '../../../shared/app/search-ports';
import type { ScanTextIndex } from '../../../shared/app/ocr-ports';
import type { OfficeDirectory } from '../../../shared/domain/accused';
import type { Case } from '../../../shared/domain/case';
import type { HashKey } from '../../../shared/domain/pii';
import { documentTerms, searchDocument, searchScopes, withScanText, type SearchDocument } from '../../../shared/domain/search/document';
import { withoutParts } from './case-repository';
import { clone, tick, type FakeState } from './state';

export interface FakeSearchIndexOptions {
  piiKey: HashKey;
  /** The office's departments and locality, read at each query (an admin may change them). */
  office: OfficeDirectory | (() => OfficeDirectory);
}

export class FakeSearchIndex implements SearchIndex, ScanTextIndex {
  constructor(
    private readonly state: FakeState,
    private readonly options: FakeSearchIndexOptions,
  ) {}

  private office(): OfficeDirectory {
    return typeof this.options.office === 'function' ? this.options.office() : this.options.office;
  }

  async candidates(scope: string, terms: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<string[]> {
    await tick();
    if (terms.length === 0) return [];
    const office = this.office();
    const out: string[] = [];
    for (const c of this.state.cases.values()) {
      if (!searchScopes(c, office).includes(scope)) continue;
      const held = documentTerms(this.options.piiKey, this.documentOf(c), c.petitioners);
      if (terms.every((t) => held.has(t))) out.push(c.caseNo);
    }
    cost.items += out.length;
    return out.sort((a, b) => b.localeCompare(a));
  }

  async documents(caseNos: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<SearchDocument[]> {
    await tick();
    const out = this.found(caseNos).map((c) => this.documentOf(c));
    cost.items += out.length;
    return out;
  }

  async cases(caseNos: readonly string[], cost: SearchCost = { items: 0, capacity: 0 }): Promise<Case[]> {
    await tick();
    const out = this.found(caseNos).map((c) => withoutParts(clone(c)));
    cost.items += out.length;
    return out;
  }

  /** The case's search document with the text of its scans, as the adapter joins them. */
  private documentOf(c: Case): SearchDocument {
    return withScanText(searchDocument(c), this.state.scanTexts.get(c.caseNo)?.text);
  }

  /** ScanTextIndex: the text kept unless one of more readings is there; the refresh is immediate here. */
  async setScanText(caseNo: string, text: string, readings: number): Promise<void> {
    await tick();
    const current = this.state.scanTexts.get(caseNo);
    if (current && current.readings > readings) return;
    this.state.scanTexts.set(caseNo, { text, readings });
  }

  private found(caseNos: readonly string[]): Case[] {
    return caseNos.flatMap((no) => this.state.cases.get(no) ?? []);
  }
}

/**
 * The search port (docs/search.md): what finding a case needs from the index. One implementation
 * runs the same locally and in AWS (shared/adapters/search-index.ts: postings in the DynamoDB
 * table); an OpenSearch adapter would be another file implementing this, the use case unchanged.
 */
import type { Case } from '../domain/case';
import type { SearchDocument } from '../domain/search/document';

/** What a search read, as DynamoDB reported it (items returned, read capacity units consumed). */
export interface SearchCost {
  items: number;
  capacity: number;
}

export interface SearchIndex {
  /**
   * The cases of the scope that hold every one of the terms, newest case number first: a superset
   * of the matches (the words themselves are checked on the documents).
   */
  candidates(scope: string, terms: readonly string[], cost?: SearchCost): Promise<string[]>;
  /** The search documents of these cases, in the order given (a case without one is left out). */
  documents(caseNos: readonly string[], cost?: SearchCost): Promise<SearchDocument[]>;
  /** The case items of these cases, in the order given (the list's rows, and the filters). */
  cases(caseNos: readonly string[], cost?: SearchCost): Promise<Case[]>;
}

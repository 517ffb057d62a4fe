/**
 * Keys of the search index's items in the single table (docs/search.md), beside keys.ts.
 *
 *   item               pk                              sk             what
 *   search document    CASE#<no>                       #SEARCH        the case's texts, field by field (written with the case)
 *   scan text          CASE#<no>                       #SEARCH#SCAN   the text of the case's scans (OCR, docs/ocr.md; written by the OCR, not with the case)
 *   applied            CASE#<no>                       #APPLIED#SEARCH what the last refresh posted: the hash of the terms, the scopes
 *   pending marker     SEARCHQ#<shard>                 <caseNo>       the case's index must be brought up to date (written with the case)
 *   postings block     S2#<scope>#<term>               <block>        `c`: the set of case numbers of the block holding the term, in the scope
 *
 * A block is the case number without its last three digits (`XF-2026-000`: cases 000000–000999 of
 * 2026), so one postings item holds at most 1,000 case numbers (about 16 KB) and a term's
 * partition lists its blocks newest last. `S2` is the version of the tokenizer (shared/domain/search/text.ts,
 * variants.ts): a change of what a text is indexed under starts a new prefix and a reindex (S1:
 * the partial traditional table; S2: OpenCC's).
 */
import { casePartition, dueShard } from './keys';

/** The version of what a text is indexed under (the tokenizer and its folding). */
export const POSTINGS_VERSION = 'S2';
const PENDING = 'SEARCHQ#';

export const searchKey = {
  document: (caseNo: string) => ({ pk: casePartition(caseNo), sk: '#SEARCH' }),
  scanText: (caseNo: string) => ({ pk: casePartition(caseNo), sk: '#SEARCH#SCAN' }),
  applied: (caseNo: string) => ({ pk: casePartition(caseNo), sk: '#APPLIED#SEARCH' }),
  pending: (caseNo: string) => ({ pk: `${PENDING}${dueShard(caseNo)}`, sk: caseNo }),
  postings: (scope: string, term: string, block: string) => ({ pk: postingsPartition(scope, term), sk: block }),
};

export function postingsPartition(scope: string, term: string): string {
  return `${POSTINGS_VERSION}#${scope}#${term}`;
}

/** The partition of the pending markers of a shard (the byDue shards). */
export const pendingPartition = (shard: number) => `${PENDING}${shard}`;

/** Case numbers per postings block. */
export const BLOCK_SIZE = 1000;

/** The block of a case number: the number without its last three digits. */
export function blockOf(caseNo: string): string {
  return caseNo.slice(0, -3);
}

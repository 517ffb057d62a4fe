/**
 * 案件查询 as GET /cases answers a page of it: with words (`q`) the search, else the list with its
 * filters (a petitioner's name, ID or phone number found by their keyed hashes). One place, so the
 * case-list export (functions/exports) reads exactly the pages the screen shows.
 */
import type { z } from 'zod';
import type { Actor } from '../../shared/domain/roles';
import type { CaseFilterFields } from '../../shared/http/schemas';
import type { Runtime } from './runtime';

export type CasesPageQuery = z.output<typeof CaseFilterFields> & { limit: number; cursor?: string | undefined };

export async function casesPage(rt: Pick<Runtime, 'registry' | 'search'>, actor: Actor, query: CasesPageQuery) {
  const { petitionerName, petitionerIdNumber, petitionerPhone, q: words, ...q } = query;
  // Words to find (a name, a phrase of the letter, a number): the search, with the same filters.
  if (words !== undefined) return rt.search.search(actor, { ...q, q: words });
  const petitioner =
    petitionerName || petitionerIdNumber || petitionerPhone ? { name: petitionerName, idNumber: petitionerIdNumber, phone: petitionerPhone } : undefined;
  return rt.registry.list(actor, { ...q, petitioner });
}

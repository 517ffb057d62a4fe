/**
 * Finding a case (`GET /cases?q=…`, docs/search.md): the words of the query, the candidates the
 * index holds for them in the caller's scope, each candidate checked on its search document (the
 * words as typed, adjacent), ranked, counted up to a bound, paged, and shown with the matched
 * fragments highlighted. A department searches its own cases only: its scope is part of the index
 * key, so nothing outside it is read, counted or highlighted. An archivist's search keeps archived
 * cases only (a filter on the case items, like the list's filters).
 */
import type { Case, CaseStatus } from '../domain/case';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { canRead } from '../domain/lifecycle';
import { officeDirectory, type OfficeSettings } from '../domain/office';
import type { HashKey } from '../domain/pii';
import { requireRole, type Actor } from '../domain/roles';
import { compareMatches, matchDocument, scopeOf, type Highlight, type Match } from '../domain/search/document';
import { parseQuery } from '../domain/search/text';
import { shanghaiDate, type Clock } from '../domain/time';
import type { SearchCost, SearchIndex } from './search-ports';
import { toCaseSummary, type CaseSummary } from './views';

/** Matches are counted exactly up to this many; beyond, the total is shown as "1,000+". */
export const SEARCH_TOTAL_BOUND = 1000;
/** Documents checked per read. */
const CHECK_BATCH = 100;

export interface SearchQuery {
  q: string;
  status?: CaseStatus;
  deptCode?: string;
  category?: string;
  receivedFrom?: string;
  receivedTo?: string;
  dueBefore?: string;
  limit: number;
  cursor?: string;
}

export type SearchHit = CaseSummary & { highlights: Highlight[] };

export interface SearchPage {
  items: SearchHit[];
  /** How many cases match, exactly when `totalExact`, else at least this many (the bound). */
  total: number;
  totalExact: boolean;
  cursor?: string;
}

export interface CaseSearchDeps {
  index: SearchIndex;
  piiKey: HashKey;
  settings: Pick<OfficeSettings, 'departments' | 'letters'>;
  clock: Clock;
}

export class CaseSearch {
  constructor(private readonly deps: CaseSearchDeps) {}

  async search(actor: Actor, query: SearchQuery, cost: SearchCost = { items: 0, capacity: 0 }): Promise<SearchPage> {
    requireRole(actor, 'clerk', 'director', 'department', 'archivist');
    const where = scopeOf(actor);
    if (where === null) throw new ForbiddenError('A department user needs a department code');
    const { scope } = where;
    const words = parseQuery(this.deps.piiKey, query.q);
    if (words.length === 0) throw ValidationError.field('q', 'give at least one word: a name, a place, a phrase of the letter, a number');
    const empty: SearchPage = { items: [], total: 0, totalExact: true };
    if (scope.startsWith('dept:') && query.deptCode && `dept:${query.deptCode}` !== scope) return empty;
    if (where.archivedOnly) {
      if (query.status && query.status !== 'archived') return empty;
      query = { ...query, status: 'archived' };
    }

    const candidates = await this.deps.index.candidates(
      scope,
      words.flatMap((w) => w.terms),
      cost,
    );
    // Check the candidates, newest first, until the bound is passed: exact up to it.
    const matches: Match[] = [];
    const filtered = hasFilters(query);
    const cases = new Map<string, Case>();
    for (let i = 0; i < candidates.length && matches.length <= SEARCH_TOTAL_BOUND; i += CHECK_BATCH) {
      const batch = candidates.slice(i, i + CHECK_BATCH);
      let found = (await this.deps.index.documents(batch, cost)).map((d) => matchDocument(d, words)).filter((m): m is Match => m !== null);
      if (filtered && found.length > 0) {
        for (const c of await this.deps.index.cases(
          found.map((m) => m.caseNo),
          cost,
        ))
          cases.set(c.caseNo, c);
        found = found.filter((m) => {
          const c = cases.get(m.caseNo);
          return c !== undefined && passes(c, query);
        });
      }
      matches.push(...found);
    }
    const totalExact = matches.length <= SEARCH_TOTAL_BOUND;
    const ranked = matches.sort(compareMatches).slice(0, SEARCH_TOTAL_BOUND);
    const offset = readOffset(query.cursor);
    const page = ranked.slice(offset, offset + query.limit);
    const missing = page.filter((m) => !cases.has(m.caseNo)).map((m) => m.caseNo);
    for (const c of await this.deps.index.cases(missing, cost)) cases.set(c.caseNo, c);
    const office = officeDirectory(this.deps.settings);
    const today = shanghaiDate(this.deps.clock.now());
    const items = page.flatMap((m) => {
      const c = cases.get(m.caseNo);
      // The scope holds only what the caller may read; checked again on the case itself.
      return c && canRead(actor, c, office) ? [{ ...toCaseSummary(c, today), highlights: m.highlights }] : [];
    });
    const end = offset + query.limit;
    return {
      items,
      total: ranked.length,
      totalExact,
      ...(end < ranked.length ? { cursor: Buffer.from(JSON.stringify({ o: end })).toString('base64url') } : {}),
    };
  }
}

function hasFilters(q: SearchQuery): boolean {
  return Boolean(q.status || q.deptCode || q.category || q.receivedFrom || q.receivedTo || q.dueBefore);
}

function passes(c: Case, q: SearchQuery): boolean {
  return (
    (!q.status || c.status === q.status) &&
    (!q.deptCode || c.departmentHistory.includes(q.deptCode)) &&
    (!q.category || c.category === q.category) &&
    (!q.receivedFrom || c.receivedOn >= q.receivedFrom) &&
    (!q.receivedTo || c.receivedOn <= q.receivedTo) &&
    (!q.dueBefore || (c.clocks.handling !== undefined && c.clocks.handling.status !== 'stopped' && c.clocks.handling.due <= q.dueBefore))
  );
}

/** The offset a page cursor carries (the middleware checked it is one this list handed out). */
function readOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.o <= SEARCH_TOTAL_BOUND ? parsed.o : 0;
  } catch {
    return 0;
  }
}

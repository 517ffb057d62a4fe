/**
 * What search knows of a case (docs/search.md): its search document — every text the registry
 * holds about it, field by field — the scopes it is found in, and how a query's words are checked,
 * ranked and highlighted against the document. Pure: the index itself is an adapter.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit';
import type { Case } from '../case';
import type { OfficeDirectory } from '../accused';
import { canRead } from '../lifecycle';
import type { HashKey } from '../pii';
import { hasRole, type Actor } from '../roles';
import { indexTerms, normalizeText, piiTerm, type SearchWord } from './text';

/** The fields search reads, in the order a result shows them; the weight ranks a match (names and subject above the body). */
export const SEARCH_FIELDS = {
  caseNo: { label: '案件编号', weight: 3 },
  petitioners: { label: '信访人', weight: 3 },
  subject: { label: '标题', weight: 3 },
  summary: { label: '内容摘要', weight: 2 },
  accusedUnits: { label: '被反映单位', weight: 2 },
  fullText: { label: '来信全文', weight: 1 },
  answer: { label: '承办单位答复', weight: 1 },
  reply: { label: '处理意见', weight: 1 },
  review: { label: '复查意见', weight: 1 },
  rereview: { label: '复核意见', weight: 1 },
  scanText: { label: '扫描件识别文本', weight: 1 },
} as const;
export type SearchField = keyof typeof SEARCH_FIELDS;
export const SEARCH_FIELD_NAMES = Object.keys(SEARCH_FIELDS) as SearchField[];

/**
 * The search document of a case: the texts, as the case holds them. The machine reading of its
 * scans (`scanText`, docs/ocr.md) is stored apart — the OCR writes it, not the case's writes — and
 * joined to it by `withScanText` wherever the index reads a case's texts.
 */
export interface SearchDocument {
  caseNo: string;
  receivedOn: string;
  fields: Partial<Record<SearchField, string>>;
}

type Opinion = { request: string; facts: string; decision: string; legalBasis: string; note?: string } | undefined;
const opinionText = (o: Opinion) => (o ? [o.request, o.facts, o.decision, o.legalBasis, o.note ?? ''].filter((t) => t !== '').join('\n') : '');

export function searchDocument(c: Case): SearchDocument {
  const fields: Partial<Record<SearchField, string>> = {
    caseNo: c.caseNo,
    petitioners: [...c.petitioners.map((p) => p.name), ...c.representatives].join('、'),
    subject: c.subject,
    summary: c.summary,
    accusedUnits: c.accusedUnits.map((u) => u.name).join('、'),
    fullText: c.fullText,
    answer: opinionText(c.answer),
    reply: opinionText(c.reply),
    review: c.review?.opinion?.summary ?? '',
    rereview: c.rereview?.opinion?.summary ?? '',
  };
  for (const name of SEARCH_FIELD_NAMES) if (fields[name] === '') delete fields[name];
  return { caseNo: c.caseNo, receivedOn: c.receivedOn, fields };
}

/** The case's search document with the text of its scans (docs/ocr.md); unchanged when there is none. */
export function withScanText(doc: SearchDocument, scanText: string | undefined): SearchDocument {
  if (scanText === undefined || scanText === '') return doc;
  return { ...doc, fields: { ...doc.fields, scanText } };
}

/** The search scope of everyone who may read the whole office's cases. */
export const OFFICE_SCOPE = 'office';
export const departmentScope = (deptCode: string) => `dept:${deptCode}`;

/**
 * The scopes a case is found in: the office's, and each department's it was ever assigned to that
 * may read it (never an accused one, Art. 30) — the rule of reading the case (lifecycle.ts
 * canRead), so a department's scope holds exactly the cases its users may open. The archive has
 * no scope of its own: an archivist searches the office's, and only archived cases are kept
 * (most of an office's older cases are archived, so little is read in vain; and archiving needs
 * no index write).
 */
export function searchScopes(c: Case, office: OfficeDirectory): string[] {
  const scopes = [OFFICE_SCOPE];
  for (const deptCode of c.departmentHistory) {
    const actor: Actor = { userId: `scope:${deptCode}`, username: deptCode, displayName: deptCode, roles: ['department'], deptCode };
    if (canRead(actor, c, office)) scopes.push(departmentScope(deptCode));
  }
  return scopes;
}

/**
 * Where a user searches (the roles in the order canRead weighs them), or null: no case search.
 * `archivedOnly`: only archived cases of the scope are kept (an archivist).
 */
export function scopeOf(actor: Actor): { scope: string; archivedOnly: boolean } | null {
  if (hasRole(actor, 'clerk', 'director')) return { scope: OFFICE_SCOPE, archivedOnly: false };
  if (hasRole(actor, 'department')) return actor.deptCode ? { scope: departmentScope(actor.deptCode), archivedOnly: false } : null;
  if (hasRole(actor, 'archivist')) return { scope: OFFICE_SCOPE, archivedOnly: true };
  return null;
}

/**
 * Everything the index of a case depends on, hashed: its texts, personal numbers, and what decides
 * its scopes. A write that changes it marks the case for indexing in its own transaction.
 */
export function searchStateHash(c: Case): string {
  const state = {
    doc: searchDocument(c),
    pii: c.petitioners.map((p) => [p.idNumber ?? '', p.phone ?? '']),
    departments: c.departmentHistory,
    accused: c.accusedUnits,
    itemType: c.itemType,
  };
  return createHash('sha256').update(canonicalJson(state)).digest('hex').slice(0, 32);
}

/** The index terms of a case: of every field's text, and its petitioners' ID and phone numbers (keyed hashes only). */
export function caseTerms(key: HashKey, c: Case): Set<string> {
  return documentTerms(key, searchDocument(c), c.petitioners);
}

/** The index terms of a search document and the personal numbers beside it. */
export function documentTerms(
  key: HashKey,
  doc: SearchDocument,
  petitioners: readonly { idNumber?: string | undefined; phone?: string | undefined }[] = [],
): Set<string> {
  const terms = new Set<string>();
  for (const text of Object.values(doc.fields)) indexTerms(key, text, terms);
  for (const p of petitioners) {
    if (p.idNumber) terms.add(piiTerm(key, p.idNumber, 'id'));
    if (p.phone) terms.add(piiTerm(key, p.phone, 'number'));
  }
  return terms;
}

/** A matched fragment of one field: the text shown (personal numbers masked) and the ranges to highlight in it. */
export interface Highlight {
  field: SearchField;
  label: string;
  text: string;
  /** [start, end) in `text`, UTF-16 units, ascending, not overlapping. */
  ranges: [number, number][];
  /** The fragment starts inside the field / ends before its end. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

export interface Match {
  caseNo: string;
  receivedOn: string;
  score: number;
  highlights: Highlight[];
}

/** Characters of context around the first match of a long field. */
const CONTEXT = 24;
const MAX_FRAGMENT = 80;
const MAX_HIGHLIGHTS = 3;

/**
 * Checks a document against the words (each must occur in some field, as typed after
 * normalisation; a personal number was matched whole by the index) and, when it matches, scores
 * and highlights it. null: no match (the index terms were there, not the words).
 */
export function matchDocument(doc: SearchDocument, words: SearchWord[]): Match | null {
  const normalized = new Map<SearchField, string>();
  for (const name of SEARCH_FIELD_NAMES) {
    const text = doc.fields[name];
    if (text !== undefined) normalized.set(name, normalizeText(text));
  }
  let score = 0;
  const ranges = new Map<SearchField, [number, number][]>();
  for (const word of words) {
    if (word.pii) {
      score += 2;
      continue;
    }
    let best = 0;
    for (const [name, text] of normalized) {
      let at = text.indexOf(word.normalized);
      if (at < 0) continue;
      best = Math.max(best, SEARCH_FIELDS[name].weight);
      const list = ranges.get(name) ?? [];
      while (at >= 0) {
        list.push([at, at + word.normalized.length]);
        at = text.indexOf(word.normalized, at + word.normalized.length);
      }
      ranges.set(name, list);
    }
    if (best === 0) return null;
    score += best;
  }
  const highlights = [...ranges]
    .sort(([a], [b]) => SEARCH_FIELDS[b].weight - SEARCH_FIELDS[a].weight || SEARCH_FIELD_NAMES.indexOf(a) - SEARCH_FIELD_NAMES.indexOf(b))
    .slice(0, MAX_HIGHLIGHTS)
    .map(([field, list]) => fragment(field, doc.fields[field] ?? '', merge(list)));
  return { caseNo: doc.caseNo, receivedOn: doc.receivedOn, score, highlights };
}

function merge(list: [number, number][]): [number, number][] {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function fragment(field: SearchField, text: string, ranges: [number, number][]): Highlight {
  const first = ranges[0] ?? [0, 0];
  const start = text.length <= MAX_FRAGMENT ? 0 : Math.max(0, first[0] - CONTEXT);
  const end = Math.min(text.length, start + MAX_FRAGMENT);
  const shown = ranges.filter(([s]) => s >= start && s < end).map(([s, e]): [number, number] => [s - start, Math.min(e, end) - start]);
  // Masked before it is cut: a number cut at the fragment's edge shows no more of its digits.
  return {
    field,
    label: SEARCH_FIELDS[field].label,
    text: maskNumbers(text).slice(start, end),
    ranges: shown,
    clippedStart: start > 0,
    clippedEnd: end < text.length,
  };
}

/** Long numbers (phones, ID numbers) in a fragment keep their length but not their middle digits. */
export function maskNumbers(text: string): string {
  return text.replace(/[0-9０-９]{7,}[xX]?/g, (n) => `${n.slice(0, 3)}${'*'.repeat(n.length - 7)}${n.slice(-4)}`);
}

/** Best score first, then the newer case (receipt, then case number). */
export function compareMatches(a: Match, b: Match): number {
  return b.score - a.score || b.receivedOn.localeCompare(a.receivedOn) || b.caseNo.localeCompare(a.caseNo);
}

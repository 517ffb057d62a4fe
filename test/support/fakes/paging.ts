/**
 * Pages of an ordered list, as a Query with Limit and ExclusiveStartKey gives them: ordered by a
 * sort key, a page of at most `limit`, and an opaque cursor (the last key given) while more
 * follow. Anything added before the cursor's position is not seen by the next page, as in
 * DynamoDB.
 */
import type { Page } from '../../../shared/app/ports';
import { clone } from './state';

export function encodeFakeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ fake: key })).toString('base64url');
}

export function decodeFakeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { fake?: unknown };
    return typeof parsed.fake === 'string' ? parsed.fake : undefined;
  } catch {
    return undefined;
  }
}

/** Binary order, as DynamoDB orders sort keys (not the locale's). */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function pageOf<T>(entries: { key: string; item: T }[], order: 'asc' | 'desc', limit: number, cursor?: string): Page<T> {
  const sorted = [...entries].sort((a, b) => (order === 'asc' ? byKey(a.key, b.key) : byKey(b.key, a.key)));
  const after = decodeFakeCursor(cursor);
  const rest = after === undefined ? sorted : sorted.filter((e) => (order === 'asc' ? e.key > after : e.key < after));
  const page = rest.slice(0, Math.max(0, limit));
  const last = page.at(-1);
  return { items: clone(page.map((e) => e.item)), cursor: rest.length > page.length && last ? encodeFakeCursor(last.key) : undefined };
}

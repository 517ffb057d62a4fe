/**
 * Page cursors as the API hands them out: the adapter's position (an opaque string, base64url
 * JSON of DynamoDB keys) sealed with an HMAC that binds it to the list route, the caller and the
 * query it continues. The middleware (functions/common/http.ts) opens the cursor of every list
 * request before the use case sees it and seals the cursor of every page it returns, so no route
 * has its own cursor code and no adapter ever decodes a position it did not write.
 *
 * A cursor from another user, another route, another query (other filters; `limit` may change),
 * bit-flipped, forged or of another shape is a 400 (`query.cursor`), never a 5xx and never a page.
 *
 * The key: CURSOR_KEY locally (made once in .data/, like PII_HASH_KEY), the CursorKey secret in
 * AWS. Rotating it only invalidates the cursors handed out before (a list starts again).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../domain/audit';
import { ValidationError } from '../domain/errors';

/** What a cursor is bound to. */
export interface CursorBinding {
  /** The list route's id (`listCases`, `inbox`, `archiveSearch`, …). */
  route: string;
  /** Who asked (the token's subject). */
  caller: string;
  /** The validated query of the request, without `cursor` and `limit`. */
  query: Record<string, unknown>;
}

const VERSION = 'c1';
const MAC_BYTES = 32;
const INFO = 'xinfang-registry/page-cursor/v1';
/** base64url: the adapters' positions and the MAC. */
const B64URL = /^[A-Za-z0-9_-]+$/;

export const BAD_CURSOR_REASON =
  'is not a cursor this list gave you for this query (changed, from another list, query or user); request the first page again without it';

export class CursorSigner {
  private readonly key: Buffer;

  constructor(secret: string | Uint8Array) {
    if (secret.length < 16) throw new Error('The cursor key must be at least 16 characters');
    // A key of its own, derived so that the configured value is never used directly as a MAC key.
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), INFO, 32));
  }

  /** The cursor to hand out for `position` (the adapter's cursor of the next page). */
  seal(position: string, binding: CursorBinding): string {
    if (!B64URL.test(position)) throw new Error('An adapter cursor must be base64url');
    return `${VERSION}.${position}.${this.mac(position, binding).toString('base64url')}`;
  }

  /** The adapter's position from a cursor this signer sealed for the same binding; a 400 otherwise. */
  open(cursor: string, binding: CursorBinding): string {
    const parts = cursor.split('.');
    const [version, position, mac] = parts;
    if (parts.length !== 3 || version !== VERSION || !position || !mac || !B64URL.test(position) || !B64URL.test(mac)) throw bad();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(position, binding);
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) throw bad();
    return position;
  }

  private mac(position: string, b: CursorBinding): Buffer {
    return createHmac('sha256', this.key)
      .update(canonicalJson({ v: VERSION, route: b.route, caller: b.caller, query: b.query, position }))
      .digest();
  }
}

/** The query a cursor binds: every validated parameter but the cursor itself and the page size. */
export function boundQuery(query: Record<string, unknown>): Record<string, unknown> {
  const { cursor: _cursor, limit: _limit, ...rest } = query;
  return rest;
}

function bad(): ValidationError {
  return new ValidationError([{ field: 'query.cursor', reason: BAD_CURSOR_REASON }], `query.cursor: ${BAD_CURSOR_REASON}`);
}

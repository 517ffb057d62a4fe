/**
 * Audit events (DESIGN §7): append-only and hash-chained per case. Each event carries the hash
 * of the one before it (`prevHash`) and its own `hash` over every other field, so changing,
 * deleting, inserting or reordering a stored event breaks the chain, and {@link verifyChain}
 * says where.
 *
 * The hash is a plain SHA-256, not a keyed one: it proves the events are consistent with each
 * other, not who wrote them. Someone able to rewrite the whole tail of a chain could recompute
 * it; to catch that, keep the latest `{ seq, hash }` somewhere else as well (on the case record,
 * in an archive manifest) and pass it to {@link verifyChain} as `head`. Without a head, deleting
 * the *last* event cannot be told from an event never written.
 *
 * `data` never holds raw ID or phone numbers: callers pass masked values (pii.ts), and
 * {@link chainEvent} refuses data that looks like a raw one.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from './errors';
import { findRawPii } from './pii';

// ---------------------------------------------------------------------------------------------
// Canonical JSON
// ---------------------------------------------------------------------------------------------

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * One JSON text per value, whatever the key order it was built with: object keys sorted (by
 * UTF-16 code units, as in RFC 8785), no whitespace, `undefined` object fields dropped (and
 * `undefined` array items written as `null`, as JSON.stringify does). Numbers and strings are
 * written by JSON.stringify, which is deterministic. Values JSON cannot carry faithfully — NaN,
 * ±Infinity, bigint, functions, symbols, Dates, Maps and other class instances, cycles — throw
 * a TypeError rather than hash as something they are not.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set<object>(), '$');
}

function write(value: unknown, ancestors: Set<object>, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: ${path} is a cycle`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown, i) => (item === undefined ? 'null' : write(item, ancestors, `${path}[${i}]`)));
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) throw new TypeError(`canonicalJson: ${path} is not a plain object`);
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${write(record[k], ancestors, `${path}.${k}`)}`);
    return `{${fields.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Who acted: a signed-in user (as taken from the verified token), the system (the deadline
 * sweep, the archive run, verify-upload …) or a member of the public (a petitioner using the
 * case number and query code). Unknown fields are dropped when parsed, so an `Actor` from
 * roles.ts (which also has `displayName`) can be passed as it is.
 */
export const AuditActorSchema = z.union([
  z.object({
    userId: z.string().min(1),
    username: z.string().min(1),
    roles: z.array(z.string().min(1)),
    deptCode: z.string().min(1).optional(),
  }),
  z.object({ system: z.string().min(1) }),
  z.object({ public: z.literal(true) }),
]);
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** `case.registered`, `case.accepted`, `document.downloaded`, `case.approve-proposal` … */
export const AUDIT_TYPE_PATTERN = /^[a-z][A-Za-z0-9_-]*(?:\.[a-z][A-Za-z0-9_-]*)*$/;

const AuditDataSchema = z.record(z.string(), z.json()).superRefine((data, ctx) => {
  for (const path of findRawPii(data)) {
    ctx.addIssue({ code: 'custom', message: `looks like a raw ID or phone number at ${path}; pass a masked value` });
  }
});

export const AuditEventSchema = z.object({
  caseNo: z.string().min(1).max(64),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  actor: AuditActorSchema,
  type: z.string().max(100).regex(AUDIT_TYPE_PATTERN),
  data: AuditDataSchema,
  prevHash: z.string().regex(HEX_SHA256),
  hash: z.string().regex(HEX_SHA256),
});

export interface AuditEvent {
  caseNo: string;
  /** 1-based position in the case's chain. */
  seq: number;
  /** ISO instant, UTC (`2026-03-02T01:02:03.000Z`). */
  at: string;
  actor: AuditActor;
  type: string;
  /** Masked values only. */
  data: JsonObject;
  /** `hash` of the event before; for seq 1 the case's {@link genesisHash}. */
  prevHash: string;
  /** SHA-256 hex of the canonical JSON of every other field. */
  hash: string;
}

// The schema and the interface describe one thing; this stops compiling if they drift apart.
type ParsedAuditEvent = z.infer<typeof AuditEventSchema>;
const _schemaMatchesInterface: [ParsedAuditEvent, AuditEvent] extends [AuditEvent, ParsedAuditEvent] ? true : never = true;

export type UnhashedAuditEvent = Omit<AuditEvent, 'hash'>;

/** What a caller supplies to append an event; seq and the hashes are derived. */
export interface AuditEventInput {
  caseNo: string;
  at: string;
  actor: AuditActor;
  type: string;
  data: Record<string, unknown>;
}

/** The `prevHash` of a case's first event: sha256 of `xf-audit-genesis:<caseNo>`. */
export function genesisHash(caseNo: string): string {
  return sha256Hex(`xf-audit-genesis:${caseNo}`);
}

/** SHA-256 hex of the canonical JSON of every field but `hash` (a `hash` given is ignored). */
export function hashEvent(event: UnhashedAuditEvent | AuditEvent): string {
  const { hash: _ignored, ...rest } = event as AuditEvent;
  return sha256Hex(canonicalJson(rest));
}

const InputSchema = AuditEventSchema.pick({ caseNo: true, at: true, actor: true, type: true, data: true });

/**
 * The next event of a chain: `prev` is the case's latest event (`null` for its first). The
 * input is validated (ValidationError on bad input, including raw ID or phone numbers in
 * `data`), and `data` is copied through canonical JSON, so the stored event is exactly what was
 * hashed and later changes to the caller's object cannot reach it.
 */
export function chainEvent(prev: { seq: number; hash: string } | null, input: AuditEventInput): AuditEvent {
  if (prev !== null && (!Number.isInteger(prev.seq) || prev.seq < 1 || !HEX_SHA256.test(prev.hash))) {
    throw ValidationError.field('prev', 'expected the previous event’s seq (≥ 1) and its SHA-256 hash');
  }
  let data: JsonObject;
  try {
    data = JSON.parse(canonicalJson(input.data)) as JsonObject;
  } catch (err) {
    throw new ValidationError([{ field: 'data', reason: err instanceof Error ? err.message : 'not JSON' }]);
  }
  const parsed = InputSchema.safeParse({ ...input, data });
  if (!parsed.success) {
    throw ValidationError.fromZod(parsed.error, { root: 'input', message: 'Invalid audit event' });
  }
  const unhashed: UnhashedAuditEvent = {
    caseNo: parsed.data.caseNo,
    seq: prev === null ? 1 : prev.seq + 1,
    at: parsed.data.at,
    actor: parsed.data.actor,
    type: parsed.data.type,
    data,
    prevHash: prev === null ? genesisHash(parsed.data.caseNo) : prev.hash,
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/**
 * - `wrong-case`: the event belongs to another case;
 * - `gap`: the event's seq is not the one expected (an event missing before it, a duplicate or
 *   an event out of order), or the chain ends before the `head` given;
 * - `prev-mismatch`: its `prevHash` is not the hash of the event before (an event inserted, or
 *   one before it rewritten with a recomputed hash);
 * - `hash-mismatch`: its content does not hash to its `hash` (the event itself was changed), or
 *   the event at `head.seq` is not the one recorded.
 */
export const CHAIN_BREAKS = ['hash-mismatch', 'prev-mismatch', 'gap', 'wrong-case'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export type ChainVerification =
  | { ok: true; count: number }
  /** `count`: events verified before the break; `brokenAt`: the seq where it breaks. */
  | { ok: false; count: number; brokenAt: number; reason: ChainBreak };

/**
 * Checks the events of one case, given in seq order from seq 1. Reports the first break.
 * With `head` (the latest `{ seq, hash }` kept elsewhere) it also checks that the chain reaches
 * that event and that it is unchanged; events after the head are allowed, since the chain is
 * append-only and a head may have been recorded earlier.
 */
export function verifyChain(caseNo: string, events: readonly AuditEvent[], opts: { head?: { seq: number; hash: string } } = {}): ChainVerification {
  const verifier = new ChainVerifier(caseNo, opts.head);
  verifier.add(events);
  return verifier.result();
}

/**
 * {@link verifyChain} for a chain read page by page, so a long trail is never held whole: `add`
 * each page in seq order from seq 1 (it answers false once the chain is broken: nothing more to
 * read), then `result`. An event that cannot be checked at all (a field missing, a value JSON
 * cannot hold) is a `hash-mismatch`: its content is not what was hashed.
 */
export class ChainVerifier {
  private prevHash: string;
  private count = 0;
  private broken: ChainVerification | undefined;
  /** The hash of the event at `head.seq`, as read. */
  private headHash: string | undefined;

  constructor(
    private readonly caseNo: string,
    private readonly head?: { seq: number; hash: string },
  ) {
    this.prevHash = genesisHash(caseNo);
  }

  add(events: readonly AuditEvent[]): boolean {
    for (const event of events) {
      if (this.broken) break;
      const reason = this.check(event);
      if (reason) {
        this.broken = { ok: false, count: this.count, brokenAt: this.count + 1, reason };
        break;
      }
      if (event.seq === this.head?.seq) this.headHash = event.hash;
      this.prevHash = event.hash;
      this.count += 1;
    }
    return this.broken === undefined;
  }

  result(): ChainVerification {
    if (this.broken) return this.broken;
    const { head, count } = this;
    if (head !== undefined) {
      if (count < head.seq) return { ok: false, count, brokenAt: count + 1, reason: 'gap' };
      if (this.headHash !== head.hash) return { ok: false, count, brokenAt: head.seq, reason: 'hash-mismatch' };
    }
    return { ok: true, count };
  }

  private check(event: AuditEvent): ChainBreak | undefined {
    try {
      if (event.caseNo !== this.caseNo) return 'wrong-case';
      if (event.seq !== this.count + 1) return 'gap';
      if (event.prevHash !== this.prevHash) return 'prev-mismatch';
      if (hashEvent(event) !== event.hash) return 'hash-mismatch';
      return undefined;
    } catch {
      return 'hash-mismatch';
    }
  }
}

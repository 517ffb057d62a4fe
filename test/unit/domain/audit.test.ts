import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AuditEventSchema,
  canonicalJson,
  chainEvent,
  genesisHash,
  hashEvent,
  verifyChain,
  type AuditEvent,
  type AuditEventInput,
} from '../../../shared/domain/audit';
import { ValidationError } from '../../../shared/domain/errors';

const CASE_NO = 'XF-2026-000123';
const clerk = { userId: 'u-clerk-1', username: 'wangfang', roles: ['clerk'] };
const department = { userId: 'u-dept-7', username: 'lijun', roles: ['department'], deptCode: 'D07' };

const INPUTS: AuditEventInput[] = [
  {
    caseNo: CASE_NO,
    at: '2026-03-02T01:00:00.000Z',
    actor: clerk,
    type: 'case.registered',
    data: { channel: 'letter', petitioner: { name: '张**', id: '110101********4514' } },
  },
  {
    caseNo: CASE_NO,
    at: '2026-03-03T02:00:00.000Z',
    actor: { userId: 'u-dir-1', username: 'zhaolei', roles: ['director'] },
    type: 'case.accepted',
    data: { notifyDue: '2026-03-17' },
  },
  { caseNo: CASE_NO, at: '2026-03-03T03:00:00.000Z', actor: clerk, type: 'case.assigned', data: { deptCode: 'D07', handlingDue: '2026-05-04' } },
  {
    caseNo: CASE_NO,
    at: '2026-03-04T08:30:00.000Z',
    actor: department,
    type: 'document.downloaded',
    data: { documentId: '01JNH8K3Z5Q9V7W2X4Y6A8B0CD', kind: 'letter' },
  },
  { caseNo: CASE_NO, at: '2026-03-05T00:00:00.000Z', actor: { system: 'deadline-sweep' }, type: 'clock.reminded', data: { clock: 'handling', daysLeft: 5 } },
];

function buildChain(inputs: AuditEventInput[] = INPUTS): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const input of inputs) events.push(chainEvent(events.at(-1) ?? null, input));
  return events;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describe('canonicalJson', () => {
  it('writes the same text whatever order the keys were added in', () => {
    // Prepare
    const a = { b: 1, a: { y: [3, { q: true, p: null }], x: 'x' } };
    const b = { a: { x: 'x', y: [3, { p: null, q: true }] }, b: 1 };
    // Act / Assess
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"x","y":[3,{"p":null,"q":true}]},"b":1}');
  });

  it('keeps the order of array items', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('drops undefined fields and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: '中文' })).toBe('{"b":[null,1],"c":"中文"}');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak' })).toBe('{"k\\"ey":"line\\nbreak"}');
  });

  it('refuses values JSON cannot hold faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(TypeError);
    expect(() => canonicalJson({ b: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('chainEvent', () => {
  it('starts a chain at seq 1 from the genesis hash of the case', () => {
    // Act
    const first = chainEvent(null, INPUTS[0]!);
    // Assess
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(sha256(`xf-audit-genesis:${CASE_NO}`));
    expect(first.prevHash).toBe(genesisHash(CASE_NO));
    expect(first.hash).toBe(hashEvent(first));
    expect(AuditEventSchema.safeParse(first).success).toBe(true);
  });

  it('links each event to the hash of the one before', () => {
    // Act
    const events = buildChain();
    // Assess
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
  });

  it('hashes every field but the hash, in canonical JSON', () => {
    // Prepare
    const event = chainEvent(null, INPUTS[0]!);
    const { hash, ...rest } = event;
    // Act / Assess
    expect(hash).toBe(sha256(canonicalJson(rest)));
  });

  it('copies the data, so changing the caller’s object afterwards does not change the event', () => {
    // Prepare
    const data: Record<string, unknown> = { note: 'original', dropped: undefined };
    // Act
    const event = chainEvent(null, { ...INPUTS[0]!, data });
    data.note = 'changed';
    // Assess
    expect(event.data).toEqual({ note: 'original' });
    expect(verifyChain(CASE_NO, [event])).toEqual({ ok: true, count: 1 });
  });

  it('keeps only the audit fields of an actor', () => {
    const event = chainEvent(null, { ...INPUTS[0]!, actor: { ...clerk, displayName: '王芳' } as AuditEventInput['actor'] });
    expect(event.actor).toEqual(clerk);
  });

  it('accepts system and public actors', () => {
    const sys = chainEvent(null, { ...INPUTS[0]!, actor: { system: 'archive-run' } });
    const pub = chainEvent(sys, { ...INPUTS[0]!, actor: { public: true }, type: 'case.rated', data: { rating: 'satisfied' } });
    expect(verifyChain(CASE_NO, [sys, pub])).toEqual({ ok: true, count: 2 });
  });

  it('refuses data with a raw ID or phone number', () => {
    expect(() => chainEvent(null, { ...INPUTS[0]!, data: { id: '110101199003074514' } })).toThrow(ValidationError);
    expect(() => chainEvent(null, { ...INPUTS[0]!, data: { contact: { phone: '13812345678' } } })).toThrow(ValidationError);
  });

  it('refuses a bad instant, type or actor', () => {
    expect(() => chainEvent(null, { ...INPUTS[0]!, at: '2026-03-02' })).toThrow(ValidationError);
    expect(() => chainEvent(null, { ...INPUTS[0]!, at: '2026-03-02T09:00:00+08:00' })).toThrow(ValidationError);
    expect(() => chainEvent(null, { ...INPUTS[0]!, type: 'Case Registered' })).toThrow(ValidationError);
    expect(() => chainEvent(null, { ...INPUTS[0]!, actor: { public: false } as unknown as AuditEventInput['actor'] })).toThrow(ValidationError);
    expect(() => chainEvent(null, { ...INPUTS[0]!, data: { when: new Date() } })).toThrow(ValidationError);
  });

  it('refuses a previous event without a valid seq and hash', () => {
    expect(() => chainEvent({ seq: 0, hash: genesisHash(CASE_NO) }, INPUTS[0]!)).toThrow(ValidationError);
    expect(() => chainEvent({ seq: 1, hash: 'not-a-hash' }, INPUTS[0]!)).toThrow(ValidationError);
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain and an empty one', () => {
    expect(verifyChain(CASE_NO, buildChain())).toEqual({ ok: true, count: 5 });
    expect(verifyChain(CASE_NO, [])).toEqual({ ok: true, count: 0 });
  });

  it('accepts a chain after a round trip through JSON, as it is stored', () => {
    const stored = JSON.parse(JSON.stringify(buildChain())) as AuditEvent[];
    expect(verifyChain(CASE_NO, stored)).toEqual({ ok: true, count: 5 });
  });

  it('reports a hash mismatch at the event whose data field was changed', () => {
    // Prepare
    const events = buildChain();
    events[2] = { ...events[2]!, data: { ...events[2]!.data, deptCode: 'D08' } };
    // Act
    const result = verifyChain(CASE_NO, events);
    // Assess
    expect(result).toEqual({ ok: false, count: 2, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it('reports a hash mismatch when a field is added to a stored event', () => {
    const events = buildChain();
    events[1] = { ...events[1]!, data: { ...events[1]!.data, extra: 'x' } };
    expect(verifyChain(CASE_NO, events)).toMatchObject({ ok: false, brokenAt: 2, reason: 'hash-mismatch' });
  });

  it('reports the next event when a changed event had its hash recomputed', () => {
    // Prepare
    const events = buildChain();
    const forged = { ...events[2]!, at: '2026-03-01T00:00:00.000Z' };
    events[2] = { ...forged, hash: hashEvent(forged) };
    // Act
    const result = verifyChain(CASE_NO, events);
    // Assess
    expect(result).toEqual({ ok: false, count: 3, brokenAt: 4, reason: 'prev-mismatch' });
  });

  it('reports a gap at 3 when event 3 of 5 is deleted', () => {
    // Prepare
    const events = buildChain();
    events.splice(2, 1);
    // Act
    const result = verifyChain(CASE_NO, events);
    // Assess
    expect(result).toEqual({ ok: false, count: 2, brokenAt: 3, reason: 'gap' });
  });

  it('detects two events swapped', () => {
    // Prepare
    const events = buildChain();
    [events[1], events[3]] = [events[3]!, events[1]!];
    // Act
    const result = verifyChain(CASE_NO, events);
    // Assess
    expect(result).toEqual({ ok: false, count: 1, brokenAt: 2, reason: 'gap' });
  });

  it('detects two events swapped with their seq numbers swapped back', () => {
    const events = buildChain();
    const [second, third] = [events[1]!, events[2]!];
    events[1] = { ...third, seq: 2 };
    events[2] = { ...second, seq: 3 };
    expect(verifyChain(CASE_NO, events)).toEqual({ ok: false, count: 1, brokenAt: 2, reason: 'prev-mismatch' });
  });

  it('detects an event inserted with a valid hash of its own', () => {
    // Prepare: a forger appends a well-formed event after event 2 and renumbers the rest.
    const events = buildChain();
    const inserted = chainEvent(events[1]!, { ...INPUTS[2]!, type: 'case.note', data: { text: 'added later' } });
    const tampered = [events[0]!, events[1]!, inserted, ...events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))];
    // Act
    const result = verifyChain(CASE_NO, tampered);
    // Assess
    expect(result).toEqual({ ok: false, count: 3, brokenAt: 4, reason: 'prev-mismatch' });
  });

  it('detects a duplicated event', () => {
    const events = buildChain();
    events.splice(2, 0, events[1]!);
    expect(verifyChain(CASE_NO, events)).toEqual({ ok: false, count: 2, brokenAt: 3, reason: 'gap' });
  });

  it('reports an event of another case', () => {
    // Prepare
    const other = buildChain(INPUTS.map((i) => ({ ...i, caseNo: 'XF-2026-000124' })));
    const events = buildChain();
    events[3] = other[3]!;
    // Act / Assess
    expect(verifyChain(CASE_NO, events)).toEqual({ ok: false, count: 3, brokenAt: 4, reason: 'wrong-case' });
  });

  it('rejects a whole chain copied from another case under this case number', () => {
    const other = buildChain(INPUTS.map((i) => ({ ...i, caseNo: 'XF-2026-000124' })));
    const relabelled = other.map((e) => ({ ...e, caseNo: CASE_NO }));
    expect(verifyChain(CASE_NO, relabelled)).toEqual({ ok: false, count: 0, brokenAt: 1, reason: 'prev-mismatch' });
  });

  it('detects a deleted last event when the head is known', () => {
    // Prepare
    const events = buildChain();
    const head = { seq: events[4]!.seq, hash: events[4]!.hash };
    // Act
    const withoutHead = verifyChain(CASE_NO, events.slice(0, 4));
    const anchored = verifyChain(CASE_NO, events.slice(0, 4), { head });
    // Assess
    expect(withoutHead).toEqual({ ok: true, count: 4 });
    expect(anchored).toEqual({ ok: false, count: 4, brokenAt: 5, reason: 'gap' });
  });

  it('detects a rewritten chain that no longer reaches the recorded head', () => {
    // Prepare: every event from 3 on rewritten and re-hashed, consistent among themselves.
    const events = buildChain();
    const head = { seq: 4, hash: events[3]!.hash };
    const rewritten = buildChain([INPUTS[0]!, INPUTS[1]!, { ...INPUTS[2]!, data: { deptCode: 'D99' } }, INPUTS[3]!, INPUTS[4]!]);
    // Act / Assess
    expect(verifyChain(CASE_NO, rewritten)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(CASE_NO, rewritten, { head })).toEqual({ ok: false, count: 5, brokenAt: 4, reason: 'hash-mismatch' });
  });

  it('accepts events appended after a recorded head', () => {
    const events = buildChain();
    expect(verifyChain(CASE_NO, events, { head: { seq: 3, hash: events[2]!.hash } })).toEqual({ ok: true, count: 5 });
  });
});

/**
 * The turns of a process at the numbers of a gapless series (shared/app/number-turns.ts): the
 * numbers in flight are handed out one after another without reading the counter again, each
 * transaction waits for those before it, and a number given up makes the next one read the
 * counter again once what is in flight has settled.
 */
import { describe, expect, it } from 'vitest';
import { NumberTurns, documentNumbers } from '../../../shared/app/number-turns';

/** A counter as the table keeps it, and how often it was read. */
function counter(start = 0) {
  const c = { last: start, reads: 0, read: () => Promise.resolve(((c.reads += 1), c.last)) };
  return c;
}

describe('number turns', () => {
  it('hand out consecutive numbers while they are in flight, reading the counter once', async () => {
    const turns = new NumberTurns();
    const table = counter(41);
    const seqs = await Promise.all(Array.from({ length: 5 }, () => turns.take('A', table.read)));
    expect(seqs).toEqual([42, 43, 44, 45, 46]);
    expect(table.reads).toBe(1);
  });

  it('let a transaction go only after those of the numbers before it have settled', async () => {
    const turns = new NumberTurns();
    const table = counter();
    const [one, two] = [await turns.take('A', table.read), await turns.take('A', table.read)];
    const order: string[] = [];
    const second = turns.turn([{ series: 'A', seq: two }]).then(() => order.push('two may go'));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    order.push('one committed');
    turns.settle([{ series: 'A', seq: one }], true);
    await second;
    expect(order).toEqual(['one committed', 'two may go']);
    // Another series, or a number not handed out here, waits for nothing.
    await turns.turn([{ series: 'B', seq: 7 }]);
  });

  it('read the counter again once a number was given up and what was in flight has settled', async () => {
    const turns = new NumberTurns();
    const table = counter(10);
    const a = await turns.take('A', table.read); // 11: will commit
    const b = await turns.take('A', table.read); // 12: given up (a 400 after numbering)
    const c = await turns.take('A', table.read); // 13: cannot commit now
    turns.settle([{ series: 'A', seq: a }], true);
    table.last = 11;
    turns.settle([{ series: 'A', seq: b }], false);
    const next = turns.take('A', table.read);
    let taken = false;
    void next.then(() => (taken = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(taken).toBe(false); // 13 is still in flight
    turns.settle([{ series: 'A', seq: c }], false); // its transaction was cancelled
    expect(await next).toBe(12);
    expect(table.reads).toBe(2);
    // Idempotent: settling again changes nothing.
    turns.settle([{ series: 'A', seq: c }], true);
    expect(await turns.take('A', table.read)).toBe(13);
  });

  it('read the counter for the first number after every number has settled', async () => {
    const turns = new NumberTurns();
    const table = counter(3);
    const a = await turns.take('A', table.read);
    turns.settle([{ series: 'A', seq: a }], true);
    table.last = 9; // another process numbered meanwhile
    expect(await turns.take('A', table.read)).toBe(10);
    expect(table.reads).toBe(2);
  });

  it('do not wait forever for a holder that never settles', async () => {
    const turns = new NumberTurns(30);
    const table = counter();
    await turns.take('A', table.read);
    const two = await turns.take('A', table.read);
    const started = Date.now();
    await turns.turn([{ series: 'A', seq: two }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('name the numbers documents carry', () => {
    expect(documentNumbers([{ numbering: { series: 'S', seq: 2 } }, {}, { numbering: { series: 'T', seq: 1 } }])).toEqual([
      { series: 'S', seq: 2 },
      { series: 'T', seq: 1 },
    ]);
  });
});

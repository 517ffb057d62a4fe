/**
 * The turns of this process at the numbers of a gapless series (case numbers, 文号; issue 18
 * item 8). A number is taken by the transaction that stores what carries it, conditional on the
 * series' counter still being at the number before (docs/architecture.md, docs/letters.md). Two
 * registrations of one process that read the counter at once would both print the same number,
 * and the loser would render, store and write everything again (on a busy demo more than one
 * registration in two). So, within a process, the numbers of a series still in flight are handed
 * out one after another — the next number after the last one handed out, without reading the
 * counter again — and each transaction waits for the transactions of the numbers before it to
 * commit or give up before it is sent: they commit in order, and none is numbered twice.
 *
 * Nothing here decides what is taken: the condition in the transaction still does. A number
 * another process took first, a holder that gave up (a 400 after the number was handed out, a lost
 * race, a crash), a turn that waited longer than {@link TURN_WAIT_MS}: the transaction is
 * cancelled as before (NumberTakenError), the caller numbers again, and the series is read from
 * the table again once the numbers still in flight have settled.
 */

/** The longest a transaction waits for the numbers before it (then it is sent anyway). */
export const TURN_WAIT_MS = 5_000;

/** A number of a series, as a letter's record or a registration carries it. */
export interface SeriesNumber {
  series: string;
  seq: number;
}

interface Series {
  /** The last number handed out (or read from the table). */
  last: number;
  /** The numbers handed out whose transaction has not settled, with what settles them. */
  inFlight: Map<number, { settled: Promise<void>; settle: () => void }>;
  /** A holder gave up: the numbers after it cannot commit, so the next one reads the table. */
  stale: boolean;
  /** take() of this series, one after another. */
  queue: Promise<unknown>;
}

const timeout = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });

export class NumberTurns {
  private readonly series = new Map<string, Series>();

  constructor(private readonly waitMs = TURN_WAIT_MS) {}

  private state(name: string): Series {
    let s = this.series.get(name);
    if (!s) {
      s = { last: 0, inFlight: new Map(), stale: true, queue: Promise.resolve() };
      this.series.set(name, s);
    }
    return s;
  }

  /**
   * The number to try for `series`: the one after the last handed out while numbers of it are
   * in flight, else the one after the last taken (`readLast`, the counter in the table). The
   * holder must `settle` it once its transaction has committed or will not.
   */
  take(series: string, readLast: () => Promise<number>): Promise<number> {
    const s = this.state(series);
    const next = s.queue.then(async () => {
      if (s.stale || s.inFlight.size === 0) {
        // What is still in flight after a holder gave up cannot commit: let it settle first.
        if (s.inFlight.size > 0) await Promise.race([Promise.all([...s.inFlight.values()].map((f) => f.settled)), timeout(this.waitMs)]);
        s.last = await readLast();
        s.stale = false;
      }
      const seq = s.last + 1;
      s.last = seq;
      let settle = () => undefined as void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      s.inFlight.set(seq, { settled, settle });
      return seq;
    });
    s.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Resolves when every number handed out before these, in their series, has settled — or after
   * {@link TURN_WAIT_MS}. Numbers not handed out here resolve at once.
   */
  async turn(numbers: readonly SeriesNumber[]): Promise<void> {
    const before = numbers.flatMap(({ series, seq }) =>
      [...(this.series.get(series)?.inFlight ?? new Map<number, { settled: Promise<void> }>())].filter(([n]) => n < seq).map(([, f]) => f.settled),
    );
    if (before.length > 0) await Promise.race([Promise.all(before), timeout(this.waitMs)]);
  }

  /** The transaction holding these numbers committed (`true`), or will not. Idempotent. */
  settle(numbers: readonly SeriesNumber[], committed: boolean): void {
    for (const { series, seq } of numbers) {
      const s = this.series.get(series);
      const f = s?.inFlight.get(seq);
      if (!s || !f) continue;
      s.inFlight.delete(seq);
      if (!committed) s.stale = true;
      f.settle();
    }
  }
}

const byStore = new WeakMap<object, NumberTurns>();

/**
 * The turns of this process at the series kept by `store` (the repository whose counters the
 * transactions move): the registry, the letter issuers and the sweep built on it share them.
 */
export function numberTurnsOf(store: object): NumberTurns {
  let turns = byStore.get(store);
  if (!turns) {
    turns = new NumberTurns();
    byStore.set(store, turns);
  }
  return turns;
}

/** The numbers the documents of a transaction take (their `numbering`). */
export function documentNumbers(documents: readonly { numbering?: SeriesNumber }[]): SeriesNumber[] {
  return documents.flatMap((d) => (d.numbering ? [d.numbering] : []));
}

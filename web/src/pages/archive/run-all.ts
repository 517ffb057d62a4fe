/**
 * 全部归档 to the end: one POST /archive/run answers within the API's time limit (about 20 s of
 * work, some 30 cases) and says `more` when eligible cases are left, so the page asks again until
 * none is left, reporting progress after each round. A round that archives nothing while `more`
 * persists (every case left fails or waits) ends the loop instead of asking forever.
 */
export interface RoundReport<O extends { caseNo: string; outcome: string }, D> {
  startedAt: string;
  finishedAt: string;
  cases: O[];
  disposals: D[];
  more: boolean;
}

/** Rounds in a row with no case archived before giving up (the rest is left for the daily run). */
export const STALLED_ROUNDS = 2;

export async function archiveAll<O extends { caseNo: string; outcome: string }, D>(
  round: () => Promise<RoundReport<O, D>>,
  onProgress: (archived: number, report: RoundReport<O, D>) => void,
): Promise<RoundReport<O, D>> {
  const outcomes = new Map<string, O>();
  const disposals: D[] = [];
  let startedAt: string | undefined;
  let stalled = 0;
  let last: RoundReport<O, D>;
  const archived = (): number => [...outcomes.values()].filter((o) => o.outcome === 'archived').length;
  for (;;) {
    const before = archived();
    last = await round();
    startedAt ??= last.startedAt;
    // A case deferred in one round and archived in the next is reported once, with its last outcome.
    for (const o of last.cases) outcomes.set(o.caseNo, o);
    disposals.push(...last.disposals);
    const merged = { startedAt, finishedAt: last.finishedAt, cases: [...outcomes.values()], disposals, more: last.more };
    onProgress(archived(), merged);
    if (!last.more) return merged;
    stalled = archived() > before ? 0 : stalled + 1;
    if (stalled >= STALLED_ROUNDS) return merged;
  }
}

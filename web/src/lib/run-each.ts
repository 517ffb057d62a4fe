/**
 * Runs one request per item, one after another, reporting progress after each and carrying on
 * past a failure: the bulk approval of 待审批 (each case its own POST with its own If-Match, so
 * letter numbering and the audit trail are those of a single approval). `archiveAll`
 * (pages/archive/run-all.ts) is the other loop of the application: rounds of one request that
 * each does many cases on the server.
 */
export type EachResult<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown };

export async function runEach<T, R>(
  items: readonly T[],
  run: (item: T) => Promise<R>,
  onProgress: (done: number, results: readonly EachResult<T, R>[]) => void = () => undefined,
): Promise<EachResult<T, R>[]> {
  const results: EachResult<T, R>[] = [];
  for (const item of items) {
    try {
      results.push({ item, ok: true, value: await run(item) });
    } catch (error) {
      results.push({ item, ok: false, error });
    }
    onProgress(results.length, [...results]);
  }
  return results;
}

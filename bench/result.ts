/** What a benchmark module returns: figures written to bench/results.json as { name, value, unit }. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

export type BenchModule = { run: () => Promise<BenchResult[]> };

/**
 * The OCR engine of this process, built on the first job (its models take seconds and hundreds of
 * MB to load, so `npm start` and a cold start that has no job never load them). The local stack
 * and the end-to-end tests may swap in another engine (`useOcrEngine`), as they swap the clock;
 * nothing reachable over HTTP can.
 */
import type { OcrEngine } from '../../shared/app/ocr-ports';

type EngineFactory = () => Promise<OcrEngine>;

let factory: EngineFactory | undefined;
let engine: Promise<OcrEngine> | undefined;

/** Replaces the engine of this process (the local stack's option, the tests); undefined: the default again. */
export function useOcrEngine(next: EngineFactory | undefined): void {
  factory = next;
  engine = undefined;
}

/** The engine, built once (a failed build is not kept: the next job tries again). */
export function ocrEngine(): Promise<OcrEngine> {
  engine ??= (factory ?? defaultEngine)().catch((err: unknown) => {
    engine = undefined;
    throw err;
  });
  return engine;
}

async function defaultEngine(): Promise<OcrEngine> {
  // The PP-OCRv4 engine (shared/adapters/ocr/engine.ts) is merged from its own branch; until then
  // a job fails (and is retried, then marked failed) unless an engine was given.
  throw new Error('No OCR engine is built into this version (useOcrEngine gives one)');
}

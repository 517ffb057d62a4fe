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

/**
 * The PP-OCRv4 engine (shared/adapters/ocr/engine.ts), imported on first use: onnxruntime-node
 * and the PDF renderer load with the first job (the local stack imports this module at start),
 * the models with the first page read.
 */
async function defaultEngine(): Promise<OcrEngine> {
  const { createOcrEngine } = await import('../../shared/adapters/ocr/engine');
  return createOcrEngine();
}

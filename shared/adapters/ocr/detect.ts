/**
 * Text detection on one page (PP-OCRv4 det, a DB model): the page is scaled so its long side is
 * at most `limitSide` (each side a multiple of 32), normalised as the model was trained (BGR,
 * ImageNet mean and deviation), and the model's probability map turned into rotated boxes in
 * page coordinates (db-postprocess.ts).
 */
import { createCanvas } from '@napi-rs/canvas';
import * as ort from 'onnxruntime-node';
import { boxesFromMap, type DbOptions, type TextBox } from './db-postprocess';
import type { RasterPage } from './pages';

const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/** The detection input size for a page: long side within `limitSide`, both sides multiples of 32. */
export function detectionSize(width: number, height: number, limitSide: number): { width: number; height: number } {
  const ratio = Math.min(1, limitSide / Math.max(width, height));
  const round32 = (v: number): number => Math.max(32, Math.round((v * ratio) / 32) * 32);
  return { width: round32(width), height: round32(height) };
}

export interface Detection {
  boxes: TextBox[];
  /** Share of the page's pixels that are dark (ink), to tell a blank page from a picture. */
  inkShare: number;
}

export async function detect(session: ort.InferenceSession, page: RasterPage, limitSide: number, db: DbOptions): Promise<Detection> {
  const size = detectionSize(page.width, page.height, limitSide);
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(page.canvas, 0, 0, size.width, size.height);
  const rgba = ctx.getImageData(0, 0, size.width, size.height).data;
  const plane = size.width * size.height;
  const input = new Float32Array(3 * plane);
  let ink = 0;
  for (let i = 0; i < plane; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    input[i] = (b / 255 - MEAN[0]) / STD[0];
    input[plane + i] = (g / 255 - MEAN[1]) / STD[1];
    input[2 * plane + i] = (r / 255 - MEAN[2]) / STD[2];
    if (0.299 * r + 0.587 * g + 0.114 * b < 128) ink++;
  }
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, size.height, size.width]) };
  const output = await session.run(feeds);
  const map = output[session.outputNames[0]!]!;
  const dims = map.dims;
  const mapHeight = Number(dims[dims.length - 2]);
  const mapWidth = Number(dims[dims.length - 1]);
  const boxes = boxesFromMap(map.data as Float32Array, mapWidth, mapHeight, db);
  map.dispose();
  // From map coordinates to page coordinates (the two scales differ slightly by the rounding to 32).
  const sx = page.width / mapWidth;
  const sy = page.height / mapHeight;
  const scaled = boxes.map((box) => {
    const cos = Math.cos(box.angle);
    const sin = Math.sin(box.angle);
    return {
      cx: box.cx * sx,
      cy: box.cy * sy,
      width: box.width * Math.hypot(cos * sx, sin * sy),
      height: box.height * Math.hypot(sin * sx, cos * sy),
      angle: Math.atan2(sin * sy, cos * sx),
      score: box.score,
    };
  });
  return { boxes: scaled, inkShare: ink / plane };
}

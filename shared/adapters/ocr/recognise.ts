/**
 * Text recognition of one line (PP-OCRv4 rec, CTC): the line's rotated box is cut out of the page
 * along its own angle and scaled to the model's height of 48 px (so a skewed line is read level),
 * normalised to [-1, 1] in BGR order, padded on the right to at least 320 px as in training, and
 * the model's output decoded greedily (ctc.ts).
 */
import { createCanvas } from '@napi-rs/canvas';
import * as ort from 'onnxruntime-node';
import { ctcGreedy, type Decoded } from './ctc';
import type { TextBox } from './db-postprocess';
import type { RasterPage } from './pages';

const HEIGHT = 48;
const MIN_WIDTH = 320;
const MAX_WIDTH = 3_200;

/** The width (px at height 48) a line box is drawn at, and the padded input width. */
export function lineWidths(box: Pick<TextBox, 'width' | 'height'>): { drawn: number; input: number } {
  const drawn = Math.min(MAX_WIDTH, Math.max(1, Math.ceil((HEIGHT * box.width) / Math.max(1, box.height))));
  return { drawn, input: Math.max(MIN_WIDTH, drawn) };
}

export async function recognise(session: ort.InferenceSession, alphabet: readonly string[], page: RasterPage, box: TextBox): Promise<Decoded> {
  const { drawn, input: width } = lineWidths(box);
  const canvas = createCanvas(drawn, HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, drawn, HEIGHT);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.translate(drawn / 2, HEIGHT / 2);
  ctx.scale(drawn / box.width, HEIGHT / box.height);
  ctx.rotate(-box.angle);
  ctx.translate(-box.cx, -box.cy);
  ctx.drawImage(page.canvas, 0, 0);
  const rgba = ctx.getImageData(0, 0, drawn, HEIGHT).data;
  const plane = HEIGHT * width;
  const input = new Float32Array(3 * plane); // the padding stays 0, as in PaddleOCR
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < drawn; x++) {
      const from = (y * drawn + x) * 4;
      const to = y * width + x;
      input[to] = rgba[from + 2]! / 127.5 - 1;
      input[plane + to] = rgba[from + 1]! / 127.5 - 1;
      input[2 * plane + to] = rgba[from]! / 127.5 - 1;
    }
  }
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, HEIGHT, width]) };
  const output = await session.run(feeds);
  const probs = output[session.outputNames[0]!]!;
  const [, steps, classes] = probs.dims.map(Number) as [number, number, number];
  const decoded = ctcGreedy(probs.data as Float32Array, steps, classes, alphabet);
  probs.dispose();
  return decoded;
}

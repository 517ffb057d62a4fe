/**
 * Scanned-letter pages drawn for the OCR tests and for tuning the engine: printed Chinese text
 * on A4 at a given resolution, with optional skew, speckle, blur and JPEG artefacts. Seeded,
 * so a page is the same on every run. (The measured corpus lives in test/fixtures/ocr.)
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, type Canvas } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);

/** Noto Serif SC (a Song-style face) from the font package the letters already use. */
export const SONG_FONT = 'OcrTestSong';
let registered = false;
export function registerTestFonts(): void {
  if (registered) return;
  const root = dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
  GlobalFonts.registerFromPath(join(root, '400Regular', 'NotoSerifSC_400Regular.ttf'), SONG_FONT);
  registered = true;
}

export interface PageSpec {
  /** Paragraphs, wrapped to the page width. */
  paragraphs: string[];
  font?: string;
  /** Font size in points (at `dpi`). */
  points?: number;
  dpi?: number;
  /** Rotation of the whole page, degrees. */
  skewDegrees?: number;
  /** Share of pixels turned into dark specks. */
  speckle?: number;
  /** Blur radius in px (photocopy blur). */
  blur?: number;
  seed?: number;
}

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The lines a paragraph wraps to within `width` px. */
function wrap(measure: (s: string) => number, paragraph: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const ch of paragraph) {
    if (measure(line + ch) > width && line.trim() !== '') {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

/** Draws the page; returns the canvas and the text as drawn (one line per printed line). */
export function drawLetterPage(spec: PageSpec): { canvas: Canvas; text: string } {
  registerTestFonts();
  const dpi = spec.dpi ?? 200;
  const width = Math.round(8.27 * dpi);
  const height = Math.round(11.69 * dpi);
  const fontPx = ((spec.points ?? 12) * dpi) / 72;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.rotate(((spec.skewDegrees ?? 0) * Math.PI) / 180);
  ctx.translate(-width / 2, -height / 2);
  if (spec.blur) ctx.filter = `blur(${spec.blur}px)`;
  ctx.fillStyle = '#111111';
  ctx.font = `${fontPx}px ${spec.font ?? SONG_FONT}`;
  ctx.textBaseline = 'top';
  const margin = dpi * 1;
  const lines: string[] = [];
  for (const [i, paragraph] of spec.paragraphs.entries()) {
    lines.push(...wrap((s) => ctx.measureText(s).width, paragraph, width - 2 * margin, i === 0 ? '' : '　　'));
  }
  let y = margin;
  for (const line of lines) {
    if (y + fontPx > height - margin) break;
    ctx.fillText(line, margin, y);
    y += fontPx * 1.8;
  }
  ctx.restore();
  if (spec.speckle) {
    const random = seeded(spec.seed ?? 1);
    const specks = Math.round(width * height * spec.speckle);
    ctx.fillStyle = '#222222';
    for (let i = 0; i < specks; i++) {
      const r = 0.6 + random() * 1.4;
      ctx.beginPath();
      ctx.arc(random() * width, random() * height, r, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  return { canvas, text: lines.map((l) => l.trim()).join('\n') };
}

/** A sample letter (信访件) of the kind the registry receives. */
export const SAMPLE_LETTER = [
  '尊敬的县信访局领导：',
  '我叫张秀兰，家住城关镇东风村三组，联系电话13907310562。2025年8月，我在县城建设路的华信建筑工程有限公司工地上做钢筋工，至今被拖欠工资共计人民币38650元。',
  '我多次找到公司项目经理李某讨要，对方一直以工程款未结算为由推脱，今年春节前又承诺在3月底之前全部付清，但到现在仍然没有兑现。我家中老人常年生病，孩子上学也需要用钱，生活十分困难。',
  '恳请领导责成有关部门调查处理，督促该公司尽快支付拖欠的工资，维护我们农民工的合法权益。附件：工资欠条复印件一份，考勤记录两页。',
  '此致',
  '敬礼！',
  '信访人：张秀兰',
  '2026年4月12日',
];

/**
 * A multi-page TIFF (uncompressed, 8-bit grey, one strip a page) of the canvases, in order.
 * utif2 decodes TIFFs but writes one page only; this is the smallest writer of the format.
 * `declare` overrides a page's declared size (a page bomb: the header claims what the data is not).
 */
export function grayTiff(pages: { canvas: Canvas; declare?: { width: number; height: number } }[]): Uint8Array {
  const TAGS = 9;
  const ifdSize = 2 + TAGS * 12 + 4;
  const bodies = pages.map(({ canvas }) => {
    const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const gray = new Uint8Array(canvas.width * canvas.height);
    for (let i = 0; i < gray.length; i++) gray[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
    return gray;
  });
  const total = 8 + bodies.reduce((s, b) => s + ifdSize + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 0x2a, 0x00]);
  let at = 8;
  view.setUint32(4, at, true);
  for (const [index, page] of pages.entries()) {
    const body = bodies[index]!;
    const width = page.declare?.width ?? page.canvas.width;
    const height = page.declare?.height ?? page.canvas.height;
    const dataAt = at + ifdSize;
    const next = index === pages.length - 1 ? 0 : dataAt + body.length;
    const tags: [number, number, number][] = [
      [256, 4, width],
      [257, 4, height],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, dataAt],
      [277, 3, 1],
      [278, 4, height],
      [279, 4, body.length],
    ];
    view.setUint16(at, TAGS, true);
    for (const [i, [tag, type, value]] of tags.entries()) {
      const entry = at + 2 + i * 12;
      view.setUint16(entry, tag, true);
      view.setUint16(entry + 2, type, true);
      view.setUint32(entry + 4, 1, true);
      if (type === 3) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    }
    view.setUint32(at + 2 + TAGS * 12, next, true);
    out.set(body, dataAt);
    at = dataAt + body.length;
  }
  return out;
}

/**
 * From recognised lines to a page: the reading order (rows top to bottom along the page's own
 * skew, boxes within a row left to right) and the page's status (docs/ocr.md, "Engine"). Pure.
 */
import type { OcrPage } from '../../domain/ocr';
import { correctKnownConfusions } from './corrections';
import type { TextBox } from './db-postprocess';

export interface RecognisedLine {
  box: TextBox;
  text: string;
  confidence: number;
}

export interface VerdictThresholds {
  /** A line recognised with less confidence than this is dropped (PaddleOCR's drop score). */
  dropLine: number;
  /** A page whose kept characters have a lower mean confidence is `unreadable`. */
  minPageConfidence: number;
  /** A page with fewer Han characters than this is `unreadable`. */
  minHan: number;
  /** A page where Han characters are a smaller share than this of Han and Latin letters is `unreadable` (digits are neither). */
  minHanShare: number;
  /** A page without text boxes and with less ink than this share of its pixels is `blank`. */
  maxBlankInk: number;
}

export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = {
  dropLine: 0.5,
  minPageConfidence: 0.7,
  minHan: 3,
  minHanShare: 0.3,
  maxBlankInk: 0.02,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}

/** The lines in reading order, as rows: each row's boxes left to right. */
export function rowsInReadingOrder<T extends { box: TextBox }>(lines: readonly T[]): T[][] {
  // Measure positions in the page's own frame (its median skew), so a skewed row stays one row.
  const skew = median(lines.map((l) => l.box.angle));
  const cos = Math.cos(skew);
  const sin = Math.sin(skew);
  const placed = lines.map((line) => ({
    line,
    along: line.box.cx * cos + line.box.cy * sin,
    across: -line.box.cx * sin + line.box.cy * cos,
  }));
  placed.sort((a, b) => a.across - b.across);
  const rows: (typeof placed)[] = [];
  for (const item of placed) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && Math.abs(item.across - first.across) < 0.5 * Math.min(item.line.box.height, first.line.box.height)) {
      row.push(item);
    } else {
      rows.push([item]);
    }
  }
  return rows.map((row) => row.sort((a, b) => a.along - b.along).map((p) => p.line));
}

function isHan(ch: string): boolean {
  return /\p{Script=Han}/u.test(ch);
}

/** The status, text and confidence of a page from its recognised lines and its share of dark pixels. */
export function judgePage(
  lines: readonly RecognisedLine[],
  inkShare: number,
  thresholds: VerdictThresholds = DEFAULT_VERDICT_THRESHOLDS,
): Omit<OcrPage, 'page'> {
  if (lines.length === 0) {
    return inkShare < thresholds.maxBlankInk
      ? { status: 'blank', text: '', confidence: null }
      : { status: 'unreadable', text: '', confidence: null, reason: `no text lines found on a page with ${(inkShare * 100).toFixed(1)}% ink` };
  }
  const kept = lines.filter((l) => l.confidence >= thresholds.dropLine && l.text.trim() !== '');
  if (kept.length === 0) {
    return { status: 'unreadable', text: '', confidence: null, reason: `${lines.length} text regions found, none read with confidence` };
  }
  let weighted = 0;
  let characters = 0;
  let han = 0;
  let latin = 0;
  for (const line of kept) {
    const chars = [...line.text.replace(/\s/gu, '')];
    weighted += line.confidence * chars.length;
    characters += chars.length;
    for (const ch of chars.map((c) => c.normalize('NFKC'))) {
      if (isHan(ch)) han++;
      else if (/[A-Za-z]/u.test(ch)) latin++;
    }
  }
  const confidence = characters === 0 ? 0 : weighted / characters;
  if (han < thresholds.minHan || han < thresholds.minHanShare * (han + latin)) {
    return { status: 'unreadable', text: '', confidence, reason: `no Chinese text: ${han} Han characters and ${latin} Latin letters read` };
  }
  if (confidence < thresholds.minPageConfidence) {
    return { status: 'unreadable', text: '', confidence, reason: `low confidence ${confidence.toFixed(2)}` };
  }
  const text = correctKnownConfusions(
    rowsInReadingOrder(kept)
      .map((row) => row.map((l) => l.text.trim()).join(' '))
      .join('\n'),
  );
  return { status: 'read', text, confidence };
}

import { describe, expect, it } from 'vitest';
import type { TextBox } from '../../../shared/adapters/ocr/db-postprocess';
import { judgePage, rowsInReadingOrder, type RecognisedLine } from '../../../shared/adapters/ocr/reading';

function box(cx: number, cy: number, width = 200, height = 30, angle = 0): TextBox {
  return { cx, cy, width, height, angle, score: 0.9 };
}
function line(text: string, confidence = 0.95, b = box(300, 100)): RecognisedLine {
  return { box: b, text, confidence };
}

describe('OCR page verdict', () => {
  it('is blank without text boxes on a page without ink, unreadable with ink (a picture)', () => {
    expect(judgePage([], 0.001)).toEqual({ status: 'blank', text: '', confidence: null });
    expect(judgePage([], 0.4)).toMatchObject({ status: 'unreadable', text: '', confidence: null, reason: expect.stringMatching(/no text lines/) });
  });

  it('reads a Chinese page with digits and Latin letters', () => {
    const page = judgePage([line('信访人：张秀兰，电话13907310562', 0.97, box(300, 100)), line('Email: zhang@example.cn 2026年4月', 0.9, box(300, 150))], 0.05);
    expect(page.status).toBe('read');
    expect(page.text).toBe('信访人：张秀兰，电话13907310562\nEmail: zhang@example.cn 2026年4月');
    expect(page.confidence).toBeGreaterThan(0.9);
  });

  it('is unreadable when the text is (almost) all Latin, or read with low confidence, or nothing is kept', () => {
    expect(judgePage([line('Dear Sir, I am writing to complain about'), line('the noise of the factory next door.')], 0.05)).toMatchObject({
      status: 'unreadable',
      text: '',
      reason: expect.stringMatching(/no Chinese text/),
    });
    expect(judgePage([line('信访事项办理意见书', 0.6), line('关于工资问题', 0.62)], 0.05)).toMatchObject({
      status: 'unreadable',
      reason: expect.stringMatching(/low confidence/),
    });
    expect(judgePage([line('乱码', 0.3)], 0.2)).toMatchObject({ status: 'unreadable', reason: expect.stringMatching(/none read/) });
    expect(judgePage([line('一', 0.99)], 0.01)).toMatchObject({ status: 'unreadable' });
  });

  it('orders lines top to bottom along the page skew, and boxes of a row left to right', () => {
    const a = (3 * Math.PI) / 180;
    // Two rows on a page turned 3°: the right half of the first row sits lower than the left.
    const at = (x: number, y: number): TextBox => box(x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a), 300, 30, a);
    const lines = [
      { box: at(900, 100), name: 'row1-right' },
      { box: at(100, 140), name: 'row2-left' },
      { box: at(100, 100), name: 'row1-left' },
      { box: at(900, 140), name: 'row2-right' },
    ];
    expect(rowsInReadingOrder(lines).map((row) => row.map((l) => l.name))).toEqual([
      ['row1-left', 'row1-right'],
      ['row2-left', 'row2-right'],
    ]);
  });
});

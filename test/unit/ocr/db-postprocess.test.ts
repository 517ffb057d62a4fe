import { describe, expect, it } from 'vitest';
import { boxesFromMap, convexHull, DEFAULT_DB_OPTIONS, minAreaRect } from '../../../shared/adapters/ocr/db-postprocess';

/** A probability map with `value` inside each rotated rectangle (centre, size, angle in degrees). */
function map(width: number, height: number, rects: { cx: number; cy: number; w: number; h: number; deg: number; value: number }[]): Float32Array {
  const prob = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const r of rects) {
        const a = (r.deg * Math.PI) / 180;
        const dx = x - r.cx;
        const dy = y - r.cy;
        if (Math.abs(dx * Math.cos(a) + dy * Math.sin(a)) <= r.w / 2 && Math.abs(-dx * Math.sin(a) + dy * Math.cos(a)) <= r.h / 2) {
          prob[y * width + x] = r.value;
        }
      }
    }
  }
  return prob;
}

describe('DB postprocess: text boxes from a probability map', () => {
  it('finds each line as a rotated box, grown by the unclip distance', () => {
    const prob = map(200, 100, [
      { cx: 100, cy: 25, w: 150, h: 10, deg: 0, value: 0.9 },
      { cx: 100, cy: 70, w: 150, h: 10, deg: 4, value: 0.9 },
    ]);
    const boxes = boxesFromMap(prob, 200, 100).sort((a, b) => a.cy - b.cy);
    expect(boxes).toHaveLength(2);
    const [level, skewed] = boxes as [(typeof boxes)[0], (typeof boxes)[0]];
    expect(level.cx).toBeCloseTo(100, 0);
    expect(level.cy).toBeCloseTo(25, 0);
    expect(level.angle).toBeCloseTo(0, 2);
    // The core spans 150 × 10 between its outer pixel centres; the unclip distance is area × ratio / perimeter.
    const grow = (150 * 10 * DEFAULT_DB_OPTIONS.unclipRatio) / (2 * (150 + 10));
    expect(level.width).toBeCloseTo(150 + 2 * grow, 1);
    expect(level.height).toBeCloseTo(10 + 2 * grow, 1);
    expect((skewed.angle * 180) / Math.PI).toBeCloseTo(4, 0);
    expect(skewed.cy).toBeCloseTo(70, 0);
  });

  it('drops faint regions, tiny specks and what is below the threshold', () => {
    const prob = map(120, 60, [
      { cx: 60, cy: 15, w: 80, h: 8, deg: 0, value: 0.45 }, // above the threshold, below the box score
      { cx: 20, cy: 45, w: 2, h: 2, deg: 0, value: 0.99 }, // a speck
      { cx: 80, cy: 45, w: 60, h: 8, deg: 0, value: 0.2 }, // below the threshold
    ]);
    expect(boxesFromMap(prob, 120, 60)).toEqual([]);
  });

  it('fits the minimum-area rectangle, oriented along the text (within ±45°)', () => {
    const a = (10 * Math.PI) / 180;
    const corners = [
      [-50, -5],
      [50, -5],
      [50, 5],
      [-50, 5],
    ].map(([x, y]) => [30 + x! * Math.cos(a) - y! * Math.sin(a), 40 + x! * Math.sin(a) + y! * Math.cos(a)] as const);
    const rect = minAreaRect([...corners, [30, 40]]);
    expect(rect.cx).toBeCloseTo(30, 6);
    expect(rect.cy).toBeCloseTo(40, 6);
    expect(rect.width).toBeCloseTo(100, 6);
    expect(rect.height).toBeCloseTo(10, 6);
    expect(rect.angle).toBeCloseTo(a, 6);
    // A tall box is still a line along x: its width is the horizontal extent.
    const tall = minAreaRect([
      [0, 0],
      [10, 0],
      [10, 40],
      [0, 40],
    ]);
    expect(tall).toMatchObject({ width: 10, height: 40 });
    expect(Math.abs(tall.angle)).toBeLessThan(1e-9);
    expect(
      convexHull([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 2],
        [2, 0],
      ]),
    ).toHaveLength(4);
  });
});

/**
 * From the detection model's probability map to text-line boxes (PP-OCR's DB postprocess, in
 * plain TypeScript, without OpenCV): threshold the map, label its connected regions, fit each a
 * minimum-area (rotated) rectangle, keep those whose mean probability is high enough, and grow
 * them by the "unclip" distance (the model predicts a shrunk core of each line). Rotated boxes
 * are what lets a skewed page be read: each line is later cut out along its own angle.
 */

/** A text line: a rotated rectangle. `angle` is the direction of the text (radians, within ±45°). */
export interface TextBox {
  cx: number;
  cy: number;
  /** Along the text. */
  width: number;
  /** Across the text. */
  height: number;
  angle: number;
  /** Mean probability inside the shrunk box. */
  score: number;
}

export interface DbOptions {
  /** A map pixel above this is text. */
  threshold: number;
  /** A region whose mean probability is below this is dropped. */
  boxThreshold: number;
  /** How far a box grows: area × ratio / perimeter on each side. */
  unclipRatio: number;
  /** Boxes with a side below this (map pixels) are dropped. */
  minSize: number;
}

export const DEFAULT_DB_OPTIONS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 2.0, minSize: 3 };

type Point = readonly [number, number];

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise, without repeated points. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length <= 2) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/** The smallest-area rectangle around the points (rotating calipers over the hull's edges), oriented along the text. */
export function minAreaRect(points: Point[]): Omit<TextBox, 'score'> {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  if (hull.length === 1) return { cx: hull[0]![0], cy: hull[0]![1], width: 0, height: 0, angle: 0 };
  let best = { area: Infinity, ux: 1, uy: 0, minU: 0, maxU: 0, minV: 0, maxV: 0 };
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) continue;
    const ux = (b[0] - a[0]) / length;
    const uy = (b[1] - a[1]) / length;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < best.area - 1e-9) best = { area, ux, uy, minU, maxU, minV, maxV };
  }
  const u = (best.minU + best.maxU) / 2;
  const v = (best.minV + best.maxV) / 2;
  const cx = u * best.ux - v * best.uy;
  const cy = u * best.uy + v * best.ux;
  let width = best.maxU - best.minU;
  let height = best.maxV - best.minV;
  let angle = Math.atan2(best.uy, best.ux);
  // Fold the direction into (-90°, 90°], then take the axis nearest horizontal as the text's.
  if (angle > Math.PI / 2) angle -= Math.PI;
  if (angle <= -Math.PI / 2) angle += Math.PI;
  if (angle > Math.PI / 4) {
    angle -= Math.PI / 2;
    [width, height] = [height, width];
  } else if (angle < -Math.PI / 4) {
    angle += Math.PI / 2;
    [width, height] = [height, width];
  }
  return { cx, cy, width, height, angle };
}

/** Mean of the map over the pixels whose centre lies inside the rectangle. */
function meanInside(prob: Float32Array, mapWidth: number, mapHeight: number, box: Omit<TextBox, 'score'>): number {
  const cos = Math.cos(box.angle);
  const sin = Math.sin(box.angle);
  const halfW = box.width / 2 + 0.5;
  const halfH = box.height / 2 + 0.5;
  const reach = Math.abs(halfW * cos) + Math.abs(halfH * sin);
  const reachY = Math.abs(halfW * sin) + Math.abs(halfH * cos);
  const x0 = Math.max(0, Math.floor(box.cx - reach));
  const x1 = Math.min(mapWidth - 1, Math.ceil(box.cx + reach));
  const y0 = Math.max(0, Math.floor(box.cy - reachY));
  const y1 = Math.min(mapHeight - 1, Math.ceil(box.cy + reachY));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - box.cx;
      const dy = y - box.cy;
      if (Math.abs(dx * cos + dy * sin) <= halfW && Math.abs(-dx * sin + dy * cos) <= halfH) {
        sum += prob[y * mapWidth + x]!;
        count++;
      }
    }
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Text boxes from a probability map of `mapWidth × mapHeight` (row-major), in map coordinates.
 * Regions are 8-connected groups of pixels above the threshold.
 */
export function boxesFromMap(prob: Float32Array, mapWidth: number, mapHeight: number, options: DbOptions = DEFAULT_DB_OPTIONS): TextBox[] {
  const size = mapWidth * mapHeight;
  const seen = new Uint8Array(size);
  const queue = new Int32Array(size);
  const boxes: TextBox[] = [];
  for (let start = 0; start < size; start++) {
    if (seen[start] || prob[start]! <= options.threshold) continue;
    // Flood fill one region; its pixels end up in queue[0..tail).
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    let minY = mapHeight;
    let maxY = -1;
    while (head < tail) {
      const at = queue[head++]!;
      const x = at % mapWidth;
      const y = (at - x) / mapWidth;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= mapHeight) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= mapWidth) continue;
          const n = ny * mapWidth + nx;
          if (!seen[n] && prob[n]! > options.threshold) {
            seen[n] = 1;
            queue[tail++] = n;
          }
        }
      }
    }
    if (tail < 2) continue;
    // The leftmost and rightmost pixel of each row carry the region's hull.
    const rows = maxY - minY + 1;
    const left = new Int32Array(rows).fill(mapWidth);
    const right = new Int32Array(rows).fill(-1);
    for (let i = 0; i < tail; i++) {
      const at = queue[i]!;
      const x = at % mapWidth;
      const r = (at - x) / mapWidth - minY;
      if (x < left[r]!) left[r] = x;
      if (x > right[r]!) right[r] = x;
    }
    const points: Point[] = [];
    for (let r = 0; r < rows; r++) {
      if (right[r]! < 0) continue;
      points.push([left[r]!, r + minY]);
      if (right[r] !== left[r]) points.push([right[r]!, r + minY]);
    }
    const core = minAreaRect(points);
    if (Math.min(core.width, core.height) < options.minSize) continue;
    const score = meanInside(prob, mapWidth, mapHeight, core);
    if (score < options.boxThreshold) continue;
    const grow = (core.width * core.height * options.unclipRatio) / (2 * (core.width + core.height));
    const box = { ...core, width: core.width + 2 * grow, height: core.height + 2 * grow, score };
    if (Math.min(box.width, box.height) < options.minSize + 2) continue;
    boxes.push(box);
  }
  return boxes;
}

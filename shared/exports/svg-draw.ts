/**
 * The SVG that ECharts renders on the server (`renderToSVGString`), read back as drawing
 * operations for a PDF: paths (path, polyline, polygon, rect, line, circle) with their fill,
 * stroke and transform, and texts with their position, anchor and size. Only what ECharts writes
 * is understood (no CSS, gradients or nested groups); the chart is then drawn as vectors with
 * pdf-lib's drawSvgPath and the letters' embedded font (report-pdf.ts). Pure.
 */

/** A 2-D affine matrix [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = readonly [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** p ↦ outer(inner(p)). */
export function compose(outer: Matrix, inner: Matrix): Matrix {
  const [a1, b1, c1, d1, e1, f1] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export type Rgb = readonly [number, number, number];

export type SvgOp =
  | { kind: 'path'; d: string; fill: Rgb | null; stroke: Rgb | null; strokeWidth: number; matrix: Matrix }
  | { kind: 'text'; text: string; x: number; y: number; size: number; anchor: 'start' | 'middle' | 'end'; baseline: string; fill: Rgb; bold: boolean };

export interface SvgDrawing {
  width: number;
  height: number;
  ops: SvgOp[];
}

const NAMED: Record<string, Rgb> = { black: [0, 0, 0], white: [1, 1, 1], red: [1, 0, 0], gray: [0.5, 0.5, 0.5], grey: [0.5, 0.5, 0.5] };

/** A colour as ECharts writes one (#rgb, #rrggbb, rgb(), rgba(), a few names); null for none or fully transparent. */
export function parseColor(v: string | undefined): Rgb | null {
  if (v === undefined) return null;
  const s = v.trim().toLowerCase();
  if (s === '' || s === 'none' || s === 'transparent') return null;
  if (NAMED[s]) return NAMED[s];
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) {
    const h = m[1] as string;
    return [0, 1, 2].map((i) => parseInt(h[i]! + h[i]!, 16) / 255) as unknown as Rgb;
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) {
    const h = m[1] as string;
    if (m[2] !== undefined && parseInt(m[2], 16) === 0) return null;
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as unknown as Rgb;
  }
  m = /^rgba?\(([^)]*)\)$/.exec(s);
  if (m) {
    const parts = (m[1] as string)
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length >= 4 && (parts[3] as number) === 0) return null;
    return [(parts[0] ?? 0) / 255, (parts[1] ?? 0) / 255, (parts[2] ?? 0) / 255];
  }
  return null;
}

/** A transform attribute: translate, scale, rotate, matrix, in order. */
export function parseTransform(v: string | undefined): Matrix {
  let m: Matrix = IDENTITY;
  if (!v) return m;
  for (const t of v.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const n = (t[2] as string)
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    let k: Matrix = IDENTITY;
    if (t[1] === 'translate') k = [1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0];
    else if (t[1] === 'scale') k = [n[0] ?? 1, 0, 0, n[1] ?? n[0] ?? 1, 0, 0];
    else if (t[1] === 'matrix' && n.length === 6) k = n as unknown as Matrix;
    else if (t[1] === 'rotate') {
      const r = ((n[0] ?? 0) * Math.PI) / 180;
      k = [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0];
    }
    m = compose(m, k);
  }
  return m;
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of s.matchAll(/([\w:-]+)="([^"]*)"/g)) out[a[1] as string] = a[2] as string;
  const style = out.style;
  if (style) {
    for (const decl of style.split(';')) {
      const [k, val] = decl.split(':');
      if (k && val !== undefined && out[k.trim()] === undefined) out[k.trim()] = val.trim();
    }
  }
  return out;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

const num = (v: string | undefined, d = 0) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? d : Number(v));

function pathOf(tag: string, a: Record<string, string>): string | null {
  switch (tag) {
    case 'path':
      return a.d ?? null;
    case 'polyline':
    case 'polygon': {
      const p = (a.points ?? '').split(/[\s,]+/).filter(Boolean);
      if (p.length < 4) return null;
      let d = `M${p[0]} ${p[1]}`;
      for (let i = 2; i + 1 < p.length; i += 2) d += `L${p[i]} ${p[i + 1]}`;
      return tag === 'polygon' ? `${d}Z` : d;
    }
    case 'rect': {
      const [x, y, w, h] = [num(a.x), num(a.y), num(a.width), num(a.height)];
      return w > 0 && h > 0 ? `M${x} ${y}L${x + w} ${y}L${x + w} ${y + h}L${x} ${y + h}Z` : null;
    }
    case 'line':
      return `M${num(a.x1)} ${num(a.y1)}L${num(a.x2)} ${num(a.y2)}`;
    case 'circle': {
      const [cx, cy, r] = [num(a.cx), num(a.cy), num(a.r)];
      return r > 0 ? `M${cx - r} ${cy}A${r} ${r} 0 1 0 ${cx + r} ${cy}A${r} ${r} 0 1 0 ${cx - r} ${cy}Z` : null;
    }
    default:
      return null;
  }
}

/** The drawing operations of an SVG as ECharts renders it. */
export function readSvg(svg: string): SvgDrawing {
  const root = /<svg\b([^>]*)>/.exec(svg);
  const ra = attrs(root?.[1] ?? '');
  const ops: SvgOp[] = [];
  for (const m of svg.matchAll(/<(path|polyline|polygon|rect|line|circle|text)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/g)) {
    const tag = m[1] as string;
    const a = attrs(m[2] as string);
    const opacity = num(a.opacity, 1) * num(a['fill-opacity'], 1);
    const matrix = parseTransform(a.transform);
    if (tag === 'text') {
      const text = unescapeXml(m[3] ?? '').trim();
      const fill = parseColor(a.fill ?? 'black');
      if (text === '' || fill === null || opacity < 0.05) continue;
      const [x, y] = apply(matrix, num(a.x), num(a.y));
      const anchor = a['text-anchor'] === 'middle' || a['text-anchor'] === 'end' ? a['text-anchor'] : 'start';
      const size = num((a['font-size'] ?? '12').replace('px', ''), 12);
      ops.push({
        kind: 'text',
        text,
        x,
        y,
        size,
        anchor,
        baseline: a['dominant-baseline'] ?? 'alphabetic',
        fill,
        bold: /bold|[6-9]00/.test(a['font-weight'] ?? ''),
      });
      continue;
    }
    const d = pathOf(tag, a);
    if (d === null || opacity < 0.05) continue;
    const fill = parseColor(a.fill ?? (tag === 'line' || tag === 'polyline' ? 'none' : 'black'));
    const stroke = parseColor(a.stroke);
    if (fill === null && stroke === null) continue;
    ops.push({ kind: 'path', d, fill, stroke, strokeWidth: num(a['stroke-width'], 1), matrix });
  }
  return { width: num(ra.width, 400), height: num(ra.height, 300), ops };
}

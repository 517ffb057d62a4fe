/**
 * The page count of a PDF, found while its bytes stream past (the archive run hashes every
 * archived copy once; counting pages rides along, so no file is ever held in memory).
 *
 * A PDF's page tree root is a dictionary `<< /Type /Pages /Kids [...] /Count n >>`; every inner
 * node of the tree has a smaller /Count, so the largest /Count of any /Type /Pages dictionary is
 * the number of pages. The dictionaries are found in the plain file and inside compressed object
 * streams (`/Type /ObjStm`, FlateDecode, PDF 1.5+), which is where pdf-lib and most modern
 * writers put them. Heuristic by design: a PDF whose page tree is in a stream with another
 * filter, or that is encrypted, gives `undefined` (the registration form then prints "—"), never a
 * guess.
 *
 * Bounded: a small file can hold a "compression bomb" (1 MB of FlateDecode that inflates to
 * 1 GB). The counter inflates at most {@link MAX_INFLATED_BYTES} over all of a file's object
 * streams and spends at most {@link MAX_COUNTING_MS} on it; past either it stops, the page count
 * stays unknown, and {@link PdfPageCounter.problem} says why (the archive run reports it).
 */
import { inflateSync } from 'node:zlib';

const PAGES = /\/Type\s*\/Pages\b/;
const INTERESTING = /\/Type\s*\/(Pages|ObjStm)\b/g;
/** Bytes kept from the end of a chunk when nothing was found: a dictionary may start there. */
const KEEP = 64 * 1024;
/** A dictionary still open after this many bytes is not one we want. */
const MAX_DICT = 1024 * 1024;
/** Object streams larger than this are skipped (they hold objects, not images: a few KB is usual). */
const MAX_OBJSTM = 16 * 1024 * 1024;
/** Inflated bytes allowed over all object streams of one file (page-tree streams are a few KB). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Time allowed for counting the pages of one file. */
export const MAX_COUNTING_MS = 2_000;

export interface PdfPageCounterOptions {
  maxInflatedBytes?: number;
  maxMillis?: number;
  /** Milliseconds from an arbitrary origin (tests pass a fake). */
  now?: () => number;
}

/** Start (index of `<<`) of the dictionary enclosing `at`, searching backwards; -1 if not in `text`. */
function dictStart(text: string, at: number): number {
  let depth = 0;
  for (let i = at - 1; i > 0; i--) {
    if (text[i] === '>' && text[i - 1] === '>') {
      depth += 1;
      i -= 1;
    } else if (text[i] === '<' && text[i - 1] === '<') {
      if (depth === 0) return i - 1;
      depth -= 1;
      i -= 1;
    }
  }
  return -1;
}

/** End (index just after `>>`) of the dictionary starting at `start`; -1 if it does not end in `text`. */
function dictEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text[i] === '<' && text[i + 1] === '<') {
      depth += 1;
      i += 1;
    } else if (text[i] === '>' && text[i + 1] === '>') {
      depth -= 1;
      i += 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The /Count of a dictionary at its own level (not of a nested one). */
function ownCount(dict: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < dict.length; i++) {
    if (dict.startsWith('<<', i)) {
      depth += 1;
      i += 1;
    } else if (dict.startsWith('>>', i)) {
      depth -= 1;
      i += 1;
    } else if (depth === 1 && dict.startsWith('/Count', i)) {
      const m = /^\/Count\s+(\d+)/.exec(dict.slice(i, i + 32));
      if (m?.[1]) return Number(m[1]);
    }
  }
  return undefined;
}

/** Every page-tree /Count in a complete text (an inflated object stream). */
function countsIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(new RegExp(PAGES.source, 'g'))) {
    const start = dictStart(text, m.index);
    const end = start < 0 ? -1 : dictEnd(text, start);
    const n = end < 0 ? undefined : ownCount(text.slice(start, end));
    if (n !== undefined) out.push(n);
  }
  return out;
}

export class PdfPageCounter {
  private buf = '';
  private max: number | undefined;
  private stream: { chunks: Buffer[]; size: number; flate: boolean } | null = null;
  private stopped: string | undefined;
  private inflated = 0;
  private spent = 0;
  private readonly maxInflated: number;
  private readonly maxMillis: number;
  private readonly now: () => number;

  constructor(options: PdfPageCounterOptions = {}) {
    this.maxInflated = options.maxInflatedBytes ?? MAX_INFLATED_BYTES;
    this.maxMillis = options.maxMillis ?? MAX_COUNTING_MS;
    this.now = options.now ?? (() => performance.now());
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    const started = this.now();
    this.buf += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    this.drain();
    this.spent += this.now() - started;
    if (!this.stopped && this.spent > this.maxMillis) this.stop(`页数未统计：统计用时超过${this.maxMillis / 1000}秒`);
  }

  /** The page count, or undefined when no page tree was found (or counting was stopped). */
  result(): number | undefined {
    if (this.stopped) return undefined;
    return this.max !== undefined && this.max > 0 ? this.max : undefined;
  }

  /** Why counting stopped before the end (a compression bomb, too slow), in the office's words; undefined if it did not. */
  get problem(): string | undefined {
    return this.stopped;
  }

  private stop(reason: string): void {
    this.stopped = reason;
    this.buf = '';
    this.stream = null;
  }

  private found(n: number): void {
    this.max = this.max === undefined ? n : Math.max(this.max, n);
  }

  private drain(): void {
    for (;;) {
      if (this.stopped) return;
      if (this.stream) {
        const end = this.buf.indexOf('endstream');
        const take = end >= 0 ? end : Math.max(0, this.buf.length - 9);
        if (this.stream.size + take <= MAX_OBJSTM) {
          this.stream.chunks.push(Buffer.from(this.buf.slice(0, take), 'latin1'));
          this.stream.size += take;
        } else {
          this.stream.size = MAX_OBJSTM + 1;
        }
        this.buf = this.buf.slice(take);
        if (end < 0) return;
        this.finishStream();
        this.buf = this.buf.slice('endstream'.length);
        continue;
      }
      INTERESTING.lastIndex = 0;
      const m = INTERESTING.exec(this.buf);
      if (!m) {
        if (this.buf.length > KEEP) this.buf = this.buf.slice(-KEEP);
        return;
      }
      const start = dictStart(this.buf, m.index);
      if (start < 0) {
        // Its dictionary began before what we kept: skip this one.
        this.buf = this.buf.slice(m.index + m[0].length);
        continue;
      }
      const end = dictEnd(this.buf, start);
      if (end < 0) {
        if (this.buf.length - start > MAX_DICT) this.buf = this.buf.slice(m.index + m[0].length);
        else if (start > 0) this.buf = this.buf.slice(start);
        return; // wait for more bytes
      }
      const dict = this.buf.slice(start, end);
      if (m[1] === 'Pages') {
        const n = ownCount(dict);
        if (n !== undefined) this.found(n);
        this.buf = this.buf.slice(end);
        continue;
      }
      // An object stream: its data follows `stream` and one end-of-line.
      const after = /^\s*stream(\r\n|\n)/.exec(this.buf.slice(end, end + 64));
      if (!after) {
        if (this.buf.length - end < 64) {
          if (start > 0) this.buf = this.buf.slice(start);
          return;
        }
        this.buf = this.buf.slice(end);
        continue;
      }
      this.stream = { chunks: [], size: 0, flate: /\/FlateDecode\b/.test(dict) && !/\/DecodeParms/.test(dict) };
      this.buf = this.buf.slice(end + after[0].length);
    }
  }

  private finishStream(): void {
    const s = this.stream;
    this.stream = null;
    if (!s || !s.flate || s.size > MAX_OBJSTM) return;
    const budget = this.maxInflated - this.inflated;
    let inflated: Buffer;
    try {
      // zlib stops (RangeError) as soon as the output would pass the budget: a bomb is never inflated whole.
      inflated = inflateSync(Buffer.concat(s.chunks), { maxOutputLength: Math.max(1, budget) });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        this.stop(`页数未统计：压缩对象流解压后超过${Math.round(this.maxInflated / 1024 / 1024)} MB（疑似压缩炸弹）`);
      }
      // Otherwise not a stream we can read: its pages stay unknown.
      return;
    }
    this.inflated += inflated.length;
    for (const n of countsIn(inflated.toString('latin1'))) this.found(n);
  }
}

/** The page count of a whole PDF held in memory (tests, small files). */
export function countPdfPages(bytes: Uint8Array, options?: PdfPageCounterOptions): number | undefined {
  const counter = new PdfPageCounter(options);
  counter.push(bytes);
  return counter.result();
}

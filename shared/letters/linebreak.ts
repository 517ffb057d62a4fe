/**
 * Line breaking for Chinese body text.
 *
 * 1. The text is cut into atoms: each Han character, kana, full-width form or CJK punctuation
 *    mark is one atom; a run of other non-space characters (Latin words, numbers, `XF-2026-0001`,
 *    a URL) is one atom and is never split unless it is wider than a whole line; a run of `——`
 *    or `……` is one atom (GB/T 15834: 破折号、省略号 are not split); spaces are break points.
 * 2. Kinsoku (禁则): a mark that may not start a line (，。、；：？！）》」』”’ …) is glued to the
 *    atom before it; a mark that may not end a line (（《「『“‘ …) is glued to the atom after it.
 * 3. Lines are filled greedily. When a glued cluster does not fit, the whole cluster moves to the
 *    next line (推出), and the short line is justified by the renderer.
 */

/** May not start a line (行首禁则). */
export const NO_LINE_START = new Set([
  ...'，。、；：？！）》」』】〕〉〗〙〛”’·％‰℃々〻〜～',
  ...',.;:?!)]}%',
  ...'ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー',
]);

/** May not end a line (行尾禁则). */
export const NO_LINE_END = new Set([...'（《「『【〔〈〖〘〚“‘', ...'([{']);

/** Characters never split from a neighbour of the same kind (——, ……). */
const PAIRED = new Set(['—', '…']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\u00a0' || ch === '\t';
}

/** One atom per character: Han, kana, Hangul, CJK symbols and punctuation, full-width forms. */
function isCjk(ch: string): boolean {
  return (
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef\u2010-\u206f\u00b7\u2e80-\u2fff\u3200-\u33ff]/u.test(
      ch,
    ) || NO_LINE_END.has(ch)
  );
}

/** Cut a paragraph into atoms (see the module comment). A space is an atom of its own. */
export function atoms(text: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word !== '') out.push(word);
    word = '';
  };
  for (const ch of text) {
    if (isSpace(ch)) {
      flush();
      out.push(' ');
    } else if (isCjk(ch)) {
      flush();
      const last = out[out.length - 1];
      if (PAIRED.has(ch) && last !== undefined && last.endsWith(ch) && [...last].every((c) => c === ch)) {
        out[out.length - 1] = last + ch;
      } else {
        out.push(ch);
      }
    } else {
      word += ch;
    }
  }
  flush();
  return out;
}

function first(s: string): string {
  return [...s][0] ?? '';
}
function last(s: string): string {
  const cs = [...s];
  return cs[cs.length - 1] ?? '';
}

/**
 * Glue atoms into clusters no line break may fall inside: a cluster never starts with a
 * NO_LINE_START mark and never ends with a NO_LINE_END mark (unless the paragraph ends there).
 * Spaces stay separate clusters.
 */
export function clusters(text: string): string[] {
  const out: string[] = [];
  let glueNext = false;
  for (const a of atoms(text)) {
    const prev = out[out.length - 1];
    if (a === ' ') {
      out.push(a);
      glueNext = false;
      continue;
    }
    if (prev !== undefined && prev !== ' ' && (glueNext || NO_LINE_START.has(first(a)))) {
      out[out.length - 1] = prev + a;
    } else {
      out.push(a);
    }
    glueNext = NO_LINE_END.has(last(a));
  }
  return out;
}

export interface Line {
  text: string;
  /** Natural width in points. */
  width: number;
  /** Last line of its paragraph (not justified). */
  last: boolean;
}

/**
 * Break one paragraph into lines. `widths.first` is the width of the first line (the body's
 * first line is indented by two characters), `widths.rest` of the others; `measure` gives the
 * width of a string in points.
 */
export function breakLines(text: string, widths: { first: number; rest: number }, measure: (s: string) => number): Line[] {
  const lines: Line[] = [];
  let cur = '';
  let curWidth = 0;
  const avail = () => (lines.length === 0 ? widths.first : widths.rest);
  const EPS = 0.01;
  const push = () => {
    const t = cur.replace(/ +$/, '');
    if (t !== '') lines.push({ text: t, width: measure(t), last: false });
    cur = '';
    curWidth = 0;
  };
  for (const c of clusters(text)) {
    if (c === ' ') {
      if (cur !== '') {
        cur += c;
        curWidth += measure(c);
      }
      continue;
    }
    const w = measure(c);
    if (curWidth + w <= avail() + EPS) {
      cur += c;
      curWidth += w;
      continue;
    }
    if (cur.trim() !== '') push();
    else {
      cur = '';
      curWidth = 0;
    }
    if (w <= avail() + EPS) {
      cur = c;
      curWidth = w;
      continue;
    }
    // Wider than a whole line (a long URL): split it by characters, the last resort.
    for (const ch of c) {
      const cw = measure(ch);
      if (curWidth + cw > avail() + EPS && cur !== '') push();
      cur += ch;
      curWidth += cw;
    }
  }
  push();
  const end = lines[lines.length - 1];
  if (end) end.last = true;
  return lines;
}

function isWordChar(ch: string): boolean {
  return !isSpace(ch) && !isCjk(ch);
}

/**
 * Where a justified line may take extra space: after character i (of the code points) unless
 * i is the last one or i and i+1 are both inside one Latin word or number.
 */
export function justificationGaps(line: string): boolean[] {
  const cs = [...line];
  return cs.map((c, i) => {
    const next = cs[i + 1];
    return next !== undefined && !(isWordChar(c) && isWordChar(next));
  });
}

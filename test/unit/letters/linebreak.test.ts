import { describe, expect, it } from 'vitest';
import { NO_LINE_END, NO_LINE_START, atoms, breakLines, clusters, justificationGaps } from '../../../shared/letters/linebreak';

/** Every Chinese character and full-width mark 1 unit wide, Latin characters and spaces half. */
function measure(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\x20-\x7e]/.test(ch) ? 0.5 : 1;
  return w;
}
const lines = (text: string, width: number, first = width) => breakLines(text, { first, rest: width }, measure).map((l) => l.text);

describe('clusters (kinsoku)', () => {
  it('glues closing punctuation to the character before it', () => {
    expect(clusters('你好，世界。')).toEqual(['你', '好，', '世', '界。']);
    expect(clusters('甲、乙；丙：丁？戊！')).toEqual(['甲、', '乙；', '丙：', '丁？', '戊！']);
  });

  it('glues opening punctuation to the character after it, and chains marks', () => {
    expect(clusters('他说：“好的。”')).toEqual(['他', '说：', '“好', '的。”']);
    expect(clusters('依据《信访工作条例》（2022）')).toEqual(['依', '据', '《信', '访', '工', '作', '条', '例》', '（2022）']);
  });

  it('keeps Latin words, numbers and identifiers whole', () => {
    expect(clusters('案件编号XF-2026-000123号')).toEqual(['案', '件', '编', '号', 'XF-2026-000123', '号']);
    expect(atoms('每平方米1.20元')).toEqual(['每', '平', '方', '米', '1.20', '元']);
    expect(atoms('see https://xf.jiangchuan.example now')).toEqual(['see', ' ', 'https://xf.jiangchuan.example', ' ', 'now']);
  });

  it('keeps a dash or an ellipsis pair together', () => {
    expect(atoms('等等……还有——就是')).toEqual(['等', '等', '……', '还', '有', '——', '就', '是']);
  });
});

describe('breakLines', () => {
  it('never starts a line with a closing mark: the last character moves down with it', () => {
    // 4 units per line; 四， would overhang, so 四 goes to the next line with its comma.
    expect(lines('一二三四，五六七八。', 4)).toEqual(['一二三', '四，五六', '七八。']);
  });

  it('never ends a line with an opening mark', () => {
    expect(lines('一二三《四五》六', 4)).toEqual(['一二三', '《四五》', '六']);
  });

  it('does not split a Latin word or number, moving it to the next line whole', () => {
    expect(lines('一二三四XF-0001', 6)).toEqual(['一二三四', 'XF-0001']);
  });

  it('splits a word wider than a whole line as the last resort', () => {
    expect(lines('abcdefghijkl', 3)).toEqual(['abcdef', 'ghijkl']);
  });

  it('indents the first line by giving it less room', () => {
    expect(lines('一二三四五六七八', 4, 2)).toEqual(['一二', '三四五六', '七八']);
  });

  it('drops spaces at line ends and marks only the last line as last', () => {
    const out = breakLines('ab cd ef gh', { first: 2.5, rest: 2.5 }, measure);
    expect(out.map((l) => l.text)).toEqual(['ab cd', 'ef gh']);
    expect(out.map((l) => l.last)).toEqual([false, true]);
  });

  it('holds the rules on random text: nothing lost, no forbidden line start or end, words whole', () => {
    // Prepare: a deterministic generator of mixed Chinese text
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let forced = 0;
    const pieces = ['信', '访', '事', '项', '，', '。', '、', '；', '：', '“', '”', '《', '》', '（', '）', 'XF-2026', '30', '——', '！'];
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 10 + Math.floor(rnd() * 60) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const width = 8 + Math.floor(rnd() * 12);

      // Act
      const out = lines(text, width);

      // Assess: nothing lost, nothing too wide
      expect(out.join('')).toBe(text);
      for (const l of out) expect(measure(l)).toBeLessThanOrEqual(width);
      // The rules hold unless a glued cluster is wider than a line (then it is split by force).
      if (clusters(text).some((c) => measure(c) > width)) {
        forced++;
        continue;
      }
      out.forEach((l, i) => {
        const first = [...l][0] ?? '';
        const last = [...l].pop() ?? '';
        if (i > 0) expect(NO_LINE_START.has(first), `line ${i} of ${JSON.stringify(out)} starts with ${first}`).toBe(false);
        if (i < out.length - 1) expect(NO_LINE_END.has(last), `line ${i} of ${JSON.stringify(out)} ends with ${last}`).toBe(false);
      });
      const breaks = out.slice(0, -1).map((_, i) => out.slice(0, i + 1).join('').length);
      for (const m of text.matchAll(/[\x21-\x7e]+|—+/g)) {
        const start = m.index;
        const end = start + m[0].length;
        expect(
          breaks.filter((b) => b > start && b < end),
          `${m[0]} split in ${JSON.stringify(out)}`,
        ).toEqual([]);
      }
    }
    expect(forced).toBeLessThan(30);
  });
});

describe('justificationGaps', () => {
  it('allows extra space between Chinese characters and around words, never inside a word', () => {
    expect(justificationGaps('编号XF-1，好')).toEqual([true, true, false, false, false, true, true, false]);
  });
});

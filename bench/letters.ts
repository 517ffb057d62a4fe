/**
 * Letters benchmark (issue 3): a one-page and a three-page handling opinion rendered in a warm
 * process (fonts loaded and parsed once, as in a warm Lambda). Figures: median and p95
 * milliseconds per letter over 30 runs after 5 warm-up runs, bytes per letter, and the cold
 * cost of loading the fonts. Targets on the reference machine: one page < 50 ms median and
 * < 100 KB.
 */
import type { BenchResult } from './result';
import { DEMO_LETTER_DATA, DEMO_OFFICE_CONFIG, buildLetterContent, demoLongFacts, loadLetterFonts, renderLetter, type LetterContent } from '../shared/letters';

const WARM_UP = 5;
const RUNS = 30;

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The demo handling opinion, trimmed to one page or stretched to three. */
function handlingOpinion(pages: 1 | 3): LetterContent {
  const demo = DEMO_LETTER_DATA['handling-opinion'];
  const opinion =
    pages === 1
      ? {
          ...demo.opinion,
          request: '请求停止执行上调后的物业服务费标准。',
          facts: '经查，该公司擅自上调物业服务费属实。',
          decision: '责成该公司停止执行上调后的收费标准。',
          legalBasis: '《物业管理条例》第四十一条',
        }
      : { ...demo.opinion, facts: demoLongFacts(11) };
  const subject = pages === 1 ? '反映清河小区物业服务费上调问题' : demo.subject;
  return buildLetterContent('handling-opinion', { ...demo, subject, opinion }, DEMO_OFFICE_CONFIG);
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const t0 = performance.now();
  const fonts = await loadLetterFonts();
  results.push({ name: 'letters.fonts.load-cold', value: round(performance.now() - t0), unit: 'ms' });

  for (const pages of [1, 3] as const) {
    const content = handlingOpinion(pages);
    for (let i = 0; i < WARM_UP; i++) await renderLetter(content, fonts);
    const times: number[] = [];
    let bytes = 0;
    let actualPages = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const out = await renderLetter(content, fonts);
      times.push(performance.now() - start);
      bytes = out.bytes.length;
      actualPages = out.pages;
    }
    if (actualPages !== pages) throw new Error(`the ${pages}-page benchmark letter has ${actualPages} pages`);
    times.sort((a, b) => a - b);
    const name = `letters.handling-opinion.${pages}-page`;
    results.push({ name: `${name}.median`, value: round(quantile(times, 0.5)), unit: 'ms' });
    results.push({ name: `${name}.p95`, value: round(quantile(times, 0.95)), unit: 'ms' });
    results.push({ name: `${name}.bytes`, value: bytes, unit: 'bytes' });
  }
  return results;
}

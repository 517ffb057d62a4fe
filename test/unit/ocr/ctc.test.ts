import { describe, expect, it } from 'vitest';
import { alphabetFromKeys, ctcGreedy } from '../../../shared/adapters/ocr/ctc';

/** A `steps × classes` output where step t puts probability p on class winners[t]. */
function output(winners: number[], classes: number, p = 0.9): Float32Array {
  const probs = new Float32Array(winners.length * classes).fill((1 - p) / (classes - 1));
  winners.forEach((c, t) => (probs[t * classes + c] = p));
  return probs;
}

describe('CTC greedy decoding', () => {
  const alphabet = alphabetFromKeys('信\n访\n件\n');

  it('reads the keys after the blank and a space last', () => {
    expect(alphabet).toEqual(['', '信', '访', '件', ' ']);
  });

  it('collapses repeats, drops blanks, and keeps a repeat that a blank separates', () => {
    const winners = [0, 1, 1, 0, 2, 2, 2, 0, 2, 4, 3, 0];
    const decoded = ctcGreedy(output(winners, 5), winners.length, 5, alphabet);
    expect(decoded.text).toBe('信访访 件');
  });

  it('gives the mean probability of the kept characters, and 0 for nothing', () => {
    const probs = output([1, 1, 2], 5, 0.8);
    probs[2 * 5 + 2] = 0.6; // the second character is less sure
    expect(ctcGreedy(probs, 3, 5, alphabet).confidence).toBeCloseTo(0.7);
    expect(ctcGreedy(output([0, 0], 5), 2, 5, alphabet)).toEqual({ text: '', confidence: 0 });
  });
});

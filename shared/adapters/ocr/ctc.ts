/**
 * CTC greedy decoding of the recognition model's output: the most likely class at each time
 * step, repeats collapsed, blanks (class 0) removed. The confidence is the mean probability of
 * the characters kept (as PaddleOCR computes it).
 */

export interface Decoded {
  text: string;
  /** Mean probability of the kept characters; 0 when none was kept. */
  confidence: number;
}

/**
 * `probs` is `steps × classes`, row-major; `alphabet[i]` is the character of class i (class 0,
 * the blank, is never emitted).
 */
export function ctcGreedy(probs: Float32Array, steps: number, classes: number, alphabet: readonly string[]): Decoded {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestP = probs[row]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += alphabet[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}

/** The model's alphabet from a PaddleOCR key file (one character a line): blank, the keys, then a space. */
export function alphabetFromKeys(keys: string): string[] {
  const lines = keys.split(/\r?\n/u);
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}

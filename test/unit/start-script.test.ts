/**
 * `npm start` runs local/start.ts in node with tsx's loader, not under the tsx command: tsx's signal
 * relay SIGKILLs a child that does not acknowledge a SIGINT/SIGTERM within 30 ms (a busy stack on a
 * loaded machine), so the stop was not clean and the next start walked and re-hashed every object in
 * s3rver's folder (11–29 s with 10,000 cases; issue 18 item 14).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('npm start', () => {
  it('runs local/start.ts under node --import tsx, without the tsx command and its signal relay', () => {
    expect(pkg.scripts.start).toBe('node --import tsx local/start.ts');
  });
});

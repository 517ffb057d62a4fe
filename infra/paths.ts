/**
 * Where things are on disk, resolved from this file so `cdk synth` (run from the repository root
 * by the CLI) and the CDK tests (run by vitest) agree.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The one lockfile: NodejsFunction needs it to find the project root. */
export const LOCKFILE = path.join(REPO_ROOT, 'package-lock.json');

export const TSCONFIG = path.join(REPO_ROOT, 'tsconfig.json');

/** Each function's entry: functions/<name>/handler.ts, exporting `handler`. */
export function functionEntry(name: string): string {
  return path.join(REPO_ROOT, 'functions', name, 'handler.ts');
}

/** The installed package of the CJK fonts the letters are set in (Noto Serif SC, SIL OFL). */
export const FONT_PACKAGE_DIR = path.join(REPO_ROOT, 'node_modules', '@expo-google-fonts', 'noto-serif-sc');

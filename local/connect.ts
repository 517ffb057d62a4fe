/**
 * For command-line tools (demo seeding, audit verification): the environment of the running
 * local stack, which `npm start` writes to .data/stack.json. When TABLE_NAME is already set
 * (for example against AWS, with credentials in the environment), it is used as it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENV } from '../shared/config/env';

export const STACK_FILE = 'stack.json';

export function defaultDataDir(): string {
  return resolve(process.env.XF_DATA_DIR ?? '.data');
}

/** Sets process.env from the running local stack unless the environment already names a table. */
export function useRunningStackEnv(dataDir = defaultDataDir()): void {
  if (process.env[ENV.tableName]) return;
  const file = join(dataDir, STACK_FILE);
  if (!existsSync(file)) {
    throw new Error(
      `No running local stack found (${file} is missing): start it with \`npm start\` in another terminal, or set ${ENV.tableName} and the other variables.`,
    );
  }
  const { env } = JSON.parse(readFileSync(file, 'utf8')) as { env: Record<string, string> };
  Object.assign(process.env, env);
}

#!/usr/bin/env node
/**
 * `npm run test:unit:no-java`: runs the unit project (`vitest run --project unit`) on a PATH whose
 * first `java` exits 1 at once, as on a machine without a working Java. The unit tests use the
 * in-memory fakes only; if anything in them started DynamoDB Local (which runs `java -jar …`), it
 * would fail here. Extra arguments go to vitest. Exits with vitest's status.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const bin = mkdtempSync(join(tmpdir(), 'no-java-'));
const java = join(bin, 'java');
writeFileSync(java, '#!/bin/sh\necho "java: not available on this machine (test:unit:no-java)" >&2\nexit 1\n');
chmodSync(java, 0o755);
try {
  const check = spawnSync('java', ['-version'], { env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` } });
  if (check.status !== 1) throw new Error(`the failing java is not the one on the PATH (java -version exited ${check.status})`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'unit', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, JAVA_HOME: bin },
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(bin, { recursive: true, force: true });
}

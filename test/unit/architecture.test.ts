/**
 * The layering rules of .dependency-cruiser.cjs (run by `npm run lint`) catch what they say they
 * catch. Each case writes a small tree of probe files into a temporary directory, laid out like
 * the repository (shared/domain/…, shared/storage/…), and cruises it with the project's own rule
 * set: a probe that breaks a rule must be reported under that rule's name, and the same tree
 * without the offending import must be clean.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as IConfiguration;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Writes the files (path → content) under a fresh temporary directory; returns it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'xf-layers-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The names of the rules the project's rule set reports for the tree. */
async function violations(root: string, ...paths: string[]): Promise<string[]> {
  const result = await cruise(paths, {
    baseDir: root,
    ruleSet: { forbidden: config.forbidden ?? [] },
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

/** A few modules with the names of the real ones, each exporting one value. */
const LAYERS = {
  'shared/domain/case.ts': "export const STATUS = 'registered';\n",
  'shared/storage/definitions.ts': "export const TABLE = { logicalName: 'Registry' };\n",
  'shared/letters/render.ts': 'export const renderLetter = (): Uint8Array => new Uint8Array();\n',
  'shared/app/ports.ts': 'export interface CaseRepository { get(caseNo: string): Promise<unknown> }\n',
  'shared/app/registry.ts':
    "import type { CaseRepository } from './ports';\nimport { STATUS } from '../domain/case';\nexport const use = (r: CaseRepository) => [r, STATUS];\n",
  'shared/adapters/repository.ts':
    "import type { CaseRepository } from '../app/ports';\nexport const make = (): CaseRepository => ({ get: async () => undefined });\n",
};

describe('the layering rules of npm run lint', () => {
  it('pass a tree that keeps every layer in its place', async () => {
    const root = tree(LAYERS);
    expect(await violations(root, 'shared')).toEqual([]);
  });

  it.each([
    ['../storage/definitions', 'storage keys'],
    ['../letters/render', 'the PDF renderer'],
    ['../app/ports', 'the ports of the use cases'],
  ])('fail when a domain module imports %s (%s)', async (target) => {
    const root = tree({ ...LAYERS, 'shared/domain/probe.ts': `import '${target}';\nexport const probe = 1;\n` });
    const found = await violations(root, 'shared');
    expect(found.some((v) => v.startsWith('domain-imports-only-domain: shared/domain/probe.ts'))).toBe(true);
  });

  it('fail on a type-only import from the domain as well', async () => {
    const root = tree({ ...LAYERS, 'shared/domain/probe.ts': "import type { CaseRepository } from '../app/ports';\nexport type Probe = CaseRepository;\n" });
    expect(await violations(root, 'shared')).toContain('domain-imports-only-domain: shared/domain/probe.ts → shared/app/ports.ts');
  });

  it('fail on a cycle of two files, anywhere', async () => {
    const root = tree({
      ...LAYERS,
      'functions/probe/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'functions/probe/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    const found = await violations(root, 'shared', 'functions');
    expect(found).toContain('no-circular: functions/probe/a.ts → functions/probe/b.ts');
  });

  it('fail on a cycle inside the domain, through types only', async () => {
    const root = tree({
      ...LAYERS,
      'shared/domain/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'shared/domain/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
    });
    expect((await violations(root, 'shared')).filter((v) => v.startsWith('no-circular'))).not.toEqual([]);
  });

  it('fail when a use case imports an adapter, or an adapter a use case', async () => {
    const root = tree({
      ...LAYERS,
      'shared/app/probe.ts': "import { make } from '../adapters/repository';\nexport const probe = make;\n",
      'shared/adapters/probe.ts': "import { use } from '../app/registry';\nexport const probe = use;\n",
    });
    const found = await violations(root, 'shared');
    expect(found).toContain('app-over-domain-and-ports: shared/app/probe.ts → shared/adapters/repository.ts');
    expect(found).toContain('adapters-implement-ports: shared/adapters/probe.ts → shared/app/registry.ts');
  });

  it('let the web import types from shared/ but a value only from a browser-safe module, which imports nothing else', async () => {
    const base = {
      ...LAYERS,
      'shared/domain/pii-validation.ts': 'export const valid = (s: string): boolean => s.length === 18;\n',
      'web/src/page.tsx':
        "import type { CaseRepository } from '../../shared/app/ports';\nimport { valid } from '../../shared/domain/pii-validation';\nexport const page = (r: CaseRepository) => [r, valid('x')];\n",
    };
    expect(await violations(tree(base), 'shared', 'web')).toEqual([]);
    const root = tree({ ...base, 'web/src/probe.tsx': "import { STATUS } from '../../shared/domain/case';\nexport const probe = STATUS;\n" });
    expect(await violations(root, 'shared', 'web')).toContain('web-types-only: web/src/probe.tsx → shared/domain/case.ts');
    const unsafe = tree({
      ...base,
      'shared/domain/pii-validation.ts': "import { STATUS } from './case';\nexport const valid = (s: string): boolean => s !== STATUS;\n",
    });
    expect(await violations(unsafe, 'shared', 'web')).toContain('browser-safe-stays-safe: shared/domain/pii-validation.ts → shared/domain/case.ts');
  });

  it('keep the unit tests, the fakes and the contract suites off the emulators, and the fakes off the adapters', async () => {
    const base = {
      ...LAYERS,
      'local/emulators.ts': 'export const startDynamoDbLocal = async (): Promise<void> => undefined;\n',
      'test/support/dynamodb.ts': "import { startDynamoDbLocal } from '../../local/emulators';\nexport const testDynamoDb = startDynamoDbLocal;\n",
      'test/support/fakes/repository.ts':
        "import type { CaseRepository } from '../../../shared/app/ports';\nexport const fake = (): CaseRepository => ({ get: async () => undefined });\n",
      'test/unit/use-case.test.ts':
        "import { fake } from '../support/fakes/repository';\nimport { use } from '../../shared/app/registry';\nexport const t = use(fake());\n",
      'test/adapter/contract.test.ts':
        "import { make } from '../../shared/adapters/repository';\nimport { testDynamoDb } from '../support/dynamodb';\nexport const t = [make, testDynamoDb];\n",
    };
    expect(await violations(tree(base), 'shared', 'local', 'test')).toEqual([]);
    const root = tree({
      ...base,
      'test/unit/probe.test.ts': "import { testDynamoDb } from '../support/dynamodb';\nexport const probe = testDynamoDb;\n",
      'test/support/fakes/probe.ts': "import { make } from '../../../shared/adapters/repository';\nexport const probe = make;\n",
      'test/support/contracts/probe.ts': "import { startDynamoDbLocal } from '../../../local/emulators';\nexport const probe = startDynamoDbLocal;\n",
    });
    const found = await violations(root, 'shared', 'local', 'test');
    expect(found).toContain('unit-tests-without-emulators: test/unit/probe.test.ts → test/support/dynamodb.ts');
    expect(found).toContain('unit-tests-without-emulators: test/support/contracts/probe.ts → local/emulators.ts');
    expect(found).toContain('fakes-and-contracts-over-ports: test/support/fakes/probe.ts → shared/adapters/repository.ts');
  });

  it('refuse a unit test that reaches the emulators through other modules', async () => {
    const base = {
      ...LAYERS,
      'local/emulators.ts': 'export const startDynamoDbLocal = async (): Promise<void> => undefined;\n',
      'local/seed.ts': "import { startDynamoDbLocal } from './emulators';\nexport const seed = startDynamoDbLocal;\n",
      'local/demo-data.ts': "import { STATUS } from '../shared/domain/case';\nexport const demo = STATUS;\n",
      'test/unit/demo.test.ts': "import { demo } from '../../local/demo-data';\nexport const t = demo;\n",
    };
    expect(await violations(tree(base), 'shared', 'local', 'test')).toEqual([]);
    const root = tree({ ...base, 'test/unit/probe.test.ts': "import { seed } from '../../local/seed';\nexport const probe = seed;\n" });
    expect(await violations(root, 'shared', 'local', 'test')).toEqual(['unit-tests-never-reach-emulators: test/unit/probe.test.ts → local/emulators.ts']);
  });

  it('is what npm run lint runs', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toContain('lint:layers');
    expect(pkg.scripts['lint:layers']).toMatch(/^depcruise .*--config \.dependency-cruiser\.cjs/);
    for (const dir of ['shared', 'functions', 'infra', 'local', 'web/src', 'scripts', 'bench', 'test']) expect(pkg.scripts['lint:layers']).toContain(` ${dir}`);
  });
});

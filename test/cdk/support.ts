/**
 * Shared by the CDK tests: synthesize the registry stack once per test file, and read what a
 * function's role may do out of the template. Bundling every function with esbuild is most of a
 * synth's time and changes nothing in the template but asset hashes, so only a test that reads
 * the bundles (resources.test.ts) asks for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import { createRegistryStack, type RegistryStack } from '../../infra/stack';
import type { FunctionName } from '../../shared/http/routes';

/** Synthesis (with bundling, in resources.test.ts) can take minutes on a busy machine: give beforeAll room. */
export const SYNTH_TIMEOUT_MS = 600_000;

export const TEST_ORIGIN = 'https://xinfang.example.gov.cn';

/**
 * A tiny stand-in for web/dist (index.html and one hashed asset), so the tests neither build the
 * application with Vite nor depend on a build being present. Same content every time.
 */
export function fakeWebDist(): string {
  const dir = path.join(os.tmpdir(), 'xf-cdk-test-web-dist');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><script type="module" src="./assets/index-test.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  writeFileSync(path.join(dir, 'assets', 'index-test.js'), 'console.log("xinfang");\n');
  return dir;
}

export interface Synthesized {
  app: App;
  stack: RegistryStack;
  template: Template;
}

/** An app that stages the functions' code unbundled: the templates are the same, but for asset hashes. */
export function unbundledApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

export function synthesize(options: { bundle?: boolean } = {}): Synthesized {
  const app = options.bundle ? new App() : unbundledApp();
  const stack = createRegistryStack(app, 'RegistryTest', { webOrigins: [TEST_ORIGIN], webDist: fakeWebDist() });
  return { app, stack, template: Template.fromStack(stack) };
}

export function logicalId(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId) as string;
}

export type Json = Record<string, unknown>;

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

/** Every Allow statement of every policy attached to the function's role. */
export function statementsOf(s: Synthesized, fn: FunctionName): Statement[] {
  const roleId = logicalId(s.stack.functions[fn].role.node.defaultChild as CfnResource);
  const policies = s.template.findResources('AWS::IAM::Policy');
  const out: Statement[] = [];
  for (const policy of Object.values(policies) as Json[]) {
    const props = policy.Properties as { Roles: Json[]; PolicyDocument: { Statement: Statement[] } };
    if (!props.Roles.some((r) => r.Ref === roleId)) continue;
    out.push(...props.PolicyDocument.Statement.filter((st) => st.Effect === 'Allow'));
  }
  return out;
}

export const actionsOf = (st: Statement): string[] => (Array.isArray(st.Action) ? st.Action : [st.Action]);
export const resourcesOf = (st: Statement): unknown[] => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]);

/** All actions the function's role allows, sorted and de-duplicated. */
export function allActionsOf(s: Synthesized, fn: FunctionName): string[] {
  return [...new Set(statementsOf(s, fn).flatMap(actionsOf))].sort();
}

/** Statements granting an action of one service (`dynamodb`, `s3`, ...). */
export function statementsFor(s: Synthesized, fn: FunctionName, service: string): Statement[] {
  return statementsOf(s, fn).filter((st) => actionsOf(st).some((a) => a.startsWith(`${service}:`)));
}

/** `{ "Fn::Join": ["", [{ "Fn::GetAtt": [id, "Arn"] }, "/uploads/*"]] }` → `"<id>/uploads/*"`. */
export function flattenArn(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Json;
  if (r['Fn::GetAtt']) return `<${(r['Fn::GetAtt'] as string[])[0]}>`;
  if (r.Ref) return `<${r.Ref as string}>`;
  if (r['Fn::Join']) {
    const [sep, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenArn).join(sep);
  }
  return JSON.stringify(resource);
}

/**
 * cdk-nag's AWS Solutions checks. cdk-nag 3 is a CDK policy-validation plugin rather than an
 * Aspect that writes annotations, so the stack is checked two ways: the pack's own
 * `validateScope` (a readable list of findings), and a full synth of a fresh app with the plugin
 * registered the way infra/app.ts registers it (what `cdk synth` runs; it throws on a finding).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistryStack } from '../../infra/stack';
import { fakeWebDist, SYNTH_TIMEOUT_MS, synthesize, TEST_ORIGIN, type Synthesized } from './support';

let s: Synthesized;

beforeAll(() => {
  s = synthesize();
}, SYNTH_TIMEOUT_MS);

interface Ack {
  path: string;
  id: string;
  reason: string;
}

/** Every acknowledgement recorded in the stack, with where and why. */
function acknowledgements(): Ack[] {
  const out: Ack[] = [];
  for (const c of s.stack.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

/** Bucket-prefix findings differ only by prefix and logical id: group them for the review list. */
const ruleOf = (id: string): string =>
  id
    .replace(/\[Resource::<DocumentsBucket\w+\.Arn>\/\w+\/\*\]$/, '[Resource::<DocumentsBucket>/<prefix>/*]')
    .replace(/\[Resource::<Fn[\w]+Function\w+\.Arn>:\*\]$/, '[Resource::<Function>:*]')
    .replace(/\[Resource::<ArchiveBucket\w+\.Arn>\/packages\/\*\]$/, '[Resource::<ArchiveBucket>/packages/*]')
    .replace(/\[Resource::<WebBucket\w+\.Arn>\/\*\]$/, '[Resource::<WebBucket>/*]');

describe('cdk-nag AWS Solutions checks', () => {
  it('find nothing unacknowledged in the stack', () => {
    const report = new AwsSolutionsChecks().validateScope(s.stack);
    const errors = report.violations.filter((v) => v.severity === 'error');
    const warnings = report.violations.filter((v) => v.severity !== 'error');
    console.log(`cdk-nag AwsSolutions: ${errors.length} errors, ${warnings.length} warnings, ${acknowledgements().length} acknowledgements`);
    expect(errors.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    // An unacknowledged warning fails `cdk synth` as well (cdk-nag 3 reports it as a violation).
    expect(warnings.map((v) => v.ruleName)).toEqual([]);
  });

  it('let a full synth pass with the plugin registered, as `cdk synth` runs it', () => {
    const app = new App();
    createRegistryStack(app, 'RegistryNagSynth', { webOrigins: [TEST_ORIGIN], webDist: fakeWebDist() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  }, SYNTH_TIMEOUT_MS);

  it('acknowledge only the reviewed rules, each with a written reason', () => {
    const acks = acknowledgements();
    for (const ack of acks) expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(60);
    expect([...new Set(acks.map((a) => ruleOf(a.id)))].sort()).toEqual(
      [
        'AwsSolutions-APIG4', // the public routes: the OpenAPI document and the petitioner's query
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', // CDK's bucket-notifications handler
        'AwsSolutions-IAM5[Resource::*]', // X-Ray
        'AwsSolutions-IAM5[Resource::<DocumentsBucket>/<prefix>/*]', // object keys under registry-chosen prefixes
        'AwsSolutions-IAM5[Resource::<ArchiveBucket>/packages/*]', // archived packages, keys chosen by the registry
        'AwsSolutions-IAM5[Resource::<Function>:*]', // a scheduler role invoking its one function (CDK grants <arn>:* for versions)
        'AwsSolutions-SQS3', // the notice sender's failure queue is an event source mapping's destination
        'AwsSolutions-L1', // Node 22 by choice
        'AwsSolutions-SMG4', // the PII hash key must not rotate; the cursor key needs no rotation function
        'AwsSolutions-CFR1', // the web app: no geo restriction
        'AwsSolutions-CFR2', // the web app: no WAF (static files only)
        'AwsSolutions-CFR4', // the web app without a custom domain: default certificate
        'AwsSolutions-IAM5[Action::s3:GetObject*]', // CDK's BucketDeployment handler (the next five too)
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Resource::<WebBucket>/*]',
      ].sort(),
    );
  });
});

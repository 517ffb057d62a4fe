/**
 * The policy checks of every synth (infra/checks.ts): cdk-nag's AWS Solutions checks and AWS
 * Control Tower's proactive controls through cfn-guard. cdk-nag 3 is a CDK policy-validation plugin
 * rather than an Aspect that writes annotations, so the stack is checked two ways: the pack's own
 * `validateScope` (a readable list of findings), and a full synth of a fresh app with both plugins
 * registered the way infra/app.ts registers them (what `cdk synth` runs; it throws on a finding).
 * The cfn-guard findings of that synth are then read from its plugin.
 */
import { readFileSync } from 'node:fs';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerPolicyChecks } from '../../infra/checks';
import type { ControlTowerChecks, GuardResult } from '../../infra/control-tower';
import { createRegistryStack } from '../../infra/stack';
import { fakeWebDist, SYNTH_TIMEOUT_MS, synthesize, TEST_ORIGIN, unbundledApp, type Synthesized } from './support';

let s: Synthesized;
let controlTower: ControlTowerChecks;
let fullSynthError: unknown;

beforeAll(() => {
  s = synthesize();
  // The full synth, as `cdk synth` runs it: both plugins registered by the app's own function.
  const app = unbundledApp();
  createRegistryStack(app, 'RegistryNagSynth', { webOrigins: [TEST_ORIGIN], webDist: fakeWebDist() });
  controlTower = registerPolicyChecks(app).controlTower;
  try {
    app.synth();
  } catch (error) {
    fullSynthError = error;
  }
}, 2 * SYNTH_TIMEOUT_MS);

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

  it('let a full synth pass with the plugins registered, as `cdk synth` runs it', () => {
    expect(fullSynthError).toBeUndefined();
  });

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

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  const result = (): GuardResult => {
    if (!controlTower.lastResult) throw new Error('the full synth did not run the Control Tower check');
    return controlTower.lastResult;
  };

  it('find nothing unsuppressed, and no suppression is stale', () => {
    const r = result();
    console.log(`cfn-guard Control Tower: ${r.rulesRun} rules run, ${r.unsuppressed.length} unsuppressed, ${r.suppressed.length} suppressed`);
    expect(r.rulesRun).toBeGreaterThan(30);
    expect(r.unsuppressed.map((f) => `${f.rule} @ ${f.resource}: ${f.description}`)).toEqual([]);
    expect(r.unused).toEqual([]);
  });

  it('suppress only the reviewed rules, each on named resources with a written reason', () => {
    const r = result();
    for (const f of r.suppressed) expect(f.reason.length, `${f.rule} @ ${f.resource}`).toBeGreaterThan(60);
    // Rule → the resource types it is suppressed on (counts would change with every new route or function).
    const template = JSON.parse(readFileSync((r.suppressed[0] as { template: string }).template, 'utf8')) as { Resources: Record<string, { Type: string }> };
    const byRule: Record<string, string[]> = {};
    for (const f of r.suppressed) byRule[f.rule] = [...new Set([...(byRule[f.rule] ?? []), template.Resources[f.resource]?.Type ?? '?'])].sort();
    expect(byRule).toEqual({
      api_gw_v2_authorization_type_configured_check: ['AWS::ApiGatewayV2::Route'], // the public routes (as AwsSolutions-APIG4)
      cloudfront_custom_ssl_certificate_check: ['AWS::CloudFront::Distribution'], // no custom domain: the default certificate (the next two too)
      cloudfront_origin_failover_enabled_check: ['AWS::CloudFront::Distribution'], // one S3 origin with the static application
      cloudfront_security_policy_check: ['AWS::CloudFront::Distribution'],
      cloudfront_sni_enabled_check: ['AWS::CloudFront::Distribution'],
      cloudwatch_alarm_action_check: ['AWS::CloudWatch::Alarm'], // no alarmTopicArn given: the office chooses who is told
      lambda_function_public_access_prohibited_check: ['AWS::Lambda::Permission'], // API Gateway's, scoped by a composed SourceArn
      lambda_inside_vpc_check: ['AWS::Lambda::Function'], // no private resource to reach
      s3_bucket_default_encryption_kms_check: ['AWS::S3::Bucket'], // access-log buckets (SSE-S3 by necessity), the public web application
      s3_bucket_logging_enabled_check: ['AWS::S3::Bucket'], // the access-log bucket itself
      s3_bucket_object_lock_enabled_check: ['AWS::S3::Bucket'], // only the archive is immutable; working files, logs and the web app change
      s3_event_notifications_enabled_check: ['AWS::S3::Bucket'], // documents: CDK's notification resource; the others: nothing to react to
      sqs_dlq_check: ['AWS::SQS::Queue'], // the dead-letter queues themselves
    });
    // The stores of case data follow every rule about encryption and logging (nothing suppressed there).
    const onStores = r.suppressed.filter((f) => /^(Documents|Archive)Bucket|^Registry(Table|Key)|^(Documents|Archive)Key|^LogsKey/.test(f.resource));
    expect(onStores.map((f) => `${f.rule} @ ${f.resource.replace(/[0-9A-F]{8}$/, '')}`).sort()).toEqual([
      's3_bucket_object_lock_enabled_check @ DocumentsBucket',
      's3_event_notifications_enabled_check @ ArchiveBucket',
      's3_event_notifications_enabled_check @ DocumentsBucket',
    ]);
  });
});

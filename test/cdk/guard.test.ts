/**
 * The cfn-guard wrapper (infra/control-tower.ts) on small hand-written templates: it reports what
 * the Control Tower rules find, drops exactly the (rule, resource) pairs a resource suppresses
 * with a reason, lists stale suppressions, and fails the synth on anything else. The registry's
 * own stack is checked in test/cdk/nag.test.ts (default settings, the full synth `cdk synth` runs)
 * and test/cdk/web.test.ts (with a custom domain and an alarm topic).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IPolicyValidationContextBeta1 } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { checkTemplates, ControlTowerChecks } from '../../infra/control-tower';

const dir = mkdtempSync(path.join(os.tmpdir(), 'xf-guard-'));
const GUARD_TIMEOUT_MS = 120_000;

function templateFile(name: string, resources: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.template.json`);
  writeFileSync(file, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
  return file;
}

/** A bucket with no access logging and a queue with no dead-letter queue: two known findings. */
const looseBucket = { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } };
const looseQueue = { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } };
const pairs = (fs: { rule: string; resource: string }[]): string[] => fs.map((f) => `${f.rule} @ ${f.resource}`).sort();

describe('the Control Tower check (cfn-guard)', () => {
  it(
    'reports a bucket without access logging and a queue without a dead-letter queue',
    () => {
      const file = templateFile('loose', { LooseBucket: looseBucket, LooseQueue: looseQueue });
      const result = checkTemplates([file], { services: ['s3', 'sqs'] });
      expect(result.suppressed).toEqual([]);
      expect(pairs(result.unsuppressed)).toContain('s3_bucket_logging_enabled_check @ LooseBucket');
      expect(pairs(result.unsuppressed)).toContain('sqs_dlq_check @ LooseQueue');
      const logging = result.unsuppressed.find((f) => f.rule === 's3_bucket_logging_enabled_check');
      expect(logging?.description).toContain('[CT.S3.PR.2]');
    },
    GUARD_TIMEOUT_MS,
  );

  it(
    'drops only the finding a resource suppresses, with its reason, and lists stale suppressions',
    () => {
      const reason = 'This bucket receives the access logs of the others; logging it into itself would not end.';
      const file = templateFile('suppressed', {
        LooseBucket: {
          ...looseBucket,
          Metadata: {
            cfn_guard: {
              rules_to_suppress: [
                { id: 's3_bucket_logging_enabled_check', reason },
                { id: 'sqs_dlq_check', reason: 'Not a queue: a stale suppression.' },
                { id: 'no_such_rule_check', reason: 'A misspelt rule name: stale as well.' },
                { id: 'lambda_inside_vpc_check', reason: 'A rule of a service not run here: not judged.' },
              ],
            },
          },
        },
        LooseQueue: looseQueue,
      });
      const result = checkTemplates([file], { services: ['s3', 'sqs'] });
      expect(result.suppressed.map((f) => [f.rule, f.resource, f.reason])).toEqual([['s3_bucket_logging_enabled_check', 'LooseBucket', reason]]);
      expect(pairs(result.unsuppressed)).not.toContain('s3_bucket_logging_enabled_check @ LooseBucket');
      // A suppression names a resource: the queue's finding stays although the bucket suppresses that rule.
      expect(pairs(result.unsuppressed)).toContain('sqs_dlq_check @ LooseQueue');
      expect(result.unused).toEqual([
        { template: file, resource: 'LooseBucket', rule: 'sqs_dlq_check' },
        { template: file, resource: 'LooseBucket', rule: 'no_such_rule_check' },
      ]);
    },
    GUARD_TIMEOUT_MS,
  );

  it(
    'runs only the rules about resource types the template has',
    () => {
      const file = templateFile('queue-only', { LooseQueue: looseQueue });
      const result = checkTemplates([file]);
      expect(result.rulesRun).toBeGreaterThan(0);
      expect(result.rulesRun).toBeLessThan(20);
      expect(pairs(result.unsuppressed)).toEqual(['sqs_dlq_check @ LooseQueue']);
    },
    GUARD_TIMEOUT_MS,
  );

  it(
    'as a synth plugin, fails on an unsuppressed finding and passes a clean template',
    () => {
      const plugin = new ControlTowerChecks();
      const bad = plugin.validate({ templatePaths: [templateFile('plugin-bad', { LooseQueue: looseQueue })] } as IPolicyValidationContextBeta1);
      expect(bad.success).toBe(false);
      expect(bad.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.resourceLogicalId)])).toEqual([['sqs_dlq_check', ['LooseQueue']]]);
      expect(bad.violations[0]?.fix).toContain('suppressGuard');

      const dlq = { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } };
      const good = plugin.validate({
        templatePaths: [
          templateFile('plugin-good', {
            Dlq: { ...dlq, Metadata: { cfn_guard: { rules_to_suppress: [{ id: 'sqs_dlq_check', reason: 'The dead-letter queue itself.' }] } } },
            Work: { ...dlq, Properties: { ...dlq.Properties, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 } } },
          }),
        ],
      } as IPolicyValidationContextBeta1);
      expect(good.violations).toEqual([]);
      expect(good.success).toBe(true);
    },
    GUARD_TIMEOUT_MS,
  );
});

/**
 * The CloudFront WAF (infra/waf-stack.ts): its own stack in us-east-1 (refused elsewhere), rate
 * rules per client IP answering 429 in Chinese, cdk-nag and Control Tower's cfn-guard clean; and
 * the registry's distribution takes the web ACL given by ARN.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { registerPolicyChecks } from '../../infra/checks';
import { createRegistryStack } from '../../infra/stack';
import { EdgeWafStack } from '../../infra/waf-stack';
import { fakeWebDist, SYNTH_TIMEOUT_MS, TEST_ORIGIN, unbundledApp } from './support';

const ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/xinfang/abc';

describe('the CloudFront WAF', () => {
  it(
    'is a CLOUDFRONT web ACL in us-east-1 with rate rules per IP that answer 429, and passes cdk-nag and cfn-guard',
    () => {
      const app = new App();
      const stack = new EdgeWafStack(app, 'WafTest', { env: { region: 'us-east-1', account: '123456789012' } });
      const checks = registerPolicyChecks(app);
      app.synth();
      const acl = Template.fromStack(stack).findResources('AWS::WAFv2::WebACL');
      const props = (
        Object.values(acl)[0] as {
          Properties: {
            Scope: string;
            Rules: { Name: string; Action: unknown; Statement: { RateBasedStatement: { AggregateKeyType: string; Limit: number } } }[];
          };
        }
      ).Properties;
      expect(props.Scope).toBe('CLOUDFRONT');
      expect(props.Rules.map((r) => [r.Name, r.Statement.RateBasedStatement.AggregateKeyType, r.Statement.RateBasedStatement.Limit])).toEqual([
        ['PageLoadsPerIp', 'IP', 200],
        ['RequestsPerIp', 'IP', 1000],
      ]);
      expect(props.Rules.every((r) => JSON.stringify(r.Action).includes('"ResponseCode":429'))).toBe(true);
      const nag = new AwsSolutionsChecks().validateScope(stack);
      expect(nag.violations.map((v) => v.ruleName)).toEqual([]);
      expect(checks.controlTower.lastResult?.unsuppressed.map((f) => f.rule) ?? []).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('refuses another region', () => {
    expect(() => new EdgeWafStack(new App(), 'WafElsewhere', { env: { region: 'cn-north-1', account: '123456789012' } })).toThrow(/us-east-1/);
  });

  it(
    'is attached to the distribution when its ARN is given',
    () => {
      const stack = createRegistryStack(unbundledApp(), 'RegistryWaf', { webOrigins: [TEST_ORIGIN], webDist: fakeWebDist(), webAclArn: ACL });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { WebACLId: ACL } });
    },
    SYNTH_TIMEOUT_MS,
  );
});

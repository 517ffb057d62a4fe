/**
 * The WAF in front of the web application's CloudFront distribution (the public pages: 信访事项查询
 * and 网上信访, docs/online.md). A web ACL of CLOUDFRONT scope must live in us-east-1, whatever
 * the region of the registry, so it is a stack of its own: `npx cdk deploy -c edgeWaf=true
 * XinfangRegistryEdgeWaf` first (it outputs the ARN), then the registry with `-c webAclArn=<that
 * ARN>`, which attaches it to the distribution (docs/deploy.md). The HTTP API is not behind
 * CloudFront and takes no WAF: the registry's own limits (per case, client IP, number, ID number,
 * day; 429) and the stage's throttling protect it.
 *
 * Rules (rate-based, per client IP, over 5 minutes): every request, and page loads of the
 * application (`/`, `/index.html`) — where the public pages start — more tightly. A refusal is a
 * 429 with a message in Chinese.
 */
import { CfnOutput, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeWafProps extends StackProps {
  /** Requests per client IP per 5 minutes, every path (default 1000). */
  perIpLimit?: number;
  /** Page loads (`/`, `/index.html`) per client IP per 5 minutes (default 200). */
  pageLoadsPerIpLimit?: number;
}

export const EDGE_WAF_REGION = 'us-east-1';

const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

export class EdgeWafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWafProps = {}) {
    super(scope, id, props);
    // Honest about the constraint: a CLOUDFRONT-scope web ACL can only be created in us-east-1.
    if (!Token.isUnresolved(this.region) && this.region !== EDGE_WAF_REGION) {
      throw new Error(`The CloudFront web ACL must be deployed in ${EDGE_WAF_REGION}, not ${this.region} (env.region of ${id})`);
    }
    const block = { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rate-limited' } } };
    this.webAcl = new wafv2.CfnWebACL(this, 'PublicPages', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Xinfang registry - rate limits per client IP in front of the web application, the public pages',
      visibilityConfig: visibility('XinfangEdgeWaf'),
      customResponseBodies: { 'rate-limited': { contentType: 'TEXT_PLAIN', content: '请求过于频繁，请稍后再试。' } },
      rules: [
        {
          name: 'PageLoadsPerIp',
          priority: 0,
          action: block,
          visibilityConfig: visibility('PageLoadsPerIp'),
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.pageLoadsPerIpLimit ?? 200,
              evaluationWindowSec: 300,
              scopeDownStatement: {
                orStatement: {
                  statements: ['/', '/index.html'].map((path) => ({
                    byteMatchStatement: {
                      fieldToMatch: { uriPath: {} },
                      positionalConstraint: 'EXACTLY',
                      searchString: path,
                      textTransformations: [{ priority: 0, type: 'NONE' }],
                    },
                  })),
                },
              },
            },
          },
        },
        {
          name: 'RequestsPerIp',
          priority: 1,
          action: block,
          visibilityConfig: visibility('RequestsPerIp'),
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: props.perIpLimit ?? 1000, evaluationWindowSec: 300 } },
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn, description: 'Give it to the registry stack as -c webAclArn=<this>' });
  }
}

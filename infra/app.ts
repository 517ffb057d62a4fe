/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). Synthesizes offline: no lookups, no Docker,
 * an environment-agnostic stack (account and region come from the deploy credentials).
 *
 * cdk-nag's AWS Solutions checks and AWS Control Tower's proactive controls (cfn-guard) run on
 * every synth as policy-validation plugins (infra/checks.ts): a finding that is not acknowledged
 * or suppressed with a reason fails `cdk synth` with a report (cdk.out/policy-validation-report.json).
 *
 * The web application (web/dist) is deployed by the stack: it is built here with Vite when it is
 * missing or older than its sources (as `npm start` does), so `cdk synth` / `cdk deploy` always
 * ship the current sources. `-c webDist=<dir>` deploys an existing build instead, unchanged.
 */
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ensureWebBuild, WEB_DIST } from '../local/web';
import { registerPolicyChecks } from './checks';
import { createRegistryStack, propsFromContext } from './stack';
import { EDGE_WAF_REGION, EdgeWafStack } from './waf-stack';

const app = new App();
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'XinfangRegistry';

const webDistContext = app.node.tryGetContext('webDist') as string | undefined;
let webDist = WEB_DIST;
if (webDistContext) {
  webDist = path.resolve(webDistContext);
} else {
  try {
    const { built, ms } = await ensureWebBuild({ quiet: true });
    if (built) console.error(`Built the web application into ${WEB_DIST} (${(ms / 1000).toFixed(1)} s)`);
  } catch (error) {
    throw new Error(`Building the web application failed; fix it, or run \`npm run build:web\` to see why: ${String(error)}`, { cause: error });
  }
}

createRegistryStack(app, stackName, {
  ...propsFromContext(app),
  webDist,
  description: 'Xinfang (信访) case registry: HTTP API, functions, table, documents bucket, user pool, web application',
});

// The CloudFront web ACL, in us-east-1 (a stack of its own, opt-in): infra/waf-stack.ts, docs/deploy.md.
if (app.node.tryGetContext('edgeWaf') === 'true' || app.node.tryGetContext('edgeWaf') === true) {
  new EdgeWafStack(app, `${stackName}EdgeWaf`, {
    env: { region: EDGE_WAF_REGION, ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) },
    description: 'Xinfang (信访) case registry: WAF rate rules for the web application (CloudFront, us-east-1)',
  });
}

registerPolicyChecks(app);

app.synth();

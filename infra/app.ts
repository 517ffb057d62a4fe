/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). Synthesizes offline: no lookups, no Docker,
 * an environment-agnostic stack (account and region come from the deploy credentials).
 *
 * cdk-nag's AWS Solutions checks run on every synth. cdk-nag 3 is a policy-validation plugin
 * (`Validations.of(app).addPlugins(...)`, not an Aspect): a finding that is not acknowledged
 * fails `cdk synth` with a report (cdk.out/policy-validation-report.json).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createRegistryStack, propsFromContext } from './stack';

const app = new App();
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'XinfangRegistry';

createRegistryStack(app, stackName, {
  ...propsFromContext(app),
  description: 'Xinfang (信访) case registry: HTTP API, functions, table, documents bucket, user pool',
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();

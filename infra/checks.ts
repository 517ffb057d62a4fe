/**
 * The policy checks every synth runs (registered by infra/app.ts, and the same way by the CDK tests):
 * cdk-nag's AWS Solutions pack, and AWS Control Tower's proactive controls through cfn-guard
 * (infra/control-tower.ts). Either one fails the synth on a finding that is not acknowledged
 * (cdk-nag, infra/constructs/nag.ts) or suppressed (cfn-guard, infra/constructs/guard.ts) in the
 * code with a written reason; the findings are listed in cdk.out/policy-validation-report.json.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ControlTowerChecks } from './control-tower';

export function registerPolicyChecks(app: App): { nag: AwsSolutionsChecks; controlTower: ControlTowerChecks } {
  const checks = { nag: new AwsSolutionsChecks(app), controlTower: new ControlTowerChecks() };
  Validations.of(app).addPlugins(checks.nag, checks.controlTower);
  return checks;
}

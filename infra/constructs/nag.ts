/**
 * cdk-nag acknowledgements (cdk-nag 3 calls them that; v2 called them suppressions). cdk-nag 3
 * runs as a CDK policy-validation plugin and reads acknowledgements recorded with
 * `Validations.of(construct).acknowledge(...)`; one id per call, and a rule that reports several
 * findings on a resource (IAM5) is acknowledged per finding: `AwsSolutions-IAM5[Resource::...]`.
 *
 * Every acknowledgement in this stack goes through here, so a reviewer can grep one name.
 */
import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The `<LogicalId.Arn>` form cdk-nag uses for a resource ARN inside an IAM5 finding id. */
export function arnToken(resource: CfnResource): string {
  const logicalId = Stack.of(resource).resolve(resource.logicalId) as string;
  return `<${logicalId}.Arn>`;
}

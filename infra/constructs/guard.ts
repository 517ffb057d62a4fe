/**
 * cfn-guard suppressions: a Control Tower proactive rule (infra/control-tower.ts) that does not
 * apply to one resource is suppressed on that resource, with the reason, the way cdk-nag findings
 * are acknowledged (infra/constructs/nag.ts). The suppression is written into the resource's
 * template metadata (`Metadata.cfn_guard.rules_to_suppress: [{ id, reason }]`, the shape cdk-nag 2
 * used), so the synthesized template says next to each resource which rule it does not follow and
 * why; the checker drops exactly those (rule, resource) findings and fails on every other.
 *
 * Every suppression in this stack goes through here, so a reviewer can grep one name.
 */
import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const GUARD_METADATA_KEY = 'cfn_guard';

export interface GuardSuppression {
  /** The rule's name as cfn-guard reports it, e.g. `s3_bucket_logging_enabled_check`. */
  id: string;
  reason: string;
}

function cfnResourceOf(scope: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(scope)) return scope;
  const child = scope.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new Error(`suppressGuard: ${scope.node.path} is not a CloudFormation resource and has none as its default child`);
}

/** Suppresses one Control Tower rule on one resource (the construct or its default child). */
export function suppressGuard(scope: IConstruct, id: string, reason: string): void {
  if (!/^[a-z0-9_]+$/.test(id)) throw new Error(`suppressGuard: "${id}" is not a cfn-guard rule name`);
  if (reason.trim().length === 0) throw new Error(`suppressGuard: ${id} on ${scope.node.path} needs a reason`);
  const resource = cfnResourceOf(scope);
  const existing = (resource.getMetadata(GUARD_METADATA_KEY) as { rules_to_suppress?: GuardSuppression[] } | undefined)?.rules_to_suppress ?? [];
  if (existing.some((s) => s.id === id)) return;
  resource.addMetadata(GUARD_METADATA_KEY, { rules_to_suppress: [...existing, { id, reason }] });
}

/** A dead-letter queue needs no dead-letter queue of its own (CT.SQS.PR.4 asks every queue for one). */
export function suppressDeadLetterQueueOfItsOwn(queue: IConstruct): void {
  suppressGuard(
    queue,
    'sqs_dlq_check',
    'This queue is itself the dead-letter queue (or failure destination) of a function: messages land here after all retries and stay 14 days, with an alarm on any message. Nothing consumes it automatically, so nothing could fail and need a further queue.',
  );
}

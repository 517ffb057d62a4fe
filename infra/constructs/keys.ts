/**
 * The stack's customer-managed KMS keys: one per store (table, documents, archive) and one for the
 * log groups, each rotating yearly, retained on stack deletion, and limiting grants to AWS
 * services (Control Tower CT.KMS.PR.3): a grant lets its holder use the key without any policy
 * naming them, so only a service acting for a resource (DynamoDB for the table) may create one.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export function registryKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, { description, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return key;
}

/**
 * The key of every log group of the stack (functions, API access logs): CloudWatch Logs of this
 * account and region may use it for log groups only (the encryption context names the log group).
 */
export function logsKey(scope: Construct, id: string): kms.Key {
  const key = registryKey(scope, id, 'Xinfang registry: encrypts the log groups (functions, API access logs)');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
    }),
  );
  return key;
}

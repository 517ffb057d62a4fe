/**
 * SMS to petitioners (网上信访, docs/online.md) through AWS End User Messaging SMS: a configuration
 * set of the registry, and the office's registered sender. China requires a registered sender ID
 * and approved templates; the registration is a manual process with the carriers, so the sender is
 * not created here but named by context: `smsOriginationIdentity` (the ARN of a phone number,
 * sender ID or pool the office registered), else the sender ID `smsSenderId` (default XINFANG) for
 * CN in this account and region. The grants (infra/constructs/registry-function.ts, bindSms) name
 * exactly that sender and this configuration set.
 */
import { Stack } from 'aws-cdk-lib';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import { Construct } from 'constructs';
import type { RegistryFunction } from './registry-function';

export class SmsSenderConfig extends Construct {
  readonly originationIdentityArn: string;
  readonly configurationSet: smsvoice.CfnConfigurationSet;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const ctx = (k: string): string | undefined => {
      const v = this.node.tryGetContext(k) as unknown;
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const identity = ctx('smsOriginationIdentity');
    if (identity !== undefined && !/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|sender-id|pool)\/\S+$/.test(identity))
      throw new Error(`smsOriginationIdentity: "${identity}" is not the ARN of an End User Messaging phone number, sender ID or pool`);
    const senderId = ctx('smsSenderId') ?? 'XINFANG';
    if (!/^[A-Za-z0-9-]{1,11}$/.test(senderId)) throw new Error(`smsSenderId: "${senderId}" is not a sender ID (1–11 letters, digits, -)`);
    this.originationIdentityArn = identity ?? `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:sender-id/${senderId}/CN`;
    this.configurationSet = new smsvoice.CfnConfigurationSet(this, 'ConfigurationSet', {});
  }

  bind(fn: RegistryFunction): void {
    fn.bindSms({
      originationIdentityArn: this.originationIdentityArn,
      configurationSetArn: this.configurationSet.attrArn,
      configurationSetName: this.configurationSet.ref,
    });
  }
}

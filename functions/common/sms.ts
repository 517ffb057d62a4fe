/** The SMS sender of this process (its own module: the notice sender bundles it without the rest of the online runtime). */
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { EndUserMessagingSmsSender, FileSmsSender } from '../../shared/adapters/sms-sender';
import type { SmsSender } from '../../shared/app/online-ports';
import { need, type Config } from '../../shared/config/env';
import { logger } from './runtime';
import { config } from './runtime-support';

/** The SMS sender this process is configured with: a folder locally, the registered sender in AWS. */
export function smsSender(c: Config = config()): SmsSender {
  if (c.smsOutboxDir) return new FileSmsSender(c.smsOutboxDir, (line) => logger.info(line));
  return new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({ region: need(c, 'region') }), need(c, 'smsOriginationIdentity'), c.smsConfigurationSet);
}

/**
 * The runtimes of the petitioner's functions: `online` (the challenge, the SMS code, the
 * submission, with the receipt letter, so the letter issuer) and `public` (the query with its
 * limits, 催办). Neither takes a token. The SMS sender is AWS End User Messaging SMS in AWS and a
 * file under the outbox folder locally (SMS_OUTBOX_DIR).
 */
import { DynamoDbOnlineStore } from '../../shared/adapters/online-store';
import { OnlinePetitions, QueryLimits } from '../../shared/app/online';
import { runtimeClock } from './clock';
import { caseLetters } from './letters-runtime';
import { buildRuntime, piiKey, type Runtime } from './runtime';
import { smsSender } from './sms';
import { once, tableClients } from './runtime-support';

export interface PublicRuntime extends Runtime {
  limits: QueryLimits;
}

export interface OnlineRuntime extends Runtime {
  online: OnlinePetitions;
}

function store() {
  const { tableName, db } = tableClients();
  return new DynamoDbOnlineStore(db, tableName);
}

export const getPublicRuntime = once(async (): Promise<PublicRuntime> => {
  const rt = await buildRuntime(undefined, { tokens: false });
  return { ...rt, limits: new QueryLimits({ limiter: store(), settings: rt.settings, piiKey: await piiKey(), clock: runtimeClock }) };
});

export const getOnlineRuntime = once(async (): Promise<OnlineRuntime> => {
  const rt = await buildRuntime(caseLetters, { tokens: false });
  const s = store();
  const online = new OnlinePetitions({
    registry: rt.registry,
    limiter: s,
    codes: s,
    sms: smsSender(),
    settings: rt.settings,
    piiKey: await piiKey(),
    clock: runtimeClock,
  });
  return { ...rt, online };
});

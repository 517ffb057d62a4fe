/** 网上信访: the challenge, the SMS verification code, the submission (docs/online.md). No token. */
import { httpHandlerWith } from '../common/http';
import { getOnlineRuntime } from '../common/online-runtime';

export const handler = httpHandlerWith(getOnlineRuntime, 'online', {
  // Signed, nothing stored (the store answers once per challenge).
  onlineChallenge: async (_req, { online }) => ({ body: online.challenge() }),
  onlineSmsCode: async ({ body, sourceIp }, { online }) => ({ body: await online.requestSmsCode(body, sourceIp) }),
  onlineSubmit: async ({ body }, { online }) => ({ statusCode: 201, body: await online.submit(body) }),
});

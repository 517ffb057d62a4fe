/** Changing cases: registration (idempotent) and every lifecycle action (If-Match), with their letters. */
import { ACTIONS, type Action } from '../../shared/domain/actions';
import { httpHandlerWith, type Operation } from '../common/http';
import { getLetterRuntime } from '../common/letters-runtime';

const act =
  (action: Action): Operation =>
  async ({ actor, params, body, ifMatch }, { registry }) => {
    const view = await registry.act(actor, params.caseNo ?? '', action, body, ifMatch);
    return { body: view, etag: view.version };
  };

export const handler = httpHandlerWith(getLetterRuntime, 'cases-write', {
  registerCase: async ({ actor, body, idempotencyKey }, { registry }) => {
    const out = await registry.register(actor, body, idempotencyKey);
    return { statusCode: out.replayed ? 200 : 201, body: out, etag: out.case.version, headers: out.replayed ? { 'idempotent-replayed': 'true' } : undefined };
  },
  ...Object.fromEntries(ACTIONS.map((a) => [`action:${a}`, act(a)])),
});

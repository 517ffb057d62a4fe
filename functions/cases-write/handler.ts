/** Changing cases: registration (idempotent) and every lifecycle action (If-Match), with their letters; the full text at registration; the letter preview. */
import { ACTIONS, type Action } from '../../shared/domain/actions';
import { httpHandlerWith, type Operations } from '../common/http';
import { getLetterRuntime } from '../common/letters-runtime';
import type { Runtime } from '../common/runtime';

type ActionOperations = Pick<Operations<'cases-write', Runtime>, `action:${Action}`>;

const act =
  (action: Action): ActionOperations[`action:${Action}`] =>
  async ({ actor, params, body, ifMatch }, { registry }) => {
    const view = await registry.act(actor, params.caseNo, action, body, ifMatch);
    return { body: view, etag: view.version };
  };

/** One operation per lifecycle action: the route's body is the action's input (the lifecycle parses it with its own rules). */
const actions = Object.fromEntries(ACTIONS.map((a) => [`action:${a}`, act(a)])) as ActionOperations;

export const handler = httpHandlerWith(getLetterRuntime, 'cases-write', {
  registerCase: async ({ actor, body, idempotencyKey }, { registry }) => {
    const out = await registry.register(actor, body, idempotencyKey);
    return { statusCode: out.replayed ? 200 : 201, body: out, etag: out.case.version, headers: out.replayed ? { 'idempotent-replayed': 'true' } : undefined };
  },
  ...actions,
  setFullText: async ({ actor, params, body, ifMatch }, { registry }) => {
    const view = await registry.setFullText(actor, params.caseNo, body, ifMatch);
    return { body: view, etag: view.version };
  },
  previewLetter: async ({ actor, params, body, ifMatch }, { registry }) => ({
    body: await registry.previewLetters(actor, params.caseNo, body.action, body.input, ifMatch),
  }),
});

/** Changing cases: registration (idempotent) and every lifecycle action (If-Match), with their letters; the letter preview. */
import { ACTIONS, type Action } from '../../shared/domain/actions';
import { httpHandlerWith, type Operation } from '../common/http';
import { getLetterRuntime } from '../common/letters-runtime';
import type { z } from 'zod';
import type { LetterPreviewSchema } from '../../shared/http/schemas';

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
  previewLetter: async ({ actor, params, body, ifMatch }, { registry }) => {
    const { action, input } = body as z.output<typeof LetterPreviewSchema>;
    return { body: await registry.previewLetters(actor, params.caseNo ?? '', action, input, ifMatch) };
  },
});

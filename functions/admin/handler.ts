/** Office administration: the wording of the letters (templates per office, no deploy). */
import type { z } from 'zod';
import type { TemplateBodySchema, TemplateParams } from '../../shared/http/schemas';
import { httpHandlerWith } from '../common/http';
import { getAdminRuntime } from '../common/letters-runtime';
import { logger } from '../common/runtime';

type Params = z.infer<typeof TemplateParams>;

export const handler = httpHandlerWith(getAdminRuntime, 'admin', {
  adminListTemplates: async ({ actor }, { templates }) => ({ body: await templates.list(actor) }),
  adminPutTemplate: async ({ actor, params, body }, { templates }) => {
    const { type } = params as Params;
    const view = await templates.put(actor, type, (body as z.infer<typeof TemplateBodySchema>).text);
    logger.info('letter template changed', { type, by: actor.username });
    return { body: view };
  },
  adminDeleteTemplate: async ({ actor, params }, { templates }) => {
    const { type } = params as Params;
    const view = await templates.remove(actor, type);
    logger.info('letter template reset to the default', { type, by: actor.username });
    return { body: view };
  },
});

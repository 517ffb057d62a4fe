/** Office administration: the wording of the letters (templates per office, no deploy). */
import { httpHandlerWith } from '../common/http';
import { getAdminRuntime } from '../common/letters-runtime';
import { logger } from '../common/runtime';

export const handler = httpHandlerWith(getAdminRuntime, 'admin', {
  adminListTemplates: async ({ actor }, { templates }) => ({ body: await templates.list(actor) }),
  adminPutTemplate: async ({ actor, params: { type }, body }, { templates }) => {
    const view = await templates.put(actor, type, body.text);
    logger.info('letter template changed', { type, by: actor.username });
    return { body: view };
  },
  adminDeleteTemplate: async ({ actor, params: { type } }, { templates }) => {
    const view = await templates.remove(actor, type);
    logger.info('letter template reset to the default', { type, by: actor.username });
    return { body: view };
  },
});

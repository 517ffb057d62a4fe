/** Office administration: the wording of the letters (templates per office) and the holiday calendar, without a deploy. */
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
  adminGetCalendar: async ({ actor }, { calendar }) => ({ body: await calendar.overview(actor) }),
  adminPreviewCalendarYear: async ({ actor, params: { year }, body }, { calendar }) => ({ body: await calendar.preview(actor, Number(year), body) }),
  adminPutCalendarYear: async ({ actor, params: { year }, body }, { calendar }) => {
    const saved = await calendar.save(actor, Number(year), body);
    logger.info('calendar year loaded', { year, by: actor.username, ...saved.recompute });
    return { body: saved };
  },
});

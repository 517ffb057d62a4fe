/**
 * Office administration without a deploy: the wording of the letters (templates per office), the
 * holiday calendar, the departments and users, and the office-level audit trail of every change.
 */
import { httpHandlerWith } from '../common/http';
import { getAdminRuntime } from '../common/admin-runtime';
import { logger } from '../common/runtime';

export const handler = httpHandlerWith(getAdminRuntime, 'admin', {
  adminListTemplates: async ({ actor }, { templates }) => ({ body: await templates.list(actor) }),
  adminPutTemplate: async ({ actor, params: { type }, body }, { templates, directory }) => {
    const before = (await templates.list(actor)).templates.find((t) => t.type === type)?.text;
    const view = await templates.put(actor, type, body.text);
    await directory.audit(actor, 'template.changed', { type, before: before ?? null, after: view.text });
    logger.info('letter template changed', { type, by: actor.username });
    return { body: view };
  },
  adminDeleteTemplate: async ({ actor, params: { type } }, { templates, directory }) => {
    const before = (await templates.list(actor)).templates.find((t) => t.type === type)?.text;
    const view = await templates.remove(actor, type);
    await directory.audit(actor, 'template.restored', { type, before: before ?? null, after: view.text });
    logger.info('letter template reset to the default', { type, by: actor.username });
    return { body: view };
  },
  adminGetCalendar: async ({ actor }, { calendar }) => ({ body: await calendar.overview(actor) }),
  adminPreviewCalendarYear: async ({ actor, params: { year }, body }, { calendar }) => ({ body: await calendar.preview(actor, Number(year), body) }),
  adminPutCalendarYear: async ({ actor, params: { year }, body }, { calendar, directory }) => {
    const before = (await calendar.overview(actor)).years.find((y) => y.year === Number(year));
    const saved = await calendar.save(actor, Number(year), body);
    await directory.audit(actor, 'calendar.loaded', {
      year: Number(year),
      before: before ? { status: before.status, holidays: before.holidays, makeupWorkdays: before.makeupWorkdays } : null,
      after: { holidays: saved.year.holidays, makeupWorkdays: saved.year.makeupWorkdays, source: saved.year.source },
      recompute: { ...saved.recompute },
    });
    logger.info('calendar year loaded', { year, by: actor.username, ...saved.recompute });
    return { body: saved };
  },
  adminListDepartments: async ({ actor }, { directory }) => ({ body: await directory.listDepartments(actor) }),
  adminCreateDepartment: async ({ actor, body }, { directory }) => ({ statusCode: 201, body: await directory.createDepartment(actor, body) }),
  adminRenameDepartment: async ({ actor, params: { code }, body }, { directory }) => ({ body: await directory.renameDepartment(actor, code, body) }),
  adminRetireDepartment: async ({ actor, params: { code } }, { directory }) => ({ body: await directory.retireDepartment(actor, code) }),
  adminListUsers: async ({ actor }, { directory }) => ({ body: await directory.listUsers(actor) }),
  adminCreateUser: async ({ actor, body }, { directory }) => ({ statusCode: 201, body: await directory.createUser(actor, body) }),
  adminUpdateUser: async ({ actor, params: { username }, body }, { directory }) => ({ body: await directory.updateUser(actor, username, body) }),
  adminDisableUser: async ({ actor, params: { username } }, { directory }) => ({ body: await directory.setEnabled(actor, username, false) }),
  adminEnableUser: async ({ actor, params: { username } }, { directory }) => ({ body: await directory.setEnabled(actor, username, true) }),
  adminGetSettings: async ({ actor }, { directory }) => ({ body: await directory.getSettings(actor) }),
  adminPutSettings: async ({ actor, body }, { directory }) => ({ body: await directory.putSettings(actor, body) }),
  adminAuditTrail: async ({ actor, query }, { directory }) => ({ body: await directory.auditTrail(actor, query) }),
});

/**
 * Office administration without a deploy: the wording of the letters (templates per office), the
 * holiday calendar, the departments, categories and users, and the office-level audit trail of every change.
 */
import { httpHandlerWith } from '../common/http';
import { getAdminRuntime } from '../common/admin-runtime';
import { logger } from '../common/runtime';

export const handler = httpHandlerWith(getAdminRuntime, 'admin', {
  adminListTemplates: async ({ actor }, { templates }) => ({ body: await templates.list(actor) }),
  adminPutTemplate: async ({ actor, params: { type }, body, ifMatch }, { templates, directory }) => {
    const { before, after } = await templates.put(actor, type, body.text, ifMatch);
    await directory.audit(actor, 'template.changed', { type, version: after.version, before: before.text, after: after.text });
    logger.info('letter template changed', { type, version: after.version, by: actor.username });
    return { body: after, etag: after.version };
  },
  adminPreviewTemplate: async ({ actor, params: { type }, body }, { templates }) => ({ body: await templates.preview(actor, type, body.text) }),
  adminDeleteTemplate: async ({ actor, params: { type }, ifMatch }, { templates, directory }) => {
    const { before, after } = await templates.remove(actor, type, ifMatch);
    if (before.override) await directory.audit(actor, 'template.restored', { type, version: before.version, before: before.text, after: after.text });
    logger.info('letter template reset to the default', { type, by: actor.username });
    return { body: after, etag: after.version };
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
  adminListCategories: async ({ actor }, { directory }) => ({ body: await directory.listCategories(actor) }),
  adminCreateCategory: async ({ actor, body }, { directory }) => ({ statusCode: 201, body: await directory.createCategory(actor, body) }),
  adminRenameCategory: async ({ actor, params: { code }, body }, { directory }) => ({ body: await directory.renameCategory(actor, code, body) }),
  adminRetireCategory: async ({ actor, params: { code } }, { directory }) => ({ body: await directory.retireCategory(actor, code) }),
  adminListUsers: async ({ actor }, { directory }) => ({ body: await directory.listUsers(actor) }),
  adminCreateUser: async ({ actor, body }, { directory }) => ({ statusCode: 201, body: await directory.createUser(actor, body) }),
  adminUpdateUser: async ({ actor, params: { username }, body }, { directory }) => ({ body: await directory.updateUser(actor, username, body) }),
  adminDisableUser: async ({ actor, params: { username } }, { directory }) => ({ body: await directory.setEnabled(actor, username, false) }),
  adminEnableUser: async ({ actor, params: { username } }, { directory }) => ({ body: await directory.setEnabled(actor, username, true) }),
  adminGetSettings: async ({ actor }, { directory }) => {
    const settings = await directory.getSettings(actor);
    return { body: settings, etag: settings.rev };
  },
  adminPutSettings: async ({ actor, body, ifMatch }, { directory }) => {
    const settings = await directory.putSettings(actor, body, ifMatch);
    return { body: settings, etag: settings.rev };
  },
  adminAuditTrail: async ({ actor, query }, { directory }) => ({ body: await directory.auditTrail(actor, query) }),
  adminVerifyAuditTrail: async ({ actor }, { directory }) => {
    const result = await directory.verifyAuditTrail(actor);
    if (result.ok) logger.info('office audit trail verified', { entries: result.entries, by: actor.username });
    else logger.warn('office audit trail broken', { entries: result.entries, firstBroken: result.firstBroken, by: actor.username });
    return { body: result };
  },
});

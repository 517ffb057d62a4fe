/**
 * Exports (docs/exports.md): a report as XLSX, CSV or PDF, 案件查询, 待办案件 and a report's drill-down as XLSX, the office's printed forms as PDF, each put in the
 * documents bucket and answered as a short-lived presigned link, each recorded in the office trail.
 */
import { httpHandlerWith } from '../common/http';
import { getExportsRuntime } from '../common/exports-runtime';

export const handler = httpHandlerWith(getExportsRuntime, 'exports', {
  exportReport: async ({ actor, query }, { exports }) => ({ body: await exports.report(actor, query) }),
  exportCases: async ({ actor, query }, { exports }) => ({ body: await exports.cases(actor, query) }),
  exportReportCases: async ({ actor, query }, { exports }) => ({ body: await exports.reportCases(actor, query) }),
  exportForms: async ({ actor, query }, { exports }) => ({ body: await exports.forms(actor, query) }),
  exportInbox: async ({ actor }, { exports }) => ({ body: await exports.inbox(actor) }),
});

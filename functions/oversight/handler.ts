/**
 * Oversight (DESIGN §5): the dashboard, supervisions and their written answers, the outbox, and
 * the deadline sweep on demand (admin; it runs within this request's time and says whether it
 * finished — a second call continues a run cut short).
 */
import { httpHandlerWith } from '../common/http';
import { logger } from '../common/runtime';
import { getOversightRuntime } from '../common/sweep-runtime';

/** API Gateway gives an integration 30 s: the on-demand sweep stops taking entries after 20. */
const SWEEP_BUDGET_MS = 20_000;

export const handler = httpHandlerWith(getOversightRuntime, 'oversight', {
  dashboard: async ({ actor, query }, { oversight }) => ({ body: await oversight.dashboard(actor, query) }),
  report: async ({ actor, query }, { reports }) => ({ body: await reports.report(actor, query) }),
  reportCases: async ({ actor, query }, { reports }) => ({ body: await reports.cases(actor, query) }),
  listSupervisions: async ({ actor, query }, { oversight }) => ({ body: await oversight.supervisions(actor, query) }),
  caseSupervisions: async ({ actor, params }, { oversight }) => ({ body: await oversight.caseSupervisions(actor, params.caseNo) }),
  answerSupervision: async ({ actor, params, body }, { oversight }) => {
    return { body: await oversight.answer(actor, params.caseNo, params.supervisionId, body) };
  },
  listOutbox: async ({ actor, query }, { oversight }) => ({ body: await oversight.outbox(actor, query) }),
  adminSweep: async ({ actor, body }, { oversight }) => {
    const report = await oversight.runSweep(actor, body, Date.now() + SWEEP_BUDGET_MS);
    logger.info('deadline sweep run on demand', { by: actor.username, date: report.date, acted: report.acted, complete: report.complete });
    return { body: report };
  },
});

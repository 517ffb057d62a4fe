/**
 * The `oversight` function's HTTP routes (DESIGN §5) with their request schemas
 * (oversight-schemas.ts), part of the route table (routes.ts spreads them in): the dashboard,
 * supervisions and their written answers, the outbox, and the deadline sweep on demand (admin).
 * The scheduled sweep and the email sender are event functions (`sweep`, `notify-sender`).
 */
import { DashboardResponse, OutboxResponse, SupervisionViewResponse, SupervisionsResponse, SweepReportResponse } from './responses';
import { route } from './route';
import { SupervisionAnswerInputSchema } from '../domain/supervision';
import { DashboardQuerySchema, OutboxQuerySchema, SupervisionParams, SupervisionsQuerySchema, SweepRequestSchema } from './oversight-schemas';
import { CaseNoParam } from './schemas';

export const OVERSIGHT_ROUTES = [
  route({
    id: 'dashboard',
    method: 'GET',
    path: '/dashboard',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary:
      'Cases due this week, overdue, under supervision (督办) and flagged (挂牌督办), per department; a department sees only its own. The cases behind the counts: of one group (`group`; a department its own)',
    tag: 'oversight',
    query: DashboardQuerySchema,
    responses: { 200: DashboardResponse },
  }),
  route({
    id: 'listSupervisions',
    method: 'GET',
    path: '/supervisions',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary: 'Open supervisions, unanswered by default (clerk, director; a department its own)',
    tag: 'oversight',
    query: SupervisionsQuerySchema,
    responses: { 200: SupervisionsResponse },
  }),
  route({
    id: 'caseSupervisions',
    method: 'GET',
    path: '/cases/{caseNo}/supervisions',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary: 'The supervisions of a case with their letters and written answers',
    tag: 'oversight',
    params: CaseNoParam,
    responses: { 200: SupervisionsResponse },
  }),
  route({
    id: 'answerSupervision',
    method: 'POST',
    path: '/cases/{caseNo}/supervisions/{supervisionId}/answer',
    function: 'oversight',
    auth: true,
    roles: ['department', 'clerk', 'director'],
    summary: 'The supervised department answers in writing (text, optional documents of the case it uploaded)',
    tag: 'oversight',
    params: SupervisionParams,
    body: SupervisionAnswerInputSchema,
    responses: { 200: SupervisionViewResponse },
  }),
  route({
    id: 'listOutbox',
    method: 'GET',
    path: '/outbox',
    function: 'oversight',
    auth: true,
    roles: ['clerk', 'director', 'department'],
    summary: 'Notices of a day and their delivery (clerk, director, admin; a department those addressed to it)',
    tag: 'oversight',
    query: OutboxQuerySchema,
    responses: { 200: OutboxResponse },
  }),
  route({
    id: 'adminSweep',
    method: 'POST',
    path: '/admin/sweep',
    function: 'oversight',
    auth: true,
    roles: ['admin'],
    summary: 'Run the deadline sweep now (admin); resumable, so a run cut short by the time limit is continued by the next',
    tag: 'admin',
    body: SweepRequestSchema,
    responses: { 200: SweepReportResponse },
  }),
] as const;

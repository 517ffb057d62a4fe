/**
 * The deadline sweep's HTTP routes (DESIGN §5), part of the route table (routes.ts spreads them
 * in). `oversight` serves them all: the dashboard, supervisions and their written answers, the
 * outbox, and the sweep on demand (admin). The scheduled sweep and the email sender are event
 * functions (`sweep`, `notify-sender`).
 */
import type { RouteDefinition } from './routes';

export const SWEEP_ROUTES: RouteDefinition[] = [
  {
    id: 'dashboard',
    method: 'GET',
    path: '/dashboard',
    function: 'oversight',
    auth: true,
    summary: 'Cases due this week, overdue, under supervision (督办) and flagged (挂牌督办), per department; a department sees only its own',
    tag: 'oversight',
  },
  { id: 'listSupervisions', method: 'GET', path: '/supervisions', function: 'oversight', auth: true, summary: 'Open supervisions, unanswered by default (clerk, director; a department its own)', tag: 'oversight' },
  { id: 'caseSupervisions', method: 'GET', path: '/cases/{caseNo}/supervisions', function: 'oversight', auth: true, summary: 'The supervisions of a case with their letters and written answers', tag: 'oversight' },
  {
    id: 'answerSupervision',
    method: 'POST',
    path: '/cases/{caseNo}/supervisions/{supervisionId}/answer',
    function: 'oversight',
    auth: true,
    summary: 'The supervised department answers in writing (text, optional documents of the case it uploaded)',
    tag: 'oversight',
  },
  { id: 'listOutbox', method: 'GET', path: '/outbox', function: 'oversight', auth: true, summary: 'Notices of a day and their delivery (clerk, director, admin; a department those addressed to it)', tag: 'oversight' },
  { id: 'adminSweep', method: 'POST', path: '/admin/sweep', function: 'oversight', auth: true, summary: 'Run the deadline sweep now (admin); resumable, so a run cut short by the time limit is continued by the next', tag: 'admin' },
];

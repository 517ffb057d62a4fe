/**
 * The archive's HTTP routes (DESIGN §6), part of the route table (routes.ts spreads them in).
 * `archiver` is the one function that writes to the archive bucket: it serves the on-demand run
 * and is the target of the daily schedule. `archive` serves everything else (search, packages,
 * recorded downloads, loans, disposal) and can only read the archive.
 */
import type { RouteDefinition } from './routes';

export const ARCHIVE_ROUTES: RouteDefinition[] = [
  {
    id: 'archiveRun',
    method: 'POST',
    path: '/archive/run',
    function: 'archiver',
    auth: true,
    summary: 'Archive closed cases now: the chosen ones (with a retention override and its reason), or every eligible one (archivist)',
    tag: 'archive',
  },
  { id: 'archivePending', method: 'GET', path: '/archive/pending', function: 'archive', auth: true, summary: 'Closed cases waiting to be archived, with the retention class the rules give them (archivist)', tag: 'archive' },
  {
    id: 'archiveSearch',
    method: 'GET',
    path: '/archive/search',
    function: 'archive',
    auth: true,
    summary: 'Search archived cases by archive number, year, case number, petitioner, category, department, retention class (archivist)',
    tag: 'archive',
  },
  { id: 'archiveGetPackage', method: 'GET', path: '/archive/packages/{archiveNo}', function: 'archive', auth: true, summary: 'An archived package: retention, files with sizes and SHA-256 (archivist, or a borrower)', tag: 'archive' },
  {
    id: 'archiveDownload',
    method: 'POST',
    path: '/archive/packages/{archiveNo}/download',
    function: 'archive',
    auth: true,
    summary: 'A short-lived link to one archived file, with the stated purpose; recorded in the case’s audit trail (archivist, or a borrower)',
    tag: 'archive',
  },
  { id: 'archiveLend', method: 'POST', path: '/archive/packages/{archiveNo}/loans', function: 'archive', auth: true, summary: 'Lend a package to a user for a number of days (借阅), recorded (archivist)', tag: 'archive' },
  {
    id: 'archiveFixityReports',
    method: 'GET',
    path: '/archive/fixity',
    function: 'archive',
    auth: true,
    summary: 'The fixity reports, newest first: each check with the packages and files checked and every missing or altered file (archivist)',
    tag: 'archive',
  },
  { id: 'archiveDisposalList', method: 'GET', path: '/archive/disposal', function: 'archive', auth: true, summary: 'Fixed-term packages whose retention has ended (archivist, director)', tag: 'archive' },
  { id: 'archiveProposeDisposal', method: 'POST', path: '/archive/packages/{archiveNo}/disposal', function: 'archive', auth: true, summary: 'Propose destroying a package whose retention has ended (archivist)', tag: 'archive' },
  {
    id: 'archiveApproveDisposal',
    method: 'POST',
    path: '/archive/packages/{archiveNo}/disposal/approve',
    function: 'archive',
    auth: true,
    summary: 'Approve a proposed destruction; the next archive run destroys what is no longer under lock (director)',
    tag: 'archive',
  },
];

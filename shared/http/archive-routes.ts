/**
 * The archive's HTTP routes (DESIGN §6) with their request schemas (archive-schemas.ts), part of
 * the route table (routes.ts spreads them in).
 * `archiver` is the one function that writes to the archive bucket: it serves the on-demand run
 * and is the target of the daily schedule. `archive` serves everything else (search, packages,
 * recorded downloads, loans, disposal) and can only read the archive.
 */
import {
  ArchiveApproveDisposalSchema,
  ArchiveDisposalQuerySchema,
  ArchiveDownloadSchema,
  ArchiveFixityQuerySchema,
  ArchiveLendSchema,
  ArchiveNoParam,
  ArchivePageQuerySchema,
  ArchiveProposeDisposalSchema,
  ArchiveRunSchema,
  ArchiveSearchQuerySchema,
} from './archive-schemas';
import { ArchiveDownloadResponse, ArchivePackageResponse, ArchivePendingResponse, ArchiveRunResponse, ArchiveSearchResponse, DisposalListResponse, DisposalRecordResponse, FixityReportsResponse, LoanResponse } from './responses';
import { route } from './route';
import { ROLES } from '../domain/roles';

/** A package is read by an archivist, or by any user it is lent to (the use case checks the loan); never admin, who reads no case content. */
const ARCHIVIST_OR_BORROWER = ROLES.filter((r) => r !== 'admin');

export const ARCHIVE_ROUTES = [
  route({
    id: 'archiveRun',
    method: 'POST',
    path: '/archive/run',
    function: 'archiver',
    auth: true,
    roles: ['archivist'],
    summary: 'Archive closed cases now: the chosen ones (with a retention override and its reason), or every eligible one (archivist)',
    tag: 'archive',
    body: ArchiveRunSchema,
    responses: { 200: ArchiveRunResponse },
  }),
  route({ id: 'archivePending', method: 'GET', path: '/archive/pending', function: 'archive', auth: true, roles: ['archivist'], summary: 'Closed cases waiting to be archived, with the retention class the rules give them (archivist)', tag: 'archive', query: ArchivePageQuerySchema, responses: { 200: ArchivePendingResponse } }),
  route({
    id: 'archiveSearch',
    method: 'GET',
    path: '/archive/search',
    function: 'archive',
    auth: true,
    roles: ['archivist'],
    summary: 'Search archived cases by archive number, year, case number, petitioner, category, department, retention class (archivist)',
    tag: 'archive',
    query: ArchiveSearchQuerySchema,
    responses: { 200: ArchiveSearchResponse },
  }),
  route({ id: 'archiveGetPackage', method: 'GET', path: '/archive/packages/{archiveNo}', function: 'archive', auth: true, roles: ARCHIVIST_OR_BORROWER, summary: 'An archived package: retention, files with sizes and SHA-256 (archivist, or a borrower)', tag: 'archive', params: ArchiveNoParam, responses: { 200: ArchivePackageResponse } }),
  route({
    id: 'archiveDownload',
    method: 'POST',
    path: '/archive/packages/{archiveNo}/download',
    function: 'archive',
    auth: true,
    roles: ARCHIVIST_OR_BORROWER,
    summary: 'A short-lived link to one archived file, with the stated purpose; recorded in the case’s audit trail (archivist, or a borrower)',
    tag: 'archive',
    params: ArchiveNoParam, body: ArchiveDownloadSchema,
    responses: { 200: ArchiveDownloadResponse },
  }),
  route({ id: 'archiveLend', method: 'POST', path: '/archive/packages/{archiveNo}/loans', function: 'archive', auth: true, roles: ['archivist'], summary: 'Lend a package to a user for a number of days (借阅), recorded (archivist)', tag: 'archive', params: ArchiveNoParam, body: ArchiveLendSchema, responses: { 201: LoanResponse } }),
  route({
    id: 'archiveFixityReports',
    method: 'GET',
    path: '/archive/fixity',
    function: 'archive',
    auth: true,
    roles: ['archivist'],
    summary: 'The fixity reports, newest first: each check with the packages and files checked and every missing or altered file (archivist)',
    tag: 'archive',
    query: ArchiveFixityQuerySchema,
    responses: { 200: FixityReportsResponse },
  }),
  route({ id: 'archiveDisposalList', method: 'GET', path: '/archive/disposal', function: 'archive', auth: true, roles: ['archivist', 'director'], summary: 'Fixed-term packages whose retention has ended (archivist, director)', tag: 'archive', query: ArchiveDisposalQuerySchema, responses: { 200: DisposalListResponse } }),
  route({ id: 'archiveProposeDisposal', method: 'POST', path: '/archive/packages/{archiveNo}/disposal', function: 'archive', auth: true, roles: ['archivist'], summary: 'Propose destroying a package whose retention has ended (archivist)', tag: 'archive', params: ArchiveNoParam, body: ArchiveProposeDisposalSchema, responses: { 201: DisposalRecordResponse } }),
  route({
    id: 'archiveApproveDisposal',
    method: 'POST',
    path: '/archive/packages/{archiveNo}/disposal/approve',
    function: 'archive',
    auth: true,
    roles: ['director'],
    summary: 'Approve a proposed destruction; the next archive run destroys what is no longer under lock (director)',
    tag: 'archive',
    params: ArchiveNoParam, body: ArchiveApproveDisposalSchema,
    responses: { 200: DisposalRecordResponse },
  }),
] as const;

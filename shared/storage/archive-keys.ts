/**
 * Keys of the archive's items in the single table (DESIGN §6, §9), beside keys.ts. Everything
 * about one archived case lives in the case's partition; the sparse `byArchive` index gives the
 * archivists' searches, the disposal list and the archive run's "work left" a Query each.
 *
 *   item                  pk                             sk                              byArchive (pk / sk)
 *   archive job           CASE#<no>                      #ARCHIVE                        ARCHIVE#JOB#<state> / <caseNo>   (only while work is left)
 *   search entry          CASE#<no>                      ARCHIVE#IDX#<kind>[#<value>]    see `archiveIndex` below
 *   loan (借阅)            CASE#<no>                      ARCHIVE#LOAN#<user>#<id>        —
 *   item-number counter   ARCHCOUNTER#<fonds>#<y>#<code> #COUNTER                        —
 *   fixity pass           ARCHIVE#FIXITY                 #PASS                           —
 *   fixity report         ARCHIVE#FIXITY                 REPORT#<startedAt>#<id>         —   (Query, newest first)
 *
 * Search entries are written in the same transaction that marks the case archived, one per
 * access pattern, each with a summary of the case so a search needs no second read:
 *
 *   by archive number    ARCHIVE#NO#<archiveNo>        <archiveNo>
 *   by year (and all)    ARCHIVE#ALL                   <year>#<archiveNo>      (year: begins_with)
 *   by category          ARCHIVE#CAT#<category>        <year>#<archiveNo>
 *   by department        ARCHIVE#DEPT#<code>           <year>#<archiveNo>      (one per department ever assigned)
 *   by retention class   ARCHIVE#RET#<class>           <year>#<archiveNo>
 *   disposal list        ARCHIVE#DISPOSAL              <retentionEnds>#<archiveNo>   (not for permanent records)
 *   disposal register    ARCHIVE#DISPOSED              <destroyedOn>#<archiveNo>     (on the job item, once destroyed)
 *
 * By petitioner and by case number need no entry: the byPetitioner index and the case key
 * already answer them (the case record carries its archive number).
 *
 * One index serves all of these on purpose: CloudFormation adds one global secondary index per
 * stack update, so each new index is a deployment of its own.
 */
import type { ArchiveSummary } from '../domain/archive';
import { casePartition, through } from './keys';

export const archiveKey = {
  job: (caseNo: string) => ({ pk: casePartition(caseNo), sk: '#ARCHIVE' }),
  index: (caseNo: string, entry: string) => ({ pk: casePartition(caseNo), sk: `${ARCHIVE_SK_PREFIX.index}${entry}` }),
  loan: (caseNo: string, username: string, loanId: string) => ({ pk: casePartition(caseNo), sk: `${ARCHIVE_SK_PREFIX.loan}${username}#${loanId}` }),
  counter: (fonds: string, year: number, retentionCode: string) => ({ pk: `ARCHCOUNTER#${fonds}#${year}#${retentionCode}`, sk: '#COUNTER' }),
  fixityPass: () => ({ pk: 'ARCHIVE#FIXITY', sk: '#PASS' }),
  fixityReport: (startedAt: string, reportId: string) => ({ pk: 'ARCHIVE#FIXITY', sk: `${ARCHIVE_SK_PREFIX.fixityReport}${startedAt}#${reportId}` }),
};

export const ARCHIVE_SK_PREFIX = { index: 'ARCHIVE#IDX#', loan: 'ARCHIVE#LOAN#', fixityReport: 'REPORT#' } as const;

/** Partition values of the byArchive index. */
export const archiveIndex = {
  archiveNo: (archiveNo: string) => `ARCHIVE#NO#${archiveNo}`,
  all: () => 'ARCHIVE#ALL',
  category: (category: string) => `ARCHIVE#CAT#${category}`,
  department: (deptCode: string) => `ARCHIVE#DEPT#${deptCode}`,
  retention: (retention: string) => `ARCHIVE#RET#${retention}`,
  disposal: () => 'ARCHIVE#DISPOSAL',
  disposed: () => 'ARCHIVE#DISPOSED',
  /** Archive jobs with work left in this state (purge after archiving, an approved disposal). */
  jobs: (state: string) => `ARCHIVE#JOB#${state}`,
};

/** The sort key of a package in the series partitions (all, category, department, retention): year, then archive number. */
export function archiveSeriesSk(year: number | string, archiveNo: string): string {
  return `${year}#${archiveNo}`;
}

/** Sort-key bounds of the byArchive partitions. */
export const archiveRange = {
  /** The packages of one year in a series partition (`begins_with`). */
  year: (year: number | string) => `${year}#`,
  /** The disposal list up to a date (`<=`). */
  disposalThrough: (date: string) => through(date),
};

/** What a job item needs for its byArchive keys. */
export interface ArchiveJobFacts {
  caseNo: string;
  archiveNo: string;
  state: string;
  disposal?: { state: string; destroyedAt?: string };
}

/** The byArchive keys of an archive job: while it has work left (purge, an approved disposal), or once destroyed (the register). */
export function archiveJobIndexKeys(job: ArchiveJobFacts): Record<string, string> {
  if (job.state === 'archived') return { byArchivePk: archiveIndex.jobs('archived'), byArchiveSk: job.caseNo };
  if (job.state === 'purged' && job.disposal?.state === 'approved') return { byArchivePk: archiveIndex.jobs('disposal-approved'), byArchiveSk: job.caseNo };
  if (job.state === 'disposed')
    return { byArchivePk: archiveIndex.disposed(), byArchiveSk: `${job.disposal?.destroyedAt?.slice(0, 10) ?? ''}#${job.archiveNo}` };
  return {};
}

/** The search entries of an archived case, one per access pattern (the table above): its entry name and byArchive keys. */
export function archiveSearchEntries(s: ArchiveSummary): { entry: string; pk: string; sk: string }[] {
  const bySeries = archiveSeriesSk(s.year, s.archiveNo);
  return [
    { entry: 'NO', pk: archiveIndex.archiveNo(s.archiveNo), sk: s.archiveNo },
    { entry: 'ALL', pk: archiveIndex.all(), sk: bySeries },
    { entry: 'CAT', pk: archiveIndex.category(s.category), sk: bySeries },
    { entry: 'RET', pk: archiveIndex.retention(s.retention), sk: bySeries },
    ...s.departments.map((d) => ({ entry: `DEPT#${d}`, pk: archiveIndex.department(d), sk: bySeries })),
    ...(s.retentionEnds ? [{ entry: 'DISPOSAL', pk: archiveIndex.disposal(), sk: `${s.retentionEnds}#${s.archiveNo}` }] : []),
  ];
}

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
export const archiveKey = {
  job: (caseNo: string) => ({ pk: `CASE#${caseNo}`, sk: '#ARCHIVE' }),
  index: (caseNo: string, entry: string) => ({ pk: `CASE#${caseNo}`, sk: `${ARCHIVE_SK_PREFIX.index}${entry}` }),
  loan: (caseNo: string, username: string, loanId: string) => ({ pk: `CASE#${caseNo}`, sk: `${ARCHIVE_SK_PREFIX.loan}${username}#${loanId}` }),
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

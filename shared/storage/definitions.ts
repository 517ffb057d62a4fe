/**
 * The one definition of the registry's storage: the single DynamoDB table, its indexes (named
 * after the access pattern they serve), and the S3 buckets. CDK (infra/), the local stack
 * (local/) and the tests all build from this module; nothing else spells a table or index name.
 *
 * Plain data: no AWS SDK or CDK import, so every side can read it.
 */

export interface IndexDefinition {
  /** Index name: the access pattern it serves. */
  name: string;
  partitionKey: string;
  sortKey: string;
  /** What the index answers, for docs and reviewers. */
  serves: string;
}

export interface TableDefinition {
  /** Logical id; the physical name comes from configuration (TABLE_NAME). */
  logicalName: string;
  partitionKey: string;
  sortKey: string;
  indexes: IndexDefinition[];
  /** TTL attribute (idempotency records and short-lived items). */
  ttlAttribute: string;
}

/**
 * Every index is sparse: an item carries an index's key attributes only when it belongs there
 * (an open clock carries `byDueSk`; a stopped one drops it), so each Query returns only what it
 * asks for.
 */
export const TABLE: TableDefinition = {
  logicalName: 'Registry',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'byDepartment',
      partitionKey: 'byDepartmentPk',
      sortKey: 'byDepartmentSk',
      serves:
        "a department's open cases by due date (inbox, DEPT#<code>#OPEN); cases ever assigned to it (DEPT#<code>#ALL); the dashboard's running clocks of a group by due date (DASH#<group>#CLOCKS)",
    },
    { name: 'byStatus', partitionKey: 'byStatusPk', sortKey: 'byStatusSk', serves: 'cases in a status, by due date' },
    {
      name: 'byReceived',
      partitionKey: 'byReceivedPk',
      sortKey: 'byReceivedSk',
      serves: 'cases received in a period (month partitions), for lists and reports',
    },
    { name: 'byCategory', partitionKey: 'byCategoryPk', sortKey: 'byCategorySk', serves: 'cases of a category in a year, by received date' },
    {
      name: 'byPetitioner',
      partitionKey: 'byPetitionerPk',
      sortKey: 'byPetitionerSk',
      serves: 'cases by petitioner identity (keyed hash of ID number, else of name + phone)',
    },
    {
      name: 'byDue',
      partitionKey: 'byDuePk',
      sortKey: 'byDueSk',
      serves:
        'open clocks due before a date (sharded), for lists; undelivered notices by their next delivery attempt, and the notices given up; open flagged supervisions (shared/storage/sweep-keys.ts)',
    },
    {
      name: 'bySweep',
      partitionKey: 'bySweepPk',
      sortKey: 'bySweepSk',
      serves:
        'the deadline sweep: clocks and closed cases by the date it must next act on them (sharded), open supervisions by department, the outbox by day (shared/storage/sweep-keys.ts)',
    },
    {
      name: 'byArchive',
      partitionKey: 'byArchivePk',
      sortKey: 'byArchiveSk',
      serves:
        'archived cases by archive number, year, category, department and retention class; the disposal list; archive jobs that still have work (shared/storage/archive-keys.ts)',
    },
  ],
};

export type IndexName = 'byDepartment' | 'byStatus' | 'byReceived' | 'byCategory' | 'byPetitioner' | 'byDue' | 'bySweep' | 'byArchive';

export function indexDefinition(name: IndexName): IndexDefinition {
  const found = TABLE.indexes.find((i) => i.name === name);
  if (!found) throw new Error(`Unknown index ${name}`);
  return found;
}

export interface BucketDefinition {
  logicalName: string;
  /** Environment variable that carries the physical name to the functions. */
  envVar: string;
  purpose: string;
}

export const DOCUMENTS_BUCKET: BucketDefinition = {
  logicalName: 'Documents',
  envVar: 'DOCUMENTS_BUCKET',
  purpose: 'scans, attachments, responses and generated letters of open cases',
};

/**
 * The archive (DESIGN §6): one package per archived case under packages/<archiveNo>/. In AWS it
 * has S3 Object Lock (compliance mode) and only archive-run function may write to it.
 */
export const ARCHIVE_BUCKET: BucketDefinition = {
  logicalName: 'Archive',
  envVar: 'ARCHIVE_BUCKET',
  purpose: 'archived case packages (originals, metadata, registration form, manifest) under Object Lock',
};

export const BUCKETS: BucketDefinition[] = [DOCUMENTS_BUCKET, ARCHIVE_BUCKET];

/** Key prefixes of the archive bucket. */
export const ARCHIVE_PREFIX = {
  /** packages/<archiveNo>/{manifest.json,metadata.json,registration.pdf,originals/...} */
  packages: 'packages/',
} as const;

/** S3 key prefixes. Keys are always chosen by the registry, never by a client. */
export const S3_PREFIX = {
  /** Uploads land under uploads/<caseNo>/<documentId>; object-created events of this prefix trigger the upload check. */
  uploads: 'uploads/',
  /**
   * Verified uploads: the upload check copies each file here (verified/<caseNo>/<documentId>) and
   * checks the copy. No upload policy covers this prefix, so a verified file cannot be replaced
   * through its upload link; downloads and the archive run read only this copy.
   */
  verified: 'verified/',
  /** Files that failed the upload check are moved here, under the same relative key. */
  quarantine: 'quarantine/',
  /** Letters the registry generates: generated/<caseNo>/<documentId>.pdf. */
  generated: 'generated/',
  /** Frozen (published) reports: reports/<scope>/<period>.json, and their renderings beside them (docs/reports.md). */
  reports: 'reports/',
  /** Exports waiting for their download (docs/exports.md): exports/<yyyy-mm-dd>/<id>.<ext>, removed by the lifecycle after a day. */
  exports: 'exports/',
} as const;

/** Number of shards of the byDue index partition (keeps the sweep's partitions cool at scale). */
export const DUE_SHARDS = 4;

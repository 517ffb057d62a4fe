/**
 * The checks a restore ends with (`npm run restore`, the backup test): every case's audit chain
 * (as `npm run audit:verify`) and the fixity of every archive package (as `npm run
 * archive:verify`), on the restored table and buckets, through the same adapters.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbArchiveRepository } from '../shared/adapters/archive-repository';
import { S3ArchiveStore } from '../shared/adapters/archive-store';
import { verifyCaseAudit } from '../shared/adapters/audit-verify';
import { documentClient, DynamoDbCaseRepository } from '../shared/adapters/dynamodb-repository';
import { ArchiveService } from '../shared/app/archive';
import { parseOfficeSettings } from '../shared/domain/office';
import { systemClock } from '../shared/domain/time';

export interface RestoredData {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  tableName: string;
  documentsBucket: string;
  archiveBucket: string;
}

export interface RestoreVerification {
  failures: number;
  cases: number;
  packages: number;
  files: number;
  lines: string[];
}

export async function verifyRestored(data: RestoredData, cases: string[]): Promise<RestoreVerification> {
  const db = documentClient(data.dynamodb);
  const repo = new DynamoDbCaseRepository(db, data.tableName);
  const lines: string[] = [];
  let failures = 0;
  for (const caseNo of cases) {
    const result = await verifyCaseAudit(repo, caseNo);
    if (!result.ok) {
      failures += 1;
      lines.push(`${caseNo}: audit chain BROKEN at event ${result.brokenAt ?? '?'} (${result.reason})`);
    }
  }
  lines.push(`Audit: ${cases.length - failures} of ${cases.length} case chains intact.`);
  const archive = new ArchiveService({
    repo,
    archive: new DynamoDbArchiveRepository(db, data.tableName),
    store: new S3ArchiveStore({ s3: data.s3, archiveBucket: data.archiveBucket, documentsBucket: data.documentsBucket }),
    clock: systemClock,
    settings: parseOfficeSettings(process.env.OFFICE_CONFIG),
  });
  const fixity = await archive.verifyFixity({});
  for (const p of fixity.problems) lines.push(`${p.archiveNo}  ${p.caseNo}  ${p.path}  ${p.problem}`);
  failures += fixity.problems.length + fixity.notFound.length;
  lines.push(`Fixity: ${fixity.packages} packages, ${fixity.files} files checked, ${fixity.problems.length} problem(s).`);
  return { failures, cases: cases.length, packages: fixity.packages, files: fixity.files, lines };
}

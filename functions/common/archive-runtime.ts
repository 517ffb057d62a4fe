/**
 * What the archive's functions need, built once per cold start from the environment (failing
 * fast on a missing variable). Three functions, three shapes (least privilege, infra/stack.ts):
 * - `archive-run` copies originals from the working bucket into the archive bucket and removes them
 *   afterwards, and destroys approved disposals: the only writer of the archive;
 * - `archive-api` (HTTP) searches, presigns downloads and records them, lends, handles disposal
 *   proposals and approvals: reads the archive bucket only, and has no working bucket;
 * - `archive-verify` (fixity) reads the archive bucket only.
 */
import { createS3Client } from '../../shared/adapters/clients';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb-repository';
import { DynamoDbArchiveRepository } from '../../shared/adapters/archive-repository';
import { SweepIndexer } from '../../shared/adapters/sweep-index';
import { S3ArchiveDisposal, S3ArchiveStore } from '../../shared/adapters/archive-store';
import { ArchiveService } from '../../shared/app/archive';
import { verifierFromConfig, type TokenVerifier } from '../../shared/auth/verify';
import { need } from '../../shared/config/env';
import { UnauthenticatedError } from '../../shared/domain/errors';
import type { OfficeSettings } from '../../shared/domain/office';
import { officeDirectory, officeSettings } from './office';
import type { RegistrationRenderer } from '../../shared/letters/registration';
import { runtimeClock } from './clock';
import { cursorSigner, officeCalendarSource, piiKey } from './runtime';
import { config, once, tableClients } from './runtime-support';
import type { CursorSigner } from '../../shared/http/cursors';

export type ArchiveRole = 'archive-run' | 'archive-api' | 'archive-verify';

export interface ArchiveRuntime {
  archive: ArchiveService;
  verify: TokenVerifier;
  settings: OfficeSettings;
  /** The `archive-api` function's list routes (search, pending, disposal, fixity reports). */
  cursors?: CursorSigner;
}

const runtimes = new Map<ArchiveRole, () => Promise<ArchiveRuntime>>();

/**
 * The runtime of one archive function. archive-run passes its registration-form renderer
 * (functions/archive-run/handler.ts): this module imports no PDF code, so the other two bundle none.
 */
export function getArchiveRuntime(role: ArchiveRole, registrationForm?: RegistrationRenderer): Promise<ArchiveRuntime> {
  let rt = runtimes.get(role);
  if (!rt) {
    rt = once(() => build(role, registrationForm));
    runtimes.set(role, rt);
  }
  return rt();
}

async function build(role: ArchiveRole, registrationForm: RegistrationRenderer | undefined): Promise<ArchiveRuntime> {
  const c = config();
  const { clients, tableName, db } = tableClients();
  const archiveBucket = need(c, 'archiveBucket');
  const s3 = createS3Client(clients);
  const objectLock = c.archiveObjectLock;
  const settings = officeSettings();
  const writer = role === 'archive-run';
  // The case writes carry the deadline sweep's entries with the office's policy and calendar, as
  // the registry's and the sweep's do (one versioned case write: shared/adapters/dynamodb-repository.ts).
  const indexer = new SweepIndexer(settings.sweep, officeCalendarSource(new DynamoDbCaseRepository(db, tableName), settings));
  const archive = new ArchiveService({
    repo: new DynamoDbCaseRepository(db, tableName, indexer),
    archive: new DynamoDbArchiveRepository(db, tableName, indexer),
    store: new S3ArchiveStore({ s3, archiveBucket, objectLock, ...(writer ? { documentsBucket: need(c, 'documentsBucket') } : {}) }),
    ...(writer ? { disposal: new S3ArchiveDisposal({ s3, archiveBucket, objectLock }) } : {}),
    clock: runtimeClock,
    settings,
    ...(registrationForm ? { registrationForm } : {}),
    ...(role === 'archive-api' ? { piiKey: await piiKey() } : {}),
    // A loan goes only to a user of the office directory, enabled.
    ...(role === 'archive-api' ? { users: officeDirectory()?.store } : {}),
  });
  // The fixity check serves no HTTP route (and its command-line use needs no token issuer).
  const refuse = () => Promise.reject(new UnauthenticatedError('The fixity check serves no HTTP route'));
  const verify: TokenVerifier = role === 'archive-verify' ? Object.assign(refuse, { verify: refuse }) : verifierFromConfig(c);
  return { archive, verify, settings, ...(role === 'archive-api' ? { cursors: await cursorSigner() } : {}) };
}

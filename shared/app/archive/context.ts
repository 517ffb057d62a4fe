/** What the archive's use cases share: constants, their dependencies, the clock, a package by its number. */
import { createHash } from 'node:crypto';
import type { ArchiveLabels } from '../../domain/archive';
import type { AuditActor } from '../../domain/audit';
import { NotFoundError } from '../../domain/errors';
import { systemActor } from '../../domain/system-actors';
import { shanghaiDate } from '../../domain/time';
import type { ArchiveJob } from '../archive-ports';
import type { ArchiveDeps } from './types';

export const SYSTEM: AuditActor = systemActor('archive-run');
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
export const COMMIT_ATTEMPTS = 3;
/** A run holds a case's job this long: longer than a Lambda invocation can last (15 minutes). */
export const LEASE_MS = 16 * 60_000;
/** CopyObject's limit. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The base of the archive's use cases: the office's archive settings and labels, the clock, a package by number. */
export abstract class ArchiveUseCase {
  constructor(protected readonly deps: ArchiveDeps) {}

  protected get config() {
    return this.deps.settings.archive;
  }

  protected labels(): ArchiveLabels {
    const { settings } = this.deps;
    return {
      organName: settings.letters.organName,
      categoryName: (code) => settings.categories.find((c) => c.code === code)?.name ?? code,
      departmentName: (code) => settings.departments.find((d) => d.code === code)?.name ?? code,
    };
  }

  protected now() {
    const now = this.deps.clock.now();
    return { now, at: now.toISOString(), today: shanghaiDate(now) };
  }

  protected async job(archiveNo: string): Promise<ArchiveJob> {
    const job = await this.deps.archive.findByArchiveNo(archiveNo);
    if (!job || (job.state !== 'archived' && job.state !== 'purged' && job.state !== 'disposed')) throw new NotFoundError('archive package', archiveNo);
    return job;
  }
}

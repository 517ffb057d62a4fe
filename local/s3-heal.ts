/**
 * Healing s3rver's directory before the local stack starts it.
 *
 * s3rver 3.7 (node_modules/s3rver/lib/stores/filesystem.js) keeps each object as three files
 * beside each other, `<bucket>/<key>` split on `/` into directories, the last segment suffixed:
 *
 *   <name>._S3rver_object          the bytes, streamed first
 *   <name>._S3rver_object.md5      their MD5 (hex), written when the stream ends
 *   <name>._S3rver_metadata.json   content type and user metadata, written last
 *
 * and a bucket's configuration as `<bucket>/._S3rver_<cors|website|tagging>.xml` (per object:
 * `<name>._S3rver_tagging.xml`). None of it is written atomically, so a process killed while
 * s3rver was writing (SIGKILL, power loss) can leave a 0-byte or truncated metadata file — and
 * one unparsable metadata file makes every ListObjects of the bucket, and so HeadBucket (s3rver
 * answers it by listing), fail with "UnknownError": the stack cannot start again.
 *
 * `healS3Directory` finds what a killed write leaves behind and moves it aside, intact, to
 * `<dataDir>/s3-damaged/<timestamp>/<bucket>/…` with a `report.json`:
 * - `metadata-empty`, `metadata-unparsable`: the metadata file is 0 bytes or not a JSON object;
 * - `metadata-missing`: the bytes are there but the write never finished (metadata comes last);
 * - `checksum-missing`, `checksum-invalid`: no MD5 file, or not 32 hex digits;
 * - `content-mismatch`: the bytes do not have the recorded MD5 (a half-written overwrite). The
 *   bytes are re-hashed for every object after an unclean stop (no clean-stop marker, below),
 *   otherwise only for an object whose bytes are newer than its metadata;
 * - `orphan-sidecar`: metadata or MD5 without an object (a delete interrupted half-way);
 * - `config-damaged`: a configuration XML that is empty or cut off (the stack writes the CORS
 *   configuration again at every start).
 * Incomplete multipart uploads (`._S3rver_uploads/`) are invisible to clients and left alone.
 *
 * The local stack writes `<s3Dir>/.xf-clean-stop` when it stops cleanly and removes it when it
 * starts, so its absence at start means the last run was killed (or it is the first run). After a
 * clean stop the directory is not walked at all (`objects: 0` in the report): a start then costs
 * nothing however many objects there are.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseCaseNumber } from '../shared/domain/numbers';
import { ARCHIVE_PREFIX, S3_PREFIX } from '../shared/storage/definitions';

const SUFFIX = '._S3rver_';
const OBJECT = `${SUFFIX}object`;
const MD5 = `${SUFFIX}object.md5`;
const METADATA = `${SUFFIX}metadata.json`;
const UPLOADS_DIR = `${SUFFIX}uploads`;
/** Written by the local stack when it stops cleanly; removed at start. */
export const CLEAN_STOP_MARKER = '.xf-clean-stop';

export type S3Problem =
  | 'metadata-empty'
  | 'metadata-unparsable'
  | 'metadata-missing'
  | 'checksum-missing'
  | 'checksum-invalid'
  | 'content-mismatch'
  | 'orphan-sidecar'
  | 'config-damaged';

export interface DamagedObject {
  bucket: string;
  /** The object key (for a bucket configuration: `(bucket cors configuration)` and the like). */
  key: string;
  problem: S3Problem;
  /** Files moved, relative to the s3 directory. */
  files: string[];
  /** What the key names, when it follows the registry's layout (shared/storage/definitions.ts). */
  caseNo?: string;
  documentId?: string;
  archiveNo?: string;
}

export interface S3HealReport {
  /** Whether the last run had stopped cleanly (objects were re-hashed only if not). */
  cleanStop: boolean;
  /** Objects whose bytes were re-hashed against their MD5. */
  rehashed: number;
  /** Objects looked at (none after a clean stop: the files are then not walked). */
  objects: number;
  damaged: DamagedObject[];
  /** Where the damaged files went (undefined when nothing was damaged). */
  movedTo?: string;
}

export interface HealOptions {
  /** Where damaged files are moved: <damagedRoot>/<timestamp>/. */
  damagedRoot: string;
  now?: Date;
  /** Re-hash every object's bytes whatever the marker says. */
  rehashAll?: boolean;
}

/** Finds damaged s3rver files under `s3Dir`, moves them aside and reports them. Synchronous I/O except hashing. */
export async function healS3Directory(s3Dir: string, options: HealOptions): Promise<S3HealReport> {
  const marker = join(s3Dir, CLEAN_STOP_MARKER);
  const cleanStop = existsSync(marker);
  const report: S3HealReport = { cleanStop, rehashed: 0, objects: 0, damaged: [] };
  if (!existsSync(s3Dir)) return report;
  const rehashAll = options.rehashAll === true || !cleanStop;
  // After a clean stop s3rver had finished every write: nothing can be half-written, so the files
  // are not walked at all (the walk reads every object's metadata: it grew with the data and
  // cost seconds at each start, issue 18 item 14). After a kill, every object is looked at.
  if (cleanStop && options.rehashAll !== true) {
    unlinkSync(marker);
    return report;
  }
  const found: DamagedObject[] = [];

  for (const bucket of readdirSync(s3Dir, { withFileTypes: true })) {
    if (!bucket.isDirectory()) continue;
    const bucketDir = join(s3Dir, bucket.name);
    for (const [dir, names] of walk(bucketDir)) {
      const here = new Set(names);
      const rel = (name: string) => relative(s3Dir, join(dir, name));
      const keyOf = (base: string) => relative(bucketDir, join(dir, base)).split(sep).join('/');
      // Objects, by their bytes file.
      for (const name of names.filter((n) => n.endsWith(OBJECT))) {
        report.objects += 1;
        const base = name.slice(0, -OBJECT.length);
        const sidecars = [`${base}${MD5}`, `${base}${METADATA}`, `${base}${SUFFIX}tagging.xml`].filter((n) => here.has(n));
        const problem = await objectProblem(dir, base, here, rehashAll, () => (report.rehashed += 1));
        if (problem) found.push(describe(bucket.name, keyOf(base), problem, [name, ...sidecars].map(rel)));
      }
      // Metadata or MD5 without an object.
      const orphans = new Map<string, string[]>();
      for (const name of names) {
        const base = name.endsWith(MD5) ? name.slice(0, -MD5.length) : name.endsWith(METADATA) ? name.slice(0, -METADATA.length) : undefined;
        if (base !== undefined && !here.has(`${base}${OBJECT}`)) orphans.set(base, [...(orphans.get(base) ?? []), rel(name)]);
      }
      for (const [base, files] of orphans) found.push(describe(bucket.name, keyOf(base), 'orphan-sidecar', files));
      // Configuration XML (bucket level, and object tagging).
      for (const name of names.filter((n) => n.includes(SUFFIX) && n.endsWith('.xml'))) {
        const base = name.slice(0, name.indexOf(SUFFIX));
        if (base !== '' && here.has(`${base}${OBJECT}`) && found.some((d) => d.files.includes(rel(name)))) continue; // moved with its object
        if (!wellFormedXml(readFileSync(join(dir, name), 'utf8'))) {
          const what = name.slice(name.indexOf(SUFFIX) + SUFFIX.length, -'.xml'.length);
          found.push(describe(bucket.name, base === '' ? `(bucket ${what} configuration)` : keyOf(base), 'config-damaged', [rel(name)]));
        }
      }
    }
  }

  found.sort((a, b) => `${a.bucket}/${a.key}`.localeCompare(`${b.bucket}/${b.key}`));
  if (found.length > 0) {
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const target = join(options.damagedRoot, stamp);
    for (const d of found) {
      for (const file of d.files) {
        const to = join(target, file);
        mkdirSync(dirname(to), { recursive: true });
        renameSync(join(s3Dir, file), to);
        removeEmptyDirs(dirname(join(s3Dir, file)), s3Dir);
      }
    }
    writeFileSync(
      join(target, 'report.json'),
      JSON.stringify({ at: (options.now ?? new Date()).toISOString(), from: s3Dir, cleanStop, damaged: found }, null, 2) + '\n',
    );
    report.movedTo = target;
  }
  report.damaged = found;
  // From now until a clean stop, the marker is absent: a kill leaves it absent.
  if (cleanStop) unlinkSync(marker);
  return report;
}

/** Marks the s3 directory as cleanly stopped (the next start need not re-hash every object). */
export function markCleanStop(s3Dir: string, now = new Date()): void {
  if (existsSync(s3Dir)) writeFileSync(join(s3Dir, CLEAN_STOP_MARKER), `${now.toISOString()}\n`);
}

async function objectProblem(dir: string, base: string, here: Set<string>, rehashAll: boolean, counted: () => void): Promise<S3Problem | undefined> {
  const objectPath = join(dir, `${base}${OBJECT}`);
  const metadataPath = join(dir, `${base}${METADATA}`);
  const md5Path = join(dir, `${base}${MD5}`);
  if (!here.has(`${base}${METADATA}`)) return 'metadata-missing';
  const metadataStat = statSync(metadataPath);
  if (metadataStat.size === 0) return 'metadata-empty';
  try {
    const parsed: unknown = JSON.parse(readFileSync(metadataPath, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'metadata-unparsable';
  } catch {
    return 'metadata-unparsable';
  }
  if (!here.has(`${base}${MD5}`)) return 'checksum-missing';
  const md5 = readFileSync(md5Path, 'utf8').trim();
  if (!/^[0-9a-f]{32}$/.test(md5)) return 'checksum-invalid';
  const objectStat: Stats = statSync(objectPath);
  if (rehashAll || objectStat.mtimeMs > metadataStat.mtimeMs) {
    counted();
    if ((await md5Of(objectPath)) !== md5) return 'content-mismatch';
  }
  return undefined;
}

function md5Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A complete XML document: some element, closed by the same name at the end. */
function wellFormedXml(text: string): boolean {
  const body = text.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  const open = /^<([A-Za-z_][\w.-]*)/.exec(body);
  return open !== null && new RegExp(`</${open[1]}>$`).test(body);
}

/** Every directory under `root` with its file names, skipping incomplete multipart uploads. */
function* walk(root: string): Generator<[string, string[]]> {
  const entries = readdirSync(root, { withFileTypes: true });
  yield [root, entries.filter((e) => e.isFile()).map((e) => e.name)];
  for (const e of entries) if (e.isDirectory() && e.name !== UPLOADS_DIR) yield* walk(join(root, e.name));
}

function removeEmptyDirs(dir: string, stopAt: string): void {
  let current = dir;
  // Never the bucket directory itself (s3rver's bucket) nor above.
  while (relative(stopAt, current).includes(sep) && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}

/** The case, document or archive package a key names, when it follows the registry's layout. */
function describe(bucket: string, key: string, problem: S3Problem, files: string[]): DamagedObject {
  const found: DamagedObject = { bucket, key, problem, files };
  const [prefix, second, third] = key.split('/');
  if (prefix === undefined || second === undefined) return found;
  const registryPrefixes = [S3_PREFIX.uploads, S3_PREFIX.generated, S3_PREFIX.quarantine].map((p) => p.slice(0, -1));
  if (registryPrefixes.includes(prefix) && parseCaseNumber(second)) {
    found.caseNo = second;
    if (third) found.documentId = third.replace(/\.[A-Za-z0-9]+$/, '');
  } else if (prefix === ARCHIVE_PREFIX.packages.slice(0, -1)) {
    found.archiveNo = second;
  }
  return found;
}

/** The report as lines for the console. */
export function formatHealReport(report: S3HealReport, shown: (path: string) => string = (p) => p): string[] {
  if (report.damaged.length === 0) return [];
  const lines = [
    `s3rver data: ${report.damaged.length} damaged file set(s) found${report.cleanStop ? '' : ' after an unclean stop'} and moved to ${shown(report.movedTo ?? '')}:`,
  ];
  for (const d of report.damaged) {
    const what = d.caseNo ? ` — case ${d.caseNo}${d.documentId ? `, document ${d.documentId}` : ''}` : d.archiveNo ? ` — archive package ${d.archiveNo}` : '';
    lines.push(`  ${d.problem.padEnd(19)} ${d.bucket}/${d.key}${what}`);
  }
  const cases = [...new Set(report.damaged.flatMap((d) => (d.caseNo ? [d.caseNo] : [])))].sort();
  if (cases.length > 0)
    lines.push(
      `  Cases affected: ${cases.join(', ')} (a lost upload shows as missing on download; upload it again; npm run archive:verify checks archive packages).`,
    );
  return lines;
}

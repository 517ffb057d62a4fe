/**
 * What the archive's screens share: the shapes the archive routes return (the server's types,
 * imported as types only, where the server names them), and small pieces of UI.
 */
import type { DisposalRecord } from '../../../../shared/app/archive-ports';
import type { ArchiveSummary } from '../../../../shared/domain/archive';
import { ApiError } from '../../lib/api';
import './archive.css';

export type { ArchiveSummary, DisposalRecord };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PackageFile {
  path: string;
  title: string;
  size: number;
  sha256: string;
  pages?: number;
  contentType: string;
  role: 'original' | 'metadata' | 'registration';
  date: string;
}

/** GET /archive/packages/{archiveNo}. */
export interface PackageView {
  archiveNo: string;
  caseNo: string;
  state: 'allocated' | 'archived' | 'purged' | 'disposed';
  retention: string;
  retentionLabel: string;
  retentionReason: string;
  retentionSource: string;
  override?: { by: string; reason: string };
  retentionEnds?: string;
  lockUntil: string;
  archivedAt?: string;
  manifestSha256?: string;
  summary?: ArchiveSummary;
  files: PackageFile[];
  disposal?: DisposalRecord;
  loan?: { until: string; purpose: string };
}

/** POST /archive/packages/{archiveNo}/download. */
export interface DownloadLink {
  url: string;
  expiresInSec: number;
  path: string;
  fileName: string;
  sha256: string;
  size: number;
}

export function packageLink(archiveNo: string): string {
  return `/archive/packages/${encodeURIComponent(archiveNo)}`;
}

export function packagePath(archiveNo: string, ...rest: string[]): string {
  return ['/archive/packages', encodeURIComponent(archiveNo), ...rest].join('/');
}

export function RetentionBadge({ retention, label }: { retention: string; label: string }) {
  return <span className={`badge badge-${retention} archive-retention`}>{label}</span>;
}

export const DISPOSAL_STATES: Record<DisposalRecord['state'], string> = { proposed: '已提出销毁', approved: '已批准销毁', destroyed: '已销毁' };

/** A hash shortened for a table, whole in its tooltip (and for copy). */
export function Hash({ value, full }: { value: string | undefined; full?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className={full ? 'archive-hash-full' : 'archive-hash'} title={value}>
      {full ? value : `${value.slice(0, 12)}…${value.slice(-6)}`}
    </span>
  );
}

/** Where the retention class came from, in words. */
export function retentionSourceText(source: string): string {
  if (source === 'override') return '档案员指定';
  if (source === 'default') return '默认规则';
  const m = /^rule:(\d+)$/.exec(source);
  return m ? `归档规则第${m[1]}条` : source;
}

/** Today in Beijing, YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * The last day under retention: `retentionEnds` is the first day a record may be disposed of
 * (1 January after the term), so the day before it.
 */
export function keptUntil(retentionEnds: string | undefined): string | undefined {
  if (!retentionEnds) return undefined;
  const d = new Date(`${retentionEnds}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function hasRole(roles: readonly string[], ...wanted: string[]): boolean {
  return wanted.some((r) => roles.includes(r));
}

/**
 * The API's field issues keyed by the form's field names: the API names them by where they were
 * sent (`body.purpose`, `query.year`, `body.overrides.0.reason`); the forms by the field.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(error.fieldErrors())) out[k.replace(/^(body|query|params)\./, '')] ??= archiveReason(v);
  return out;
}

/** Reasons only the archive's routes give, in Chinese (the rest are translated by lib/messages). */
function archiveReason(reason: string): string {
  const days = /^at most (\d+) days$/.exec(reason);
  if (days) return `借阅期限最长 ${days[1]} 天`;
  if (/^state the purpose of the retrieval$/.test(reason)) return '请填写查阅目的';
  return reason;
}

/**
 * What the archive's screens share: the shapes the archive routes return (the server's types,
 * imported as types only, where the server names them), and small pieces of UI.
 */
import type { DisposalRecord } from '@shared/app/archive-ports';
import type { ArchiveSummary } from '@shared/domain/archive';
import { useState } from 'react';
import { ApiError } from '../../lib/api';
import { Button } from '../../components/ui';
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
  return error instanceof ApiError ? error.fieldErrors() : {};
}

/**
 * Paging through a cursor-paged list: the cursor of the page shown and those before it (a
 * stack), back to the first page whenever `resetKey` (the list's criteria) changes.
 */
export interface CursorPages {
  /** The cursor of the page shown (undefined: the first page). */
  current: string | undefined;
  /** 1 for the first page. */
  page: number;
  next: (cursor: string | undefined) => void;
  prev: () => void;
  /** Back to the first page. */
  first: () => void;
}

export function useCursorPages(resetKey = ''): CursorPages {
  const [state, setState] = useState<{ stack: (string | undefined)[]; current: string | undefined; key: string }>({
    stack: [],
    current: undefined,
    key: resetKey,
  });
  const s = state.key === resetKey ? state : { stack: [], current: undefined, key: resetKey };
  return {
    current: s.current,
    page: s.stack.length + 1,
    next: (cursor) => {
      if (cursor) setState({ stack: [...s.stack, s.current], current: cursor, key: resetKey });
    },
    prev: () => setState({ stack: s.stack.slice(0, -1), current: s.stack[s.stack.length - 1], key: resetKey }),
    first: () => setState({ stack: [], current: undefined, key: resetKey }),
  };
}

/** 上一页 / 下一页 under a cursor-paged list; nothing when everything fits on one page. */
export function Pager({
  pages,
  nextCursor,
  busy,
  labels = ['上一页', '下一页'],
  showPage,
}: {
  pages: CursorPages;
  nextCursor: string | undefined;
  busy?: boolean;
  labels?: [string, string];
  showPage?: boolean;
}) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="archive-pager" aria-label="翻页">
      {showPage ? <span className="muted">第 {pages.page} 页</span> : null}
      <Button onClick={pages.prev} disabled={pages.page === 1 || busy}>
        {labels[0]}
      </Button>
      <Button onClick={() => pages.next(nextCursor)} disabled={!nextCursor || busy}>
        {labels[1]}
      </Button>
    </nav>
  );
}

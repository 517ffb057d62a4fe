/**
 * 批量审批: what one approval sends for an item of 待审批 (shared by the row's 批准 and the bulk
 * run), the bulk run over the selected items (one request per case, each with the version read),
 * and why an item failed, in words for the director.
 */
import type { Action } from '@shared/domain/actions';
import type { AwaitingSummary, CaseSummary } from '@shared/app/views';
import { ApiError } from '../../lib/api';
import { runEach } from '../../lib/run-each';

export type Row = CaseSummary & { awaiting: AwaitingSummary };

export interface ApprovalRequest {
  action: Action;
  body: Record<string, unknown>;
  /** What the row says once done (已批准…). */
  label: string;
}

/**
 * The request that approves `a`: a proposal with the director's comment (批办意见) if any, an
 * extension for the days asked with the comment as its reason (else the department's), a reply as
 * answered.
 */
export function approvalRequest(a: AwaitingSummary, comment: string): ApprovalRequest {
  const text = comment.trim();
  if (a.kind === 'proposal') return { action: 'approve-proposal', body: text ? { comment: text } : {}, label: '已批准' };
  if (a.kind === 'extension') return { action: 'extend', body: { days: a.days, reason: text || a.reason }, label: `已批准延期 ${a.days} 天` };
  return { action: 'approve-reply', body: {}, label: '已批准答复' };
}

/** The bulk run's request for a row: the shared 批办意见 goes with proposals only (an extension keeps its own reason). */
export function bulkRequest(row: Row, comment: string): ApprovalRequest {
  return approvalRequest(row.awaiting, row.awaiting.kind === 'proposal' ? comment : '');
}

/** Why an approval failed, for the summary. */
export function failureText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'CONFLICT' || (error.status === 409 && error.code !== 'ILLEGAL_TRANSITION')) return '案件已被他人更新，请刷新后重试';
    if (error.code === 'ILLEGAL_TRANSITION') return '案件当前状态已不允许此操作（可能已由他人办理），请刷新后查看';
    if (error.status === 428) return '缺少版本号，请刷新后重试';
    if (error.status === 400 && error.issues.length > 0) {
      const reasons = [...new Set(Object.values(error.fieldErrors()))];
      return `需在案件页补充后办理：${reasons.join('；')}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface BulkOutcome {
  caseNo: string;
  subject: string;
  ok: boolean;
  /** 已批准… and the case's new status, or the reason it failed. */
  text: string;
}

/** The answer of one approval that the summary shows. */
export interface Approved {
  statusLabel: string;
}

/**
 * Approves `rows` one request per case, in order, each with its own If-Match version; carries on
 * past a failure and reports `done` of `rows.length` after each.
 */
export async function approveEach(
  rows: readonly Row[],
  comment: string,
  post: (caseNo: string, request: ApprovalRequest, version: number) => Promise<Approved>,
  onProgress: (done: number) => void,
): Promise<BulkOutcome[]> {
  const results = await runEach(
    rows,
    async (row) => {
      const request = bulkRequest(row, comment);
      const view = await post(row.caseNo, request, row.version);
      return `${request.label}，案件状态：${view.statusLabel}`;
    },
    (done) => onProgress(done),
  );
  return results.map((r) => ({
    caseNo: r.item.caseNo,
    subject: r.item.subject,
    ok: r.ok,
    text: r.ok ? r.value : failureText(r.error),
  }));
}

/**
 * 批量审批 on 待审批: the bar showing what is selected (with the shared 批办意见), and the dialog
 * that lists the selected items, each with 预览文书 (the letter preview of the single approval,
 * POST /cases/{caseNo}/letters/preview), then approves them one request per case with progress
 * and ends with what was approved and why anything was not.
 */
import { useEffect, useRef, useState } from 'react';
import type { CaseView } from '@shared/app/views';
import { Button, Notice } from '../../components/ui';
import { api, casePath } from '../../lib/api';
import { caseLink, Link } from '../../lib/router';
import { fetchPreview, LetterPreviewPanel, previewErrorText, type PreviewState } from '../case/actions/LetterPreview';
import { AwaitingText } from './AwaitingText';
import { approveEach, bulkRequest, type BulkOutcome, type Row } from './bulk';

const KIND_WORDS: Record<Row['awaiting']['kind'], string> = { proposal: '拟办意见', extension: '延期申请', reply: '办理答复' };

export function BulkBar({
  rows,
  comment,
  onComment,
  onOpen,
  onClear,
}: {
  rows: Row[];
  comment: string;
  onComment: (text: string) => void;
  onOpen: () => void;
  onClear: () => void;
}) {
  if (rows.length === 0) return null;
  const proposals = rows.filter((r) => r.awaiting.kind === 'proposal').length;
  const counts = (['proposal', 'extension', 'reply'] as const)
    .map((k) => [KIND_WORDS[k], rows.filter((r) => r.awaiting.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([w, n]) => `${w} ${n}`)
    .join('，');
  return (
    <section className="bulk-bar" aria-label="批量审批" data-testid="bulk-bar">
      <div className="bulk-count" role="status">
        已选 <strong>{rows.length}</strong> 项<span className="muted">（{counts}）</span>
      </div>
      {proposals > 0 ? (
        <div className="bulk-comment">
          <label htmlFor="bulk-comment">批办意见（用于所选 {proposals} 项拟办意见，可不填）</label>
          <textarea id="bulk-comment" rows={1} maxLength={2000} value={comment} onChange={(e) => onComment(e.target.value)} />
        </div>
      ) : null}
      <div className="row">
        <Button variant="primary" onClick={onOpen} data-testid="bulk-open">
          批量审批…
        </Button>
        <Button variant="link" onClick={onClear}>
          取消选择
        </Button>
      </div>
    </section>
  );
}

type Phase = { kind: 'confirm' } | { kind: 'running'; done: number } | { kind: 'done'; outcomes: BulkOutcome[] };

/** The modal dialog of one bulk run over `rows` (a snapshot taken when it opened). */
export function BulkDialog({ rows, comment, onFinished, onClose }: { rows: Row[]; comment: string; onFinished: () => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const [previewOf, setPreviewOf] = useState<string | undefined>();
  const [preview, setPreview] = useState<PreviewState | undefined>();
  const [previewError, setPreviewError] = useState<string | undefined>();
  const [previewing, setPreviewing] = useState<string | undefined>();
  const total = rows.length;
  const text = comment.trim();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const showPreview = async (row: Row): Promise<void> => {
    setPreviewOf(row.caseNo);
    setPreview(undefined);
    setPreviewError(undefined);
    setPreviewing(row.caseNo);
    try {
      const r = bulkRequest(row, comment);
      setPreview(await fetchPreview(row.caseNo, row.version, r.action, r.body));
    } catch (e) {
      setPreviewError(previewErrorText(e));
    } finally {
      setPreviewing(undefined);
    }
  };

  const run = async (): Promise<void> => {
    setPreviewOf(undefined);
    setPhase({ kind: 'running', done: 0 });
    const outcomes = await approveEach(
      rows,
      comment,
      async (caseNo, request, version) => (await api.post<CaseView>(casePath(caseNo, request.action), request.body, { ifMatch: version })).data,
      (done) => setPhase({ kind: 'running', done }),
    );
    setPhase({ kind: 'done', outcomes });
    onFinished();
  };

  const running = phase.kind === 'running';
  const done = phase.kind === 'running' ? phase.done : phase.kind === 'done' ? total : 0;
  return (
    <dialog
      ref={ref}
      className="bulk-dialog"
      aria-labelledby="bulk-dialog-title"
      data-testid="bulk-dialog"
      onCancel={(e) => {
        // Escape closes the dialog, but not while approvals are being sent.
        if (running) e.preventDefault();
      }}
      onClose={onClose}
    >
      <div className="bulk-dialog-inner">
        <h2 id="bulk-dialog-title">{phase.kind === 'done' ? '批量审批结果' : `批量审批：${total} 项`}</h2>
        {phase.kind === 'confirm' ? (
          <>
            <p className="hint">
              逐项提交，每项按列表读取时的版本办理；出具的文书在确认时逐件编定文号。可先逐项预览文书。
              {text ? `批办意见“${text}”用于所选拟办意见。` : ''}
            </p>
            <ol className="bulk-items">
              {rows.map((row) => {
                return (
                  <li key={row.caseNo} data-case-no={row.caseNo}>
                    <div className="bulk-item">
                      <span className="case-no">{row.caseNo}</span>
                      <span className="bulk-subject">{row.subject}</span>
                      <span className="bulk-what">
                        <span className="muted">{KIND_WORDS[row.awaiting.kind]}：</span>
                        <AwaitingText a={row.awaiting} />
                      </span>
                      <Button
                        onClick={() => void showPreview(row)}
                        busy={previewing === row.caseNo}
                        data-testid="bulk-preview"
                        aria-label={`预览文书 ${row.caseNo}`}
                      >
                        预览文书
                      </Button>
                    </div>
                    {previewOf === row.caseNo && previewError ? (
                      <div className="banner banner-warn" role="alert">
                        {previewError}
                      </div>
                    ) : null}
                    {previewOf === row.caseNo && preview ? <LetterPreviewPanel preview={preview} onClose={() => setPreviewOf(undefined)} /> : null}
                  </li>
                );
              })}
            </ol>
            <div className="row bulk-actions">
              <Button variant="primary" onClick={() => void run()} data-testid="bulk-confirm">
                确认批准 {total} 项
              </Button>
              <Button variant="link" onClick={() => ref.current?.close()}>
                取消
              </Button>
            </div>
          </>
        ) : null}
        {phase.kind !== 'confirm' ? (
          <div className="bulk-progress" role="status" aria-live="polite">
            <progress max={total} value={done} aria-label="批量审批进度" />
            <span data-testid="bulk-progress">
              已完成 {done} / {total}
            </span>
          </div>
        ) : null}
        {phase.kind === 'done' ? <Summary outcomes={phase.outcomes} onClose={() => ref.current?.close()} /> : null}
      </div>
    </dialog>
  );
}

function Summary({ outcomes, onClose }: { outcomes: BulkOutcome[]; onClose: () => void }) {
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="bulk-summary" data-testid="bulk-summary">
      {failed.length === 0 ? <Notice kind="success">全部 {ok.length} 项已批准。</Notice> : null}
      {ok.length > 0 ? (
        <>
          <h3>已批准 {ok.length} 项</h3>
          <ul data-testid="bulk-succeeded">
            {ok.map((o) => (
              <li key={o.caseNo} data-case-no={o.caseNo}>
                <Link to={caseLink(o.caseNo)}>{o.caseNo}</Link> {o.subject}：{o.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {failed.length > 0 ? (
        <>
          <h3 className="bulk-failed-title">未能批准 {failed.length} 项</h3>
          <ul data-testid="bulk-failed">
            {failed.map((o) => (
              <li key={o.caseNo} data-case-no={o.caseNo}>
                <Link to={caseLink(o.caseNo)}>{o.caseNo}</Link> {o.subject}：<span className="field-error">{o.text}</span>
              </li>
            ))}
          </ul>
          <p className="hint">列表已刷新；未批准的事项仍在列表中，可重新选择或到案件页办理。</p>
        </>
      ) : (
        <p className="hint">列表已刷新。</p>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary" ref={close} onClick={onClose}>
          关闭
        </button>
      </div>
    </div>
  );
}

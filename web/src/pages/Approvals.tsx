/**
 * 待审批 (#/approvals, director): what awaits the director — clerks' proposals on registered cases
 * (批办), departments' extension requests (延期), departments' answers (审批答复) — from
 * `GET /cases?awaiting=proposal|extension|reply` (one Query of the status index each). Each row
 * approves inline where the API allows it (批准; an answer can also be 退回 with a comment); the
 * case page has the full forms and the letter preview. Several rows can be selected (a checkbox
 * each, 全选 per list) and approved together (批量审批, approvals/BulkApproval.tsx): each previewable,
 * then one request per case with progress and a summary.
 */
import { useState } from 'react';
import type { Action } from '@shared/domain/actions';
import type { AwaitingSummary, CaseSummary, CaseView } from '@shared/app/views';
import type { Page as ListPage } from '@shared/app/ports';
import { Button, Card, DaysLeft, Empty, ErrorBanner, Loading, Page, StatusBadge, Table } from '../components/ui';
import { api, ApiError, casePath } from '../lib/api';
import { chineseDate, dateTime } from '../lib/format';
import { useLoad } from '../lib/hooks';
import type { PageProps } from '../lib/page';
import { caseLink, Link } from '../lib/router';
import { useLabels } from '../lib/vocab';
import { daysBetween, todayInBeijing } from '../lib/format';
import './case/actions/actions.css';
import { usePeople } from '../lib/people';
import { approvalRequest, type Row } from './approvals/bulk';
import { BulkBar, BulkDialog } from './approvals/BulkApproval';
import { AwaitingText } from './approvals/AwaitingText';

type Kind = AwaitingSummary['kind'];

const SECTIONS: { kind: Kind; title: string; what: string; empty: string }[] = [
  { kind: 'proposal', title: '拟办意见', what: '拟办意见', empty: '没有待批办的拟办意见。' },
  { kind: 'extension', title: '延期申请', what: '延期申请', empty: '没有待审批的延期申请。' },
  { kind: 'reply', title: '办理答复', what: '办理答复', empty: '没有待审批的办理答复。' },
];

const PAGE_SIZE = 100;

async function loadKind(kind: Kind, signal: AbortSignal, cursor?: string): Promise<{ items: Row[]; cursor?: string }> {
  const r = await api.get<ListPage<CaseSummary>>('/cases', { query: { awaiting: kind, limit: PAGE_SIZE, cursor }, signal });
  return { items: r.data.items.filter((i): i is Row => i.awaiting?.kind === kind), cursor: r.data.cursor };
}

export default function Approvals(_props: PageProps) {
  const loaded = useLoad(async (signal) => {
    const [proposal, extension, reply] = await Promise.all(SECTIONS.map((s) => loadKind(s.kind, signal)));
    return { proposal, extension, reply } as Record<Kind, { items: Row[]; cursor?: string }>;
  }, []);
  const [more, setMore] = useState<Partial<Record<Kind, { items: Row[]; cursor?: string }>>>({});
  const [loadingMore, setLoadingMore] = useState<Kind | undefined>();
  const [moreError, setMoreError] = useState<unknown>();

  const rowsOf = (kind: Kind): { items: Row[]; cursor?: string } => {
    const base = loaded.data?.[kind] ?? { items: [] };
    const extra = more[kind];
    return extra ? { items: [...base.items, ...extra.items], cursor: extra.cursor } : base;
  };
  const total = SECTIONS.reduce((n, s) => n + rowsOf(s.kind).items.length, 0);

  // 批量审批: the case numbers ticked (rows approved or returned one by one on this page drop out), and the run's dialog.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [approved, setApproved] = useState<ReadonlySet<string>>(new Set());
  const [bulkComment, setBulkComment] = useState('');
  const [bulk, setBulk] = useState<{ rows: Row[]; comment: string } | undefined>();
  const sorted = (kind: Kind): Row[] => [...rowsOf(kind).items].sort((a, b) => a.awaiting.at.localeCompare(b.awaiting.at));
  const selectable = (kind: Kind): Row[] => sorted(kind).filter((r) => !approved.has(r.caseNo));
  const selectedRows = SECTIONS.flatMap((s) => selectable(s.kind).filter((r) => selected.has(r.caseNo)));
  const toggle = (caseNos: string[], on: boolean): void =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const c of caseNos) {
        if (on) next.add(c);
        else next.delete(c);
      }
      return next;
    });
  const reload = (): void => {
    setMore({});
    setApproved(new Set());
    loaded.reload();
  };

  const loadMore = async (kind: Kind): Promise<void> => {
    setLoadingMore(kind);
    setMoreError(undefined);
    try {
      const next = await loadKind(kind, new AbortController().signal, rowsOf(kind).cursor);
      setMore((m) => ({ ...m, [kind]: { items: [...(m[kind]?.items ?? []), ...next.items], cursor: next.cursor } }));
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(undefined);
    }
  };

  return (
    <Page
      title="待审批"
      actions={
        <Button onClick={reload} busy={loaded.loading && loaded.data !== undefined}>
          刷新
        </Button>
      }
    >
      <ErrorBanner error={loaded.error} />
      <ErrorBanner error={moreError} />
      {loaded.data === undefined && loaded.loading ? <Loading /> : null}
      {loaded.data ? (
        <>
          <nav className="queue-tabs" aria-label="待审批分类">
            {SECTIONS.map((s) => (
              <Button key={s.kind} onClick={() => document.getElementById(`queue-${s.kind}`)?.scrollIntoView({ behavior: 'smooth' })}>
                {s.title}{' '}
                <span className="count">
                  {rowsOf(s.kind).items.length}
                  {rowsOf(s.kind).cursor ? '+' : ''}
                </span>
              </Button>
            ))}
          </nav>
          {total === 0 ? <p className="muted">目前没有等待审批的事项。</p> : null}
          {SECTIONS.map((s) => {
            const { items, cursor } = rowsOf(s.kind);
            const pickable = selectable(s.kind);
            const picked = pickable.filter((r) => selected.has(r.caseNo)).length;
            const all = (
              <input
                type="checkbox"
                className="pick-all"
                aria-label={`全选${s.title}`}
                title="全选"
                checked={pickable.length > 0 && picked === pickable.length}
                ref={(el) => {
                  if (el) el.indeterminate = picked > 0 && picked < pickable.length;
                }}
                disabled={pickable.length === 0}
                onChange={(e) =>
                  toggle(
                    pickable.map((r) => r.caseNo),
                    e.target.checked,
                  )
                }
                data-testid={`pick-all-${s.kind}`}
              />
            );
            return (
              <div id={`queue-${s.kind}`} key={s.kind}>
                <Card title={`${s.title}（${items.length}${cursor ? '+' : ''}）`}>
                  {items.length === 0 ? (
                    <Empty>{s.empty}</Empty>
                  ) : (
                    <div className="approvals-table case-table">
                      <Table head={[all, '案件编号', '事由', '待审批事项', '提出', '期限', '审批']} caption={`${s.title}：按提出时间排列`}>
                        {sorted(s.kind).map((row) => (
                          <ApprovalRow
                            key={row.caseNo}
                            row={row}
                            what={s.what}
                            selected={selected.has(row.caseNo) && !approved.has(row.caseNo)}
                            onSelect={(on) => toggle([row.caseNo], on)}
                            onDone={() => {
                              setApproved((prev) => new Set(prev).add(row.caseNo));
                              toggle([row.caseNo], false);
                            }}
                          />
                        ))}
                      </Table>
                    </div>
                  )}
                  {cursor ? (
                    <div className="list-more">
                      <Button onClick={() => void loadMore(s.kind)} busy={loadingMore === s.kind}>
                        加载更多
                      </Button>
                    </div>
                  ) : null}
                </Card>
              </div>
            );
          })}
          <BulkBar
            rows={selectedRows}
            comment={bulkComment}
            onComment={setBulkComment}
            onOpen={() => setBulk({ rows: selectedRows, comment: bulkComment })}
            onClear={() => setSelected(new Set())}
          />
        </>
      ) : null}
      {bulk ? (
        <BulkDialog
          rows={bulk.rows}
          comment={bulk.comment}
          onFinished={() => {
            setSelected(new Set());
            setBulkComment('');
            reload();
          }}
          onClose={() => {
            setBulk(undefined);
            // Back to the bar if a selection is left, else to the queue's tabs (the bar is gone after a run).
            requestAnimationFrame(() =>
              (document.querySelector<HTMLElement>('[data-testid="bulk-open"]') ?? document.querySelector<HTMLElement>('.queue-tabs button'))?.focus(),
            );
          }}
        />
      ) : null}
    </Page>
  );
}

interface Outcome {
  label: string;
  view: CaseView;
}

function ApprovalRow({
  row,
  what,
  selected,
  onSelect,
  onDone,
}: {
  row: Row;
  what: string;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onDone: () => void;
}) {
  const person = usePeople();
  const L = useLabels();
  const a = row.awaiting;
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Action | undefined>();
  const [error, setError] = useState<unknown>();
  const [commentError, setCommentError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const today = todayInBeijing();
  const due = a.due;
  const commentId = `approval-comment-${row.caseNo}`;

  const act = async (action: Action, body: Record<string, unknown>, label: string): Promise<void> => {
    setBusy(action);
    setError(undefined);
    setCommentError(undefined);
    try {
      const r = await api.post<CaseView>(casePath(row.caseNo, action), body, { ifMatch: row.version });
      setOutcome({ label, view: r.data });
      onDone();
    } catch (e) {
      setError(e);
      if (e instanceof ApiError) {
        const fe = e.fieldErrors();
        setCommentError(fe['body.comment'] ?? fe['body.reason']);
      }
    } finally {
      setBusy(undefined);
    }
  };

  const approve = (): Promise<void> => {
    const r = approvalRequest(a, comment);
    return act(r.action, r.body, r.label);
  };
  const sendBack = (): Promise<void> => {
    if (!comment.trim()) {
      setCommentError('退回须填写意见');
      return Promise.resolve();
    }
    return act('return', { comment: comment.trim() }, '已退回重办');
  };

  const conflict = error instanceof ApiError && (error.status === 409 || error.status === 428);
  return (
    <tr data-case-no={row.caseNo} data-awaiting={a.kind} className={selected ? 'selected' : undefined}>
      <td className="pick">
        <input
          type="checkbox"
          aria-label={`选择 ${row.caseNo}`}
          checked={selected}
          disabled={outcome !== undefined}
          onChange={(e) => onSelect(e.target.checked)}
          data-testid="pick"
        />
      </td>
      <td className="case-no">
        <Link to={caseLink(row.caseNo)}>{row.caseNo}</Link>
        <span className="sub">
          <StatusBadge status={(outcome?.view.status ?? row.status) as string} label={outcome?.view.statusLabel ?? row.statusLabel} />
        </span>
      </td>
      <td>
        <span className="subject">{row.subject}</span>
        <span className="sub">
          {row.petitioners[0]?.name ?? ''}
          {row.persons > 1 ? `等${row.persons}人` : ''} · {L.category(row.category)} · 收到 {chineseDate(row.receivedOn)}
        </span>
      </td>
      <td>
        <span className="sub">{what}</span>
        <AwaitingText a={a} />
      </td>
      <td className="nowrap">
        {person(a.by)}
        <span className="sub">{dateTime(a.at)}</span>
      </td>
      <td className="nowrap">
        {due ? (
          <>
            {chineseDate(due)}
            <span className="sub">
              {a.kind === 'proposal' ? '受理告知期限' : '办理期限'} <DaysLeft days={daysBetween(today, due)} />
            </span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {outcome ? (
          <div className="approval-result" role="status">
            <strong>{outcome.label}</strong>，案件状态：{outcome.view.statusLabel}
            {outcome.view.deptCode && outcome.view.status === 'assigned' ? `（${L.department(outcome.view.deptCode)}承办）` : ''}
            <div>
              <Link to={caseLink(row.caseNo)}>查看案件</Link>
            </div>
          </div>
        ) : (
          <div className="approval-inline">
            <label htmlFor={commentId}>{a.kind === 'reply' ? '审批意见（退回时必填）' : a.kind === 'extension' ? '延期理由（不填按申请）' : '批办意见'}</label>
            <textarea
              id={commentId}
              rows={2}
              maxLength={2000}
              value={comment}
              aria-invalid={commentError ? true : undefined}
              aria-describedby={commentError ? `${commentId}-err` : undefined}
              onChange={(e) => {
                setComment(e.target.value);
                setCommentError(undefined);
              }}
            />
            {commentError ? (
              <div className="field-error" id={`${commentId}-err`} role="alert">
                {commentError}
              </div>
            ) : null}
            <div className="row">
              <Button
                variant="primary"
                busy={busy !== undefined && busy !== 'return'}
                disabled={busy !== undefined}
                onClick={() => void approve()}
                data-testid="approve"
              >
                批准
              </Button>
              {a.kind === 'reply' ? (
                <Button variant="danger" busy={busy === 'return'} disabled={busy !== undefined} onClick={() => void sendBack()} data-testid="return">
                  退回
                </Button>
              ) : null}
              <Link to={caseLink(row.caseNo)}>{a.kind === 'extension' ? '到案件页办理' : '预览文书并办理'}</Link>
            </div>
            {error && !commentError ? (
              <div className="field-error" role="alert">
                {conflict ? '案件已变化，请点“刷新”后重试，或到案件页办理。' : ''}
                {error instanceof ApiError ? error.message : String(error)}
              </div>
            ) : null}
          </div>
        )}
      </td>
    </tr>
  );
}

/**
 * 到期鉴定 (#/archive/disposal): fixed-term packages whose retention has ended (GET
 * /archive/disposal, sorted by the day retention ended). Destruction takes two people: an
 * archivist proposes it with a reason (POST …/disposal), a director other than the proposer
 * approves it with an optional comment (POST …/disposal/approve); the next archive run destroys
 * the package and keeps the record of it. Permanent records are never listed.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { chineseDate, dateTime, todayInBeijing } from '../../lib/format';
import { useDraft, useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { Link } from '../../lib/router';
import { Button, Card, Empty, ErrorBanner, Loading, Notice, Page, Table, TextArea, TextInput } from '../../components/ui';
import {
  fieldErrorsOf,
  DISPOSAL_STATES,
  hasRole,
  keptUntil,
  packageLink,
  packagePath,
  RetentionBadge,
  type ArchiveSummary,
  type DisposalRecord,
  type Page as ResultPage,
  Pager,
  useCursorPages,
} from './shared';

interface DueItem {
  archiveNo: string;
  caseNo: string;
  retention: string;
  retentionLabel: string;
  retentionEnds?: string;
  summary?: ArchiveSummary;
  disposal: DisposalRecord | null;
}

const PAGE_SIZE = 50;

export default function ArchiveDisposal({ session }: PageProps) {
  const roles = session.user.roles as readonly string[];
  const me = session.user.username;
  const [onOrBefore, setOnOrBefore] = useState('');
  const [applied, setApplied] = useState('');
  const pages = useCursorPages(applied);
  const list = useLoad(
    (signal) =>
      api
        .get<ResultPage<DueItem>>('/archive/disposal', { query: { limit: PAGE_SIZE, cursor: pages.current, onOrBefore: applied || undefined }, signal })
        .then((r) => r.data),
    [pages.current, applied],
  );
  const [open, setOpen] = useState<string>();
  const [done, setDone] = useState<string>();
  const filterErrors = fieldErrorsOf(list.error);

  const filter = (e: FormEvent) => {
    e.preventDefault();
    pages.first();
    if (onOrBefore === applied) list.reload();
    else setApplied(onOrBefore);
  };

  const items = list.data?.items ?? [];
  const today = todayInBeijing();
  return (
    <Page title="到期鉴定">
      <p className="archive-help">
        保管期满的定期档案：档案员提出销毁并说明鉴定理由，主任（非提出人）批准后，由下一次归档运行销毁，并保留销毁记录。永久档案不在此列。可按日期预览将要到期的档案（不填为今天）。
      </p>
      {done ? <Notice kind="success">{done}</Notice> : null}
      <Card>
        <form className="archive-filter" onSubmit={filter} aria-label="筛选">
          <TextInput
            label="保管期满日期截至"
            name="onOrBefore"
            type="date"
            value={onOrBefore}
            onChange={(e) => setOnOrBefore(e.target.value)}
            error={filterErrors.onOrBefore}
          />
          <Button type="submit">筛选</Button>
        </form>
      </Card>
      <Card title="保管期满的档案">
        <ErrorBanner error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && items.length === 0 ? <Empty>没有保管期满待鉴定的档案</Empty> : null}
        {items.length > 0 ? (
          <Table head={['档号', '案件编号', '题名', '保管期限', '保管期满', '处置状态', '操作']}>
            {items.map((item) => {
              const ended = item.retentionEnds !== undefined && item.retentionEnds <= today;
              const canPropose = hasRole(roles, 'archivist') && !item.disposal && ended;
              const canApprove = hasRole(roles, 'director') && item.disposal?.state === 'proposed' && item.disposal.proposedBy !== me;
              return (
                <DueRow
                  key={item.archiveNo}
                  item={item}
                  action={canPropose ? 'propose' : canApprove ? 'approve' : undefined}
                  open={open === item.archiveNo}
                  onToggle={() => setOpen(open === item.archiveNo ? undefined : item.archiveNo)}
                  onDone={(msg) => {
                    setOpen(undefined);
                    setDone(msg);
                    list.reload();
                  }}
                />
              );
            })}
          </Table>
        ) : null}
        {list.data ? <Pager pages={pages} nextCursor={list.data.cursor} /> : null}
      </Card>
    </Page>
  );
}

function DueRow({
  item,
  action,
  open,
  onToggle,
  onDone,
}: {
  item: DueItem;
  action?: 'propose' | 'approve';
  open: boolean;
  onToggle: () => void;
  onDone: (msg: string) => void;
}) {
  const d = item.disposal;
  return (
    <>
      <tr data-archive-no={item.archiveNo}>
        <td>
          <Link className="archive-no" to={packageLink(item.archiveNo)}>
            {item.archiveNo}
          </Link>
        </td>
        <td className="archive-no">{item.caseNo}</td>
        <td className="archive-subject">{item.summary?.subject ?? '—'}</td>
        <td>
          <RetentionBadge retention={item.retention} label={item.retentionLabel} />
        </td>
        <td className="archive-date">{chineseDate(keptUntil(item.retentionEnds))}</td>
        <td>
          {d ? (
            <>
              <span className={`badge badge-${d.state}`}>{DISPOSAL_STATES[d.state]}</span>
              <div className="muted">
                {d.proposedBy} {dateTime(d.proposedAt)}：{d.reason}
              </div>
              {d.approvedBy ? (
                <div className="muted">
                  {d.approvedBy} 批准{d.approvalComment ? `：${d.approvalComment}` : ''}
                </div>
              ) : null}
            </>
          ) : (
            <span className="muted">待鉴定</span>
          )}
        </td>
        <td>
          {action ? (
            <Button variant="danger" onClick={onToggle} aria-expanded={open}>
              {action === 'propose' ? '提出销毁' : '批准销毁'}
            </Button>
          ) : null}
        </td>
      </tr>
      {open && action ? (
        <tr>
          <td colSpan={7}>
            <DecisionForm item={item} action={action} onDone={onDone} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function DecisionForm({ item, action, onDone }: { item: DueItem; action: 'propose' | 'approve'; onDone: (msg: string) => void }) {
  const [text, setText, clear] = useDraft(`archive-${action}.${item.archiveNo}`, '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const errors = fieldErrorsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'propose') await api.post(packagePath(item.archiveNo, 'disposal'), { reason: text });
      else await api.post(packagePath(item.archiveNo, 'disposal', 'approve'), text.trim() ? { comment: text } : {});
      clear();
      onDone(action === 'propose' ? `已提出销毁 ${item.archiveNo}，待主任批准。` : `已批准销毁 ${item.archiveNo}，下一次归档运行时销毁。`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-label={action === 'propose' ? `提出销毁 ${item.archiveNo}` : `批准销毁 ${item.archiveNo}`}>
      {error && !(errors.reason || errors.comment) ? <ErrorBanner error={error} /> : null}
      {action === 'propose' ? (
        <TextArea
          label="销毁理由"
          name="reason"
          required
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={errors.reason}
          placeholder="如：经鉴定，该档案已无继续保存价值"
        />
      ) : (
        <TextArea label="审批意见" name="comment" rows={2} value={text} onChange={(e) => setText(e.target.value)} error={errors.comment} placeholder="可不填" />
      )}
      <Button type="submit" variant="danger" busy={busy}>
        {action === 'propose' ? '确认提出销毁' : '确认批准销毁'}
      </Button>
    </form>
  );
}

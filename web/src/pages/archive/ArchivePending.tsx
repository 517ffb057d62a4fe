/**
 * 待归档 (#/archive/pending): closed cases waiting to be archived (GET /archive/pending), each
 * with the retention class the office's rules give it. An archivist archives one case now
 * (POST /archive/run {caseNos}), optionally with another retention class and the reason
 * (overrides), or every eligible case (全部归档, POST /archive/run {}). The run's report says
 * what happened to each case.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { chineseDate } from '../../lib/format';
import { useDraft, useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { caseLink, Link } from '../../lib/router';
import { useLabels, useVocab } from '../../lib/vocab';
import { Button, Card, Empty, ErrorBanner, Loading, Notice, Page, Select, Table, TextInput } from '../../components/ui';
import { fieldErrorsOf, packageLink, RetentionBadge, retentionSourceText, type Page as ResultPage, Pager, useCursorPages } from './shared';
import { archiveAll } from './run-all';

interface PendingCase {
  caseNo: string;
  subject: string;
  category: string;
  closedOn?: string;
  proposedRetention: { retention: string; label: string; reason: string; source: string };
  job?: { archiveNo: string; retention: string; state: string; attempts: number; lastError?: string };
}

type Outcome =
  | { caseNo: string; outcome: 'archived'; archiveNo: string; files: number; bytes: number; warnings?: string[] }
  | { caseNo: string; outcome: 'busy' | 'completed'; archiveNo: string }
  | { caseNo: string; outcome: 'already-archived'; archiveNo?: string }
  | { caseNo: string; outcome: 'not-eligible'; status: string }
  | { caseNo: string; outcome: 'pending-uploads'; documents: number }
  | { caseNo: string; outcome: 'not-found' | 'deferred' }
  | { caseNo: string; outcome: 'failed'; archiveNo?: string; error: string };

interface RunReport {
  startedAt: string;
  finishedAt: string;
  cases: Outcome[];
  disposals: { archiveNo: string; outcome: string; error?: string }[];
  more: boolean;
}

const OUTCOME_TEXT: Record<Outcome['outcome'], string> = {
  archived: '已归档',
  busy: '正由另一次归档处理',
  completed: '已完成归档收尾',
  'already-archived': '此前已归档',
  'not-eligible': '不符合归档条件',
  'pending-uploads': '有待校验的上传材料，暂不归档',
  'not-found': '未找到',
  failed: '归档失败',
  deferred: '本次未及处理，下次归档继续',
};

const DISPOSAL_TEXT: Record<string, string> = { destroyed: '已销毁', refused: '拒绝销毁', failed: '销毁失败', deferred: '下次继续' };

const PAGE_SIZE = 50;
/** Counting for the confirmation reads at most this many pages of 100. */
const COUNT_PAGES = 50;

/** How many closed cases wait (GET /archive/pending, page by page). */
async function countPending(): Promise<{ count: number; more: boolean }> {
  let count = 0;
  let cursor: string | undefined;
  for (let i = 0; i < COUNT_PAGES; i++) {
    const { data } = await api.get<ResultPage<PendingCase>>('/archive/pending', { query: { limit: 100, cursor } });
    count += data.items.length;
    cursor = data.cursor;
    if (!cursor) return { count, more: false };
  }
  return { count, more: true };
}

export default function ArchivePending(_props: PageProps) {
  const L = useLabels();
  const pages = useCursorPages();
  const list = useLoad(
    (signal) => api.get<ResultPage<PendingCase>>('/archive/pending', { query: { limit: PAGE_SIZE, cursor: pages.current }, signal }).then((r) => r.data),
    [pages.current],
  );
  const [running, setRunning] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [report, setReport] = useState<RunReport>();
  const [open, setOpen] = useState<string>();
  /** 全部归档 asks first: how many cases it will archive (archive numbers cannot be changed afterwards). */
  const [confirmAll, setConfirmAll] = useState<{ count: number; more: boolean } | 'counting'>();
  const [progress, setProgress] = useState<{ archived: number; total: number }>();

  const askAll = async (): Promise<void> => {
    setConfirmAll('counting');
    setError(undefined);
    try {
      setConfirmAll(await countPending());
    } catch (err) {
      setConfirmAll(undefined);
      setError(err);
    }
  };

  const runAll = async (total: number): Promise<void> => {
    setConfirmAll(undefined);
    setRunning('all');
    setError(undefined);
    setReport(undefined);
    setProgress({ archived: 0, total });
    try {
      const merged = await archiveAll(
        () => api.post<RunReport>('/archive/run', {}).then((r) => r.data),
        (archived, partial) => {
          setProgress({ archived, total: Math.max(total, archived) });
          setReport(partial);
        },
      );
      setReport(merged);
    } catch (err) {
      setError(err);
    } finally {
      setRunning(undefined);
      setProgress(undefined);
      list.reload();
    }
  };

  const run = async (key: string, body: object) => {
    setRunning(key);
    setError(undefined);
    setReport(undefined);
    try {
      const { data } = await api.post<RunReport>('/archive/run', body);
      setReport(data);
      setOpen(undefined);
      list.reload();
      return undefined;
    } catch (err) {
      setError(err);
      return err;
    } finally {
      setRunning(undefined);
    }
  };

  const items = list.data?.items ?? [];
  return (
    <Page
      title="待归档"
      actions={
        <Button
          variant="primary"
          onClick={() => void askAll()}
          busy={running === 'all' || confirmAll === 'counting'}
          disabled={running !== undefined || confirmAll !== undefined || items.length === 0}
        >
          全部归档
        </Button>
      }
    >
      <p className="archive-help">
        已办结的案件每日 02:00 自动归档；也可在此立即归档。保管期限按归档规则拟定，档案员可在归档前改定并说明理由（档号生成后不可再改）。
      </p>
      <ErrorBanner error={error} />
      {confirmAll && confirmAll !== 'counting' ? (
        <Card title="确认全部归档" className="archive-confirm">
          <p role="alert">
            将对{' '}
            <strong>
              {confirmAll.count}
              {confirmAll.more ? ' 件以上' : ' 件'}
            </strong>
            已办结的案件按拟定的保管期限归档。档号生成后不可更改，需改定保管期限的案件请先单独归档。
          </p>
          <div className="row">
            <Button variant="primary" onClick={() => void runAll(confirmAll.count)}>
              确认归档 {confirmAll.count}
              {confirmAll.more ? '+' : ''} 件
            </Button>
            <Button onClick={() => setConfirmAll(undefined)}>取消</Button>
          </div>
        </Card>
      ) : null}
      {progress ? (
        <div className="archive-progress" role="status">
          <progress max={progress.total} value={progress.archived} aria-label="归档进度" />
          <span>
            正在归档：已归档 {progress.archived} / {progress.total} 件，请勿关闭页面
          </span>
        </div>
      ) : null}
      {report ? <RunResult report={report} /> : null}
      <Card title={`已办结待归档的案件${list.data ? `（本页 ${items.length} 件）` : ''}`}>
        <ErrorBanner error={list.error} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && items.length === 0 ? <Empty>没有待归档的案件</Empty> : null}
        {items.length > 0 ? (
          <Table head={['案件编号', '题名', '问题类别', '办结日期', '拟定保管期限', '归档情况', '操作']}>
            {items.map((c) => (
              <PendingRow
                key={c.caseNo}
                c={c}
                category={L.category(c.category)}
                open={open === c.caseNo}
                onToggle={() => setOpen(open === c.caseNo ? undefined : c.caseNo)}
                running={running}
                run={run}
              />
            ))}
          </Table>
        ) : null}
        {list.data ? <Pager pages={pages} nextCursor={list.data.cursor} /> : null}
      </Card>
    </Page>
  );
}

function PendingRow({
  c,
  category,
  open,
  onToggle,
  running,
  run,
}: {
  c: PendingCase;
  category: string;
  open: boolean;
  onToggle: () => void;
  running: string | undefined;
  run: (key: string, body: object) => Promise<unknown>;
}) {
  return (
    <>
      <tr data-case={c.caseNo}>
        <td>
          <Link className="archive-no" to={caseLink(c.caseNo)}>
            {c.caseNo}
          </Link>
        </td>
        <td className="archive-subject">{c.subject}</td>
        <td>{category}</td>
        <td className="archive-date">{chineseDate(c.closedOn) || '—'}</td>
        <td>
          <RetentionBadge retention={c.proposedRetention.retention} label={c.proposedRetention.label} />
          <small className="muted">
            {' '}
            {c.proposedRetention.reason}（{retentionSourceText(c.proposedRetention.source)}）
          </small>
        </td>
        <td>
          {c.job ? (
            <>
              档号 <span className="archive-no">{c.job.archiveNo}</span>
              {c.job.attempts > 0 ? (
                <div className="field-error">
                  已尝试 {c.job.attempts} 次{c.job.lastError ? `：${c.job.lastError}` : ''}
                </div>
              ) : null}
            </>
          ) : (
            <span className="muted">未开始</span>
          )}
        </td>
        <td>
          <div className="row">
            <Button
              variant="primary"
              onClick={() => void run(c.caseNo, { caseNos: [c.caseNo] })}
              busy={running === c.caseNo}
              disabled={running !== undefined}
              data-case={c.caseNo}
            >
              立即归档
            </Button>
            {!c.job ? (
              <Button variant="link" onClick={onToggle} aria-expanded={open}>
                改定保管期限
              </Button>
            ) : null}
          </div>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={7}>
            <OverrideForm c={c} running={running} run={run} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function OverrideForm({ c, running, run }: { c: PendingCase; running: string | undefined; run: (key: string, body: object) => Promise<unknown> }) {
  const vocab = useVocab();
  const [draft, setDraft, clear] = useDraft(`archive-override.${c.caseNo}`, { retention: c.proposedRetention.retention, reason: '' });
  const [error, setError] = useState<unknown>();
  const errors = fieldErrorsOf(error);
  const key = `${c.caseNo}#override`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      // Validated here first, so the message is next to the field; the API checks again.
      if (draft.reason.trim().length < 2)
        throw new ApiError(400, 'VALIDATION', '请填写改定理由', [{ field: 'overrides.0.reason', reason: '请填写改定理由（至少 2 个字）' }]);
      const failed = await run(key, { caseNos: [c.caseNo], overrides: [{ caseNo: c.caseNo, retention: draft.retention, reason: draft.reason.trim() }] });
      if (failed) setError(failed);
      else clear();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="archive-row-form" noValidate onSubmit={(e) => void submit(e)} aria-label={`改定 ${c.caseNo} 的保管期限`}>
      <Select
        label="保管期限"
        name="retention"
        value={draft.retention}
        onChange={(e) => setDraft({ ...draft, retention: e.target.value })}
        options={vocab.retentionClasses}
        error={errors['overrides.0.retention']}
      />
      <TextInput
        label="改定理由"
        name="overrideReason"
        value={draft.reason}
        onChange={(e) => setDraft({ ...draft, reason: e.target.value })}
        error={errors['overrides.0.reason']}
        autoComplete="off"
      />
      <div className="field">
        <Button type="submit" variant="primary" busy={running === key} disabled={running !== undefined}>
          按改定期限归档
        </Button>
      </div>
    </form>
  );
}

function RunResult({ report }: { report: RunReport }) {
  const failed = report.cases.filter((c) => c.outcome === 'failed').length;
  const archived = report.cases.filter((c) => c.outcome === 'archived').length;
  return (
    <Card title="本次归档结果">
      <Notice kind={failed > 0 ? 'warn' : 'success'}>
        归档 {archived} 件{failed > 0 ? `，失败 ${failed} 件` : ''}
        {report.more ? '；其余案件暂未能归档（见下表说明），将在每日自动归档时继续' : ''}。
      </Notice>
      {report.cases.length > 0 ? (
        <Table head={['案件编号', '结果', '档号', '说明']}>
          {report.cases.map((o) => {
            const archiveNo = 'archiveNo' in o ? o.archiveNo : undefined;
            return (
              <tr key={o.caseNo}>
                <td className="archive-no">{o.caseNo}</td>
                <td>
                  <span
                    className={`badge ${o.outcome === 'failed' ? 'badge-problem' : o.outcome === 'archived' || o.outcome === 'completed' ? 'badge-ok' : ''}`}
                  >
                    {OUTCOME_TEXT[o.outcome]}
                  </span>
                </td>
                <td>
                  {archiveNo ? (
                    <Link className="archive-no" to={packageLink(archiveNo)}>
                      {archiveNo}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {o.outcome === 'failed' ? (
                    <span className="field-error">{o.error}</span>
                  ) : o.outcome === 'archived' ? (
                    `${o.files} 个文件`
                  ) : o.outcome === 'pending-uploads' ? (
                    `${o.documents} 份上传材料待校验，每日上传核对后再归档`
                  ) : (
                    ''
                  )}
                  {o.outcome === 'archived' && o.warnings
                    ? o.warnings.map((w) => (
                        <div key={w} className="muted">
                          {w}
                        </div>
                      ))
                    : null}
                </td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      {report.disposals.length > 0 ? (
        <ul>
          {report.disposals.map((d) => (
            <li key={d.archiveNo}>
              {d.archiveNo}：{DISPOSAL_TEXT[d.outcome] ?? d.outcome}
              {d.error ? `（${d.error}）` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

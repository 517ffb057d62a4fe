/**
 * 档案详情 (#/archive/packages/:archiveNo): one archived package (GET /archive/packages/{no}):
 * its retention, dates, manifest hash, disposal state and files with their SHA-256.
 *
 * Retrieval (调阅) needs a stated purpose (查阅目的): each file's “调阅” asks the API for a
 * short-lived link (POST …/download {path, purpose}; the API records the retrieval in the case's
 * audit trail before the link exists), then shows a PDF or image in the page, or offers the
 * download. The API's error about the purpose is shown next to the purpose field.
 *
 * An archivist also lends the package (借阅, POST …/loans) and proposes destroying it once its
 * retention has ended; a director approves a proposal.
 */
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { chineseDate, dateTime, fileSize, todayInBeijing } from '../../lib/format';
import { useDraft, useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { caseLink, Link } from '../../lib/router';
import { useLabels } from '../../lib/vocab';
import { FileViewer } from '../../components/FileViewer';
import { Button, Card, Empty, ErrorBanner, Loading, Notice, Page, Table, TextArea, TextInput } from '../../components/ui';
import { usePeople } from '../../lib/people';
import { checkVerdict, useFixityCheck } from './fixity-check';
import {
  DISPOSAL_STATES,
  fieldErrorsOf,
  Hash,
  hasRole,
  keptUntil,
  packagePath,
  RetentionBadge,
  retentionSourceText,
  type DisposalRecord,
  type DownloadLink,
  type PackageFile,
  type PackageView,
} from './shared';

const ROLE_TEXT: Record<PackageFile['role'], string> = { original: '原件', metadata: '元数据', registration: '登记表' };

/** The API's message for the purpose field, worded for this form. */
function purposeError(error: unknown): string | undefined {
  const msg = fieldErrorsOf(error).purpose;
  if (msg === undefined) return undefined;
  return msg === '请填写理由' || msg === '必填' ? '请填写查阅目的（至少 2 个字），调阅将记入案件的审计记录' : msg;
}

export default function ArchivePackage({ params, session }: PageProps) {
  const archiveNo = params.archiveNo ?? '';
  const roles = session.user.roles as readonly string[];
  const pkg = useLoad((signal) => api.get<PackageView>(packagePath(archiveNo), { signal }).then((r) => r.data), [archiveNo]);

  return (
    <Page
      title={
        <>
          档案 <span className="archive-no">{archiveNo}</span>
        </>
      }
      actions={
        hasRole(roles, 'archivist') ? (
          <Link className="btn" to="/archive">
            返回档案检索
          </Link>
        ) : null
      }
    >
      {pkg.loading && !pkg.data ? <Loading /> : null}
      {pkg.error ? (
        <ErrorBanner
          error={pkg.error instanceof ApiError && pkg.error.status === 404 ? new Error('未找到该档案，或您无权查阅（需档案员借阅授权）') : pkg.error}
        />
      ) : null}
      {pkg.data ? <PackageBody pkg={pkg.data} roles={roles} reload={pkg.reload} /> : null}
    </Page>
  );
}

function PackageBody({ pkg, roles, reload }: { pkg: PackageView; roles: readonly string[]; reload: () => void }) {
  const L = useLabels();
  const person = usePeople();
  const s = pkg.summary;
  const isArchivist = hasRole(roles, 'archivist');
  return (
    <>
      {pkg.loan ? (
        <Notice kind="info">
          借阅中：至 {dateTime(pkg.loan.until)}，借阅目的：{pkg.loan.purpose}。每次调阅均记入审计记录。
        </Notice>
      ) : null}
      {pkg.state === 'disposed' ? <Notice kind="warn">该档案已于 {chineseDate(pkg.disposal?.destroyedAt)} 销毁，仅保留销毁记录。</Notice> : null}
      <Card title="档案信息">
        <dl className="facts">
          <dt>档号</dt>
          <dd className="archive-no">{pkg.archiveNo}</dd>
          <dt>案件编号</dt>
          <dd>
            <Link className="archive-no" to={caseLink(pkg.caseNo)}>
              {pkg.caseNo}
            </Link>
          </dd>
          {s ? (
            <>
              <dt>题名</dt>
              <dd>{s.subject}</dd>
              <dt>信访人</dt>
              <dd>{s.petitioners.join('、')}</dd>
              <dt>问题类别</dt>
              <dd>{L.category(s.category)}</dd>
              <dt>承办单位</dt>
              <dd>{s.departments.map((d) => L.department(d)).join('、') || '—'}</dd>
              <dt>登记日期</dt>
              <dd>{chineseDate(s.receivedOn)}</dd>
              <dt>办结日期</dt>
              <dd>{chineseDate(s.closedOn) || '—'}</dd>
              <dt>年度</dt>
              <dd>{s.year}</dd>
            </>
          ) : null}
          <dt>保管期限</dt>
          <dd>
            <RetentionBadge retention={pkg.retention} label={pkg.retentionLabel} /> {pkg.retentionReason}
            <span className="muted">（{retentionSourceText(pkg.retentionSource)}）</span>
            {pkg.override ? (
              <div className="muted">
                档案员 {person(pkg.override.by)} 指定，理由：{pkg.override.reason}
              </div>
            ) : null}
          </dd>
          <dt>保管期满</dt>
          <dd>{pkg.retentionEnds ? `${chineseDate(keptUntil(pkg.retentionEnds))}（${chineseDate(pkg.retentionEnds)}起可鉴定销毁）` : '永久保存'}</dd>
          <dt>锁定至</dt>
          <dd>
            {chineseDate(pkg.lockUntil)}
            <span className="muted">（对象锁定，期满前不可删除或改写）</span>
          </dd>
          <dt>归档时间</dt>
          <dd>{dateTime(pkg.archivedAt)}</dd>
          <dt>清单哈希（SHA-256）</dt>
          <dd>
            <Hash value={pkg.manifestSha256} full />
          </dd>
          <dt>处置状态</dt>
          <dd>{pkg.disposal ? <DisposalText d={pkg.disposal} /> : pkg.state === 'disposed' ? '已销毁' : '保管中'}</dd>
        </dl>
      </Card>

      {pkg.state !== 'disposed' ? <Retrieval pkg={pkg} /> : null}
      {isArchivist && pkg.state !== 'disposed' ? <Loans archiveNo={pkg.archiveNo} /> : null}
      {isArchivist && pkg.state !== 'disposed' ? <FixityCheck archiveNo={pkg.archiveNo} /> : null}
      <Disposal pkg={pkg} roles={roles} reload={reload} />
    </>
  );
}

function DisposalText({ d }: { d: DisposalRecord }) {
  return (
    <div>
      <span className={`badge badge-${d.state}`}>{DISPOSAL_STATES[d.state]}</span> {d.proposedBy} 于 {dateTime(d.proposedAt)} 提出，理由：{d.reason}
      {d.approvedBy ? (
        <div className="muted">
          {d.approvedBy} 于 {dateTime(d.approvedAt)} 批准{d.approvalComment ? `，意见：${d.approvalComment}` : ''}
        </div>
      ) : null}
    </div>
  );
}

function Retrieval({ pkg }: { pkg: PackageView }) {
  const [purpose, setPurpose] = useDraft(`archive-purpose.${pkg.archiveNo}`, '');
  const [busyPath, setBusyPath] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [shown, setShown] = useState<{ file: PackageFile; link: DownloadLink }>();
  const purposeRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<HTMLDivElement>(null);

  const retrieve = async (file: PackageFile) => {
    setBusyPath(file.path);
    setError(undefined);
    try {
      const { data } = await api.post<DownloadLink>(packagePath(pkg.archiveNo, 'download'), { path: file.path, purpose });
      setShown({ file, link: data });
      requestAnimationFrame(() => viewerRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    } catch (err) {
      setError(err);
      if (purposeError(err)) purposeRef.current?.querySelector('textarea')?.focus();
    } finally {
      setBusyPath(undefined);
    }
  };

  const purposeMsg = purposeError(error);
  return (
    <Card title="调阅文件">
      <p className="archive-help">调阅须填写查阅目的；每次调阅（人员、时间、文件及其哈希、目的）均记入案件的审计记录。下载链接 5 分钟内有效。</p>
      <div className="archive-purpose" ref={purposeRef}>
        <TextArea
          label="查阅目的"
          name="purpose"
          required
          rows={2}
          maxLength={500}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
          placeholder="如：信访人再次来访，核对原答复意见"
          error={purposeMsg}
        />
      </div>
      {error && !purposeMsg ? <ErrorBanner error={error} /> : null}
      {pkg.files.length === 0 ? (
        <Empty>该档案没有文件</Empty>
      ) : (
        <div className="archive-files">
          <Table head={['#', '题名', '类别', '日期', '页数', '大小', 'SHA-256', '操作']} caption="卷内文件">
            {pkg.files.map((f, i) => (
              <tr key={f.path} className={shown?.file.path === f.path ? 'archive-file-open' : undefined} data-path={f.path}>
                <td>{i + 1}</td>
                <td>{f.title}</td>
                <td>{ROLE_TEXT[f.role]}</td>
                <td>{f.date ? chineseDate(f.date) : '—'}</td>
                <td>{f.pages ?? '—'}</td>
                <td>{f.size ? fileSize(f.size) : '—'}</td>
                <td>
                  <Hash value={f.sha256} />
                </td>
                <td>
                  <Button variant="primary" onClick={() => void retrieve(f)} busy={busyPath === f.path} disabled={busyPath !== undefined} data-path={f.path}>
                    调阅
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      {shown ? (
        <div className="archive-viewer" ref={viewerRef}>
          <div className="archive-viewer-head">
            <strong title={shown.link.fileName}>{shown.file.title}</strong>
            <Button variant="link" onClick={() => setShown(undefined)}>
              关闭预览
            </Button>
          </div>
          <Notice kind="success">
            已调阅并记录。SHA-256：
            <Hash value={shown.link.sha256} full />
          </Notice>
          <FileViewer key={shown.link.url} url={shown.link.url} contentType={shown.file.contentType} fileName={shown.link.fileName} />
        </div>
      ) : null}
    </Card>
  );
}

interface LoanForm {
  username: string;
  days: string;
  purpose: string;
}

/** 立即检查 of this package: its files re-hashed against its manifest now. */
function FixityCheck({ archiveNo }: { archiveNo: string }) {
  const check = useFixityCheck();
  return (
    <Card
      title="完整性检查"
      actions={
        <Button onClick={() => void check.run([archiveNo])} busy={check.busy}>
          立即检查
        </Button>
      }
    >
      <p className="archive-help">
        重新计算本档案全部文件的 SHA-256，与档案清单核对；发现的问题记入案件审计记录。检查报告见<Link to="/archive/fixity">完整性检查</Link>。
      </p>
      {check.result ? <Notice kind={check.result.problems > 0 ? 'warn' : 'success'}>{checkVerdict(check.result)}</Notice> : null}
      <ErrorBanner error={check.error} />
    </Card>
  );
}

function Loans({ archiveNo }: { archiveNo: string }) {
  const person = usePeople();
  const [form, setForm, clear] = useDraft<LoanForm>(`archive-loan.${archiveNo}`, { username: '', days: '7', purpose: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ username: string; until: string }>();
  const errors = fieldErrorsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const days = Number(form.days);
      const { data } = await api.post<{ username: string; until: string }>(packagePath(archiveNo, 'loans'), {
        username: form.username.trim(),
        days: Number.isFinite(days) ? days : 0,
        purpose: form.purpose,
      });
      setDone(data);
      clear();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="借阅">
      <p className="archive-help">借给其他用户在期限内查阅本档案（承办单位仅限曾交办给它的案件）；借阅及借阅期内的每次调阅均记入审计记录。</p>
      {done ? (
        <Notice kind="success">
          已借阅给 {person(done.username)}（{done.username}），至 {dateTime(done.until)}。
        </Notice>
      ) : null}
      <ErrorBanner error={error} />
      <form className="archive-inline-form" noValidate onSubmit={(e) => void submit(e)} aria-label="借阅">
        <TextInput
          label="借阅人用户名"
          name="username"
          required
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          error={errors.username}
          autoComplete="off"
          placeholder="如 hrss1"
        />
        <TextInput
          label="借阅天数"
          name="days"
          type="number"
          min={1}
          max={365}
          required
          value={form.days}
          onChange={(e) => setForm({ ...form, days: e.target.value })}
          error={errors.days}
        />
        <TextInput
          label="借阅目的"
          name="loanPurpose"
          required
          value={form.purpose}
          onChange={(e) => setForm({ ...form, purpose: e.target.value })}
          error={errors.purpose}
          autoComplete="off"
        />
        <div className="archive-form-actions">
          <Button type="submit" busy={busy}>
            借阅
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Disposal({ pkg, roles, reload }: { pkg: PackageView; roles: readonly string[]; reload: () => void }) {
  const [reason, setReason] = useDraft(`archive-dispose.${pkg.archiveNo}`, '');
  const [comment, setComment] = useDraft(`archive-approve.${pkg.archiveNo}`, '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const errors = fieldErrorsOf(error);
  const ended = pkg.retentionEnds !== undefined && pkg.retentionEnds <= todayInBeijing();
  const canPropose = hasRole(roles, 'archivist') && pkg.state === 'purged' && ended && !pkg.disposal;
  const canApprove = hasRole(roles, 'director') && pkg.disposal?.state === 'proposed';
  if (!canPropose && !canApprove) return null;

  const send = async (path: string, body: object, done: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(packagePath(pkg.archiveNo, ...path.split('/')), body);
      done();
      reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="到期鉴定与销毁">
      <ErrorBanner error={error} />
      {canPropose ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send('disposal', { reason }, () => setReason(''));
          }}
          aria-label="提出销毁"
        >
          <p className="archive-help">保管期限已满。提出销毁须说明鉴定理由，经主任批准后由下一次归档运行销毁。</p>
          <TextArea label="销毁理由" name="reason" required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} />
          <Button type="submit" variant="danger" busy={busy}>
            提出销毁
          </Button>
        </form>
      ) : null}
      {canApprove ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send('disposal/approve', comment.trim() ? { comment } : {}, () => setComment(''));
          }}
          aria-label="批准销毁"
        >
          <TextArea label="审批意见" name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} error={errors.comment} />
          <Button type="submit" variant="danger" busy={busy}>
            批准销毁
          </Button>
        </form>
      ) : null}
    </Card>
  );
}

/**
 * 完整性检查 (#/archive/fixity): the fixity reports (GET /archive/fixity), newest first. Each
 * check re-hashed the archived files against their packages' manifests: the scheduled pass
 * (archive-verify: monthly, continued daily until done), an archivist's 立即检查 of named
 * packages (fixity-check.tsx), and checks run by the operator's `npm run archive:verify`. A report lists every missing or altered file with the hash the
 * manifest expects and the one found; each problem is also in the case's audit trail.
 */
import type { FixityPass as ServerFixityPass, FixityProblem, FixityReportRecord as FixityReport } from '@shared/app/archive-ports';
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import type { PageProps } from '../../lib/page';
import { Link } from '../../lib/router';
import { useState, type FormEvent } from 'react';
import { Button, Card, Empty, ErrorBanner, Loading, Notice, Page, Table, TextInput } from '../../components/ui';
import { usePeople } from '../../lib/people';
import { checkVerdict, parseRefs, useFixityCheck } from './fixity-check';
import { Hash, packageLink, Pager, useCursorPages } from './shared';

type FixityPass = Omit<ServerFixityPass, 'cursor' | 'problemList'>;

interface Reports {
  items: FixityReport[];
  cursor?: string;
  pass: FixityPass | null;
}

const SOURCE_TEXT: Record<FixityReport['source'], string> = { scheduled: '定期检查', command: '专项检查', manual: '立即检查' };
const STATE_TEXT: Record<FixityReport['state'], string> = { open: '进行中', done: '已完成', incomplete: '未完成' };
const PROBLEM_TEXT: Record<FixityProblem['problem'], string> = { missing: '文件缺失', mismatch: '哈希不符（已被改动）' };
const PAGE_SIZE = 10;

export default function ArchiveFixity(_props: PageProps) {
  const pages = useCursorPages();
  const list = useLoad(
    (signal) => api.get<Reports>('/archive/fixity', { query: { limit: PAGE_SIZE, cursor: pages.current }, signal }).then((r) => r.data),
    [pages.current],
  );
  const latest = list.data?.items[0];
  return (
    <Page
      title="完整性检查"
      actions={
        <Button onClick={list.reload} busy={list.loading}>
          刷新
        </Button>
      }
    >
      <p className="archive-help">
        逐一重新计算归档文件的 SHA-256，与档案清单核对，清单本身与案件上记录的哈希核对。定期检查每月 1 日 03:00 开始对全部档案进行一轮，未完成的每日 03:30
        继续；档案员可随时对指定档案立即检查（下方填写档号或案件编号，或在档案页点“立即检查”）。发现的问题同时记入该案件的审计记录并触发告警。
      </p>
      <CheckNow onDone={list.reload} />
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && pages.page === 1 ? <Overview latest={latest} pass={list.data.pass} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <Card>
          <Empty>尚无完整性检查报告</Empty>
        </Card>
      ) : null}
      {list.data?.items.map((r) => (
        <ReportCard key={`${r.startedAt}#${r.reportId}`} r={r} />
      ))}
      {list.data ? <Pager pages={pages} nextCursor={list.data.cursor} labels={['较新的报告', '更早的报告']} /> : null}
    </Page>
  );
}

/** 立即检查: the archive or case numbers typed, checked now; the new report then heads the list. */
function CheckNow({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const check = useFixityCheck();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const refs = parseRefs(text);
    setMissing(refs.length === 0);
    if (refs.length === 0) return;
    if (await check.run(refs)) onDone();
  };
  return (
    <Card title="立即检查">
      {check.result ? <Notice kind={check.result.problems > 0 ? 'warn' : 'success'}>{checkVerdict(check.result)}</Notice> : null}
      <ErrorBanner error={check.error} />
      <form className="archive-inline-form" noValidate onSubmit={(e) => void submit(e)} aria-label="立即检查">
        <TextInput
          label="档号或案件编号"
          name="refs"
          required
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={missing ? '请填写要检查的档号或案件编号' : undefined}
          autoComplete="off"
          placeholder="可填多个，用空格、逗号或顿号分隔"
        />
        <div className="archive-form-actions">
          <Button type="submit" variant="primary" busy={check.busy}>
            立即检查
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Overview({ latest, pass }: { latest: FixityReport | undefined; pass: FixityPass | null }) {
  if (!latest) return null;
  return (
    <>
      {latest.problems > 0 ? (
        <Notice kind="warn">
          最近一次检查（{dateTime(latest.startedAt)}）发现 {latest.problems} 个问题：归档文件缺失或被改动，请核查并从备份恢复。
        </Notice>
      ) : (
        <Notice kind="success">
          最近一次检查（{dateTime(latest.startedAt)}）未发现问题：{latest.packages} 件档案、{latest.files} 个文件完整。
        </Notice>
      )}
      {pass?.state === 'open' ? (
        <Notice kind="info">
          定期检查进行中：自 {dateTime(pass.startedAt)} 起已检查 {pass.packages} 件档案、{pass.files} 个文件，最近更新 {dateTime(pass.updatedAt)}。
        </Notice>
      ) : null}
    </>
  );
}

function ReportCard({ r }: { r: FixityReport }) {
  const person = usePeople();
  const cls = r.problems > 0 ? 'archive-report-problem' : r.state !== 'done' ? 'archive-report-open' : '';
  return (
    <Card
      className={`archive-report ${cls}`}
      title={
        <>
          {dateTime(r.startedAt)} {SOURCE_TEXT[r.source]}
          {r.requestedBy ? `（${person(r.requestedBy)}）` : null}
        </>
      }
      actions={
        <div className="row">
          <span className={`badge badge-${r.state}`}>{STATE_TEXT[r.state]}</span>
          {r.problems > 0 ? <span className="badge badge-problem">{r.problems} 个问题</span> : <span className="badge badge-ok">完好</span>}
        </div>
      }
    >
      <div className="archive-report-stats">
        <div>
          <strong>{r.packages}</strong>
          <span>检查档案（件）</span>
        </div>
        <div>
          <strong>{r.files}</strong>
          <span>检查文件（个）</span>
        </div>
        <div>
          <strong>{r.problems}</strong>
          <span>问题</span>
        </div>
        <div>
          <strong className="archive-stat-small">{dateTime(r.updatedAt)}</strong>
          <span>最近更新</span>
        </div>
      </div>
      {r.refs ? <p className="archive-help">检查范围：{r.refs.join('、')}</p> : null}
      {r.notFound && r.notFound.length > 0 ? <p className="field-error">未找到的档案：{r.notFound.join('、')}</p> : null}
      {r.problemList.length > 0 ? (
        <Table head={['档号', '案件编号', '文件', '问题', '清单记录的 SHA-256', '实际 SHA-256']} caption="发现的问题">
          {r.problemList.map((p) => (
            <tr key={`${p.archiveNo}/${p.path}`}>
              <td>
                <Link className="archive-no" to={packageLink(p.archiveNo)}>
                  {p.archiveNo}
                </Link>
              </td>
              <td className="archive-no">{p.caseNo}</td>
              <td className="archive-hash">{p.path}</td>
              <td className="field-error">{PROBLEM_TEXT[p.problem]}</td>
              <td>
                <Hash value={p.expected} />
              </td>
              <td>{p.problem === 'missing' ? <span className="muted">（缺失）</span> : <Hash value={p.actual} />}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {r.problems > r.problemList.length ? (
        <p className="archive-help">仅列出前 {r.problemList.length} 个问题，全部问题见各案件的审计记录与 archive-verify 日志。</p>
      ) : null}
    </Card>
  );
}

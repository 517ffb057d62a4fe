/**
 * The archivist's 工作台: what waits for the records office, from the archive's own routes —
 * closed cases waiting to be archived, packages whose retention has ended, and the last fixity
 * check. (The office's dashboard lists open cases, which archivists do not read: DESIGN §7.)
 */
import { api } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { useLoad } from '../../lib/hooks';
import { Link } from '../../lib/router';
import { Card, ErrorBanner, Loading, Page } from '../../components/ui';
import '../dashboard.css';

const LIMIT = 100;

interface Overview {
  pending: { count: number; more: boolean };
  disposal: { count: number; more: boolean };
  fixity?: { startedAt: string; state: string; packages: number; problems: number };
}

async function loadOverview(signal: AbortSignal): Promise<Overview> {
  const [pending, disposal, fixity] = await Promise.all([
    api.get<{ items: unknown[]; cursor?: string }>('/archive/pending', { query: { limit: LIMIT }, signal }),
    api.get<{ items: unknown[]; cursor?: string }>('/archive/disposal', { query: { limit: LIMIT }, signal }),
    api.get<{ items: { startedAt: string; state: string; packages: number; problems: number }[] }>('/archive/fixity', { query: { limit: 1 }, signal }),
  ]);
  return {
    pending: { count: pending.data.items.length, more: Boolean(pending.data.cursor) },
    disposal: { count: disposal.data.items.length, more: Boolean(disposal.data.cursor) },
    fixity: fixity.data.items[0],
  };
}

export default function ArchiveOverview() {
  const { data, error, loading, reload } = useLoad(loadOverview, []);
  const count = (c: { count: number; more: boolean }): string => `${c.count}${c.more ? '+' : ''}`;
  return (
    <Page
      title="工作台 · 档案"
      actions={
        <button type="button" className="btn" onClick={reload} disabled={loading}>
          刷新
        </button>
      }
    >
      <ErrorBanner error={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <ul className="dash-tiles" aria-label="统计">
            <li className={`dash-tile ${data.pending.count > 0 ? 'dash-tile-nonzero' : ''}`} data-tile="pending">
              <span className="dash-tile-label">待归档</span>
              <span className="dash-tile-count">
                {count(data.pending)}
                <small> 件</small>
              </span>
              <span className="dash-tile-hint">
                <Link to="/archive/pending">已办结、等待归档的案件</Link>
              </span>
            </li>
            <li className={`dash-tile ${data.disposal.count > 0 ? 'dash-tile-nonzero' : ''}`} data-tile="disposal">
              <span className="dash-tile-label">保管期满</span>
              <span className="dash-tile-count">
                {count(data.disposal)}
                <small> 卷</small>
              </span>
              <span className="dash-tile-hint">
                <Link to="/archive/disposal">待鉴定处置的档案</Link>
              </span>
            </li>
            <li className={`dash-tile ${data.fixity && data.fixity.problems > 0 ? 'dash-tile-nonzero' : ''}`} data-tile="fixity">
              <span className="dash-tile-label">最近一次完整性检查</span>
              <span className="dash-tile-count">
                {data.fixity ? data.fixity.problems : '—'}
                <small> 处问题</small>
              </span>
              <span className="dash-tile-hint">
                <Link to="/archive/fixity">{data.fixity ? `${dateTime(data.fixity.startedAt)}，检查 ${data.fixity.packages} 卷` : '尚无检查记录'}</Link>
              </span>
            </li>
          </ul>
          <Card title="档案检索">
            <p>按档号、年度、案件编号、信访人、问题类别、承办单位或保管期限检索已归档案件，调阅时须填写查阅目的，调阅记录写入案件的审计记录。</p>
            <Link to="/archive" className="btn btn-primary">
              档案检索
            </Link>
          </Card>
        </>
      )}
    </Page>
  );
}

/**
 * The case page (#/cases/XF-2026-000001): one request for the case (GET /cases/{caseNo}, with its
 * documents, clocks and timeline; the ETag is the version every action sends as If-Match), its
 * supervisions fetched in parallel. Sections: the header, 基本信息, 办理情况, 材料 (view, download,
 * upload), 督办, 办理 (the lifecycle actions this user may take now), 办理过程 (the timeline), and
 * 期限 (the clocks, with their derivation on hover and focus) beside them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SupervisionView } from '@shared/app/oversight';
import type { CaseView } from '@shared/app/views';
import { Button, Card, ErrorBanner, Loading, Notice, Page, StatusBadge, DaysLeft } from '../components/ui';
import { ExportButton } from '../components/ExportButton';
import { api, ApiError, casePath } from '../lib/api';
import { chineseDate } from '../lib/format';
import type { PageProps } from '../lib/page';
import { href } from '../lib/router';
import { useLabels } from '../lib/vocab';
import { Clocks } from './case/Clocks';
import { daysBetween, todayInBeijing } from '../lib/format';
import type ActionFormsType from './case/ActionForms';
import { BasicInfo, Handling, hasHandling } from './case/Details';
import { Documents, UploadDocuments, uploadKindsFor } from './case/Documents';
import { Supervisions } from './case/Supervisions';
import { Timeline } from './case/Timeline';
import { Withheld } from './case/Withheld';
import './case/case.css';

// The lifecycle forms, in their own chunk, fetched in parallel with the case. Rendered without
// React.lazy once loaded: a component that suspends delays the page's reveal (React throttles
// the swap from a fallback to content), and the case must show at once.
type ActionFormsComponent = typeof ActionFormsType;
let actionFormsLoaded: ActionFormsComponent | undefined;
let actionFormsLoading: Promise<ActionFormsComponent> | undefined;
function loadActionForms(): Promise<ActionFormsComponent> {
  actionFormsLoading ??= import('./case/ActionForms').then((m) => (actionFormsLoaded = m.default));
  actionFormsLoading.catch(() => {
    actionFormsLoading = undefined;
  });
  return actionFormsLoading;
}

interface Loaded {
  c: CaseView;
  version: number;
}

/** How long to keep polling for an uploaded document's check (1 s apart). */
const POLL_ATTEMPTS = 30;

export default function CasePage({ params, session }: PageProps) {
  const caseNo = params.caseNo ?? '';
  const L = useLabels();
  const user = session.user;
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<unknown>();
  /** The last action's success, kept here: after 承办答复 the department has no form left to show it. */
  const [actionDone, setActionDone] = useState<string | undefined>();
  const [refreshing, setRefreshing] = useState(false);
  const [supervisions, setSupervisions] = useState<SupervisionView[] | undefined>();
  const [supError, setSupError] = useState<unknown>();
  const [watching, setWatching] = useState<string[]>([]);
  const attempts = useRef(0);
  const alive = useRef(true);
  const [ActionForms, setActionForms] = useState<ActionFormsComponent | undefined>(() => actionFormsLoaded);
  const [formsError, setFormsError] = useState<unknown>();

  const fetchCase = useCallback(async (): Promise<void> => {
    setRefreshing(true);
    try {
      const r = await api.get<CaseView>(casePath(caseNo));
      if (!alive.current) return;
      setLoaded({ c: r.data, version: r.version ?? r.data.version });
      setError(undefined);
    } catch (e) {
      if (alive.current) setError(e);
    } finally {
      if (alive.current) setRefreshing(false);
    }
  }, [caseNo]);

  const fetchSupervisions = useCallback(async (): Promise<void> => {
    try {
      const r = await api.get<{ items: SupervisionView[] }>(casePath(caseNo, 'supervisions'));
      if (alive.current) {
        setSupervisions(r.data.items);
        setSupError(undefined);
      }
    } catch (e) {
      if (alive.current) setSupError(e);
    }
  }, [caseNo]);

  // The case and its supervisions, in parallel.
  useEffect(() => {
    alive.current = true;
    void fetchCase();
    void fetchSupervisions();
    if (!actionFormsLoaded) {
      loadActionForms().then(
        (component) => alive.current && setActionForms(() => component),
        (e: unknown) => alive.current && setFormsError(e),
      );
    }
    return () => {
      alive.current = false;
    };
  }, [fetchCase, fetchSupervisions]);

  // After an upload: poll until the new documents are checked (verified or quarantined).
  useEffect(() => {
    if (watching.length === 0 || !loaded) return;
    const stillPending = loaded.c.documents.filter((d) => watching.includes(d.documentId) && d.status === 'pending');
    const missing = watching.filter((id) => !loaded.c.documents.some((d) => d.documentId === id));
    if ((stillPending.length === 0 && missing.length === 0) || attempts.current >= POLL_ATTEMPTS) {
      setWatching([]);
      return;
    }
    const t = setTimeout(() => {
      attempts.current += 1;
      void fetchCase();
    }, 1000);
    return () => clearTimeout(t);
  }, [watching, loaded, fetchCase]);

  useEffect(() => {
    if (loaded) document.title = `${loaded.c.caseNo} ${loaded.c.subject}`;
  }, [loaded]);

  if (!loaded) {
    if (error) {
      const notFound = error instanceof ApiError && error.status === 404;
      return (
        <Page title={notFound ? '未找到案件' : '案件'}>
          {notFound ? (
            <p>
              未找到案件 {caseNo}，或当前账号无权查看。<a href={href('/search')}>返回案件查询</a>
            </p>
          ) : (
            <>
              <ErrorBanner error={error} />
              <Button onClick={() => void fetchCase()}>重试</Button>
            </>
          )}
        </Page>
      );
    }
    return (
      <main className="page case-page" aria-busy="true">
        <Loading label="正在打开案件…" />
      </main>
    );
  }

  const { c } = loaded;
  const today = todayInBeijing();
  const handling = c.clocks.handling;
  const deptDue = c.clocks.departmentDue;
  const runningDays = (clock: typeof handling) => (clock && clock.status === 'running' ? daysBetween(today, clock.due) : undefined);
  const canUpload = uploadKindsFor(c, user).length > 0;
  const supList = supervisions ?? [];
  const onActionDone = (updated: CaseView, message?: string): void => {
    if (message) setActionDone(message);
    // The action's answer carries the new version and state, not the timeline: keep the old
    // timeline on screen while the full case is read again.
    setLoaded({ c: { ...updated, timeline: c.timeline }, version: updated.version });
    void fetchCase();
    void fetchSupervisions();
  };

  return (
    <main className="page case-page" data-testid="case-page-ready" data-case-no={c.caseNo} data-version={loaded.version}>
      <header className="case-head">
        <div className="crumbs">
          <a href={href(user.roles.includes('department') ? '/inbox' : '/search')}>{user.roles.includes('department') ? '待办案件' : '案件查询'}</a> › 案件详情
        </div>
        <h1>
          <span>{c.subject}</span>
          <StatusBadge status={c.status} label={c.statusLabel} />
          {supList.some((s) => s.status === 'open') ? (
            <span className={`level level-${supList.some((s) => s.status === 'open' && s.level === 'flagged') ? 'flagged' : 'supervision'}`}>
              {supList.some((s) => s.status === 'open' && s.level === 'flagged') ? '挂牌督办' : '督办'}
            </span>
          ) : null}
        </h1>
        <dl className="key-dates">
          <div>
            <dt>案件编号</dt>
            <dd className="case-no" data-testid="case-no">
              {c.caseNo}
            </dd>
          </div>
          <div>
            <dt>承办单位</dt>
            <dd>{c.deptCode ? L.department(c.deptCode) : '—'}</dd>
          </div>
          <div>
            <dt>收到日期</dt>
            <dd>{chineseDate(c.receivedOn)}</dd>
          </div>
          {handling ? (
            <div>
              <dt>办理期限</dt>
              <dd>
                {chineseDate(handling.due)} <DaysLeft days={runningDays(handling)} />
              </dd>
            </div>
          ) : null}
          {deptDue ? (
            <div>
              <dt>承办单位办理期限</dt>
              <dd>
                {chineseDate(deptDue.due)} <DaysLeft days={runningDays(deptDue)} />
              </dd>
            </div>
          ) : null}
          {c.delivery ? (
            <div>
              <dt>送达日期</dt>
              <dd>{chineseDate(c.delivery.deliveredOn)}</dd>
            </div>
          ) : null}
        </dl>
        <PrintBar c={c} roles={user.roles} />
      </header>
      {error ? <ErrorBanner error={error} /> : null}

      <div className="case-layout">
        <div className="case-main">
          <Card title="基本信息">
            <BasicInfo c={c} user={user} onAudited={() => void fetchCase()} />
          </Card>

          {hasHandling(c) ? (
            <Card title="办理情况">
              <Handling c={c} />
            </Card>
          ) : null}

          <Card
            title={`材料（${c.documents.length}）`}
            actions={refreshing && watching.length > 0 ? <span className="muted">正在校验上传的文件…</span> : undefined}
          >
            <Documents c={c} user={user} onAudited={() => void fetchCase()} onCaseChanged={() => void fetchCase()} />
            {canUpload ? (
              <UploadDocuments
                c={c}
                user={user}
                onUploaded={(ids) => {
                  attempts.current = 0;
                  setWatching(ids);
                  void fetchCase();
                }}
              />
            ) : null}
          </Card>

          {supList.length > 0 || supError ? (
            <Card title="督办" className={`card-supervision ${supList.some((s) => s.status === 'open' && s.level === 'flagged') ? 'flagged' : ''}`}>
              <ErrorBanner error={supError} />
              <Supervisions
                c={c}
                items={supList}
                user={user}
                onChange={() => {
                  void fetchSupervisions();
                  void fetchCase();
                }}
              />
            </Card>
          ) : null}

          {c.actions.length > 0 || c.withheld.length > 0 || actionDone ? (
            <Card title="办理" className="card-actions">
              {actionDone ? <Notice kind="success">{actionDone}</Notice> : null}
              <Withheld items={c.withheld} />
              {c.actions.length === 0 ? null : ActionForms ? (
                <ActionForms caseView={c} onDone={onActionDone} onStart={() => setActionDone(undefined)} />
              ) : formsError ? (
                <ErrorBanner error={new Error('办理表单加载失败，请刷新页面重试')} />
              ) : (
                <Loading />
              )}
            </Card>
          ) : null}

          <Card title="办理过程">
            <Timeline events={c.timeline} documents={c.documents} />
          </Card>
        </div>

        <aside className="case-side" aria-label="期限">
          <Card title="期限">
            <Clocks clocks={c.clocks} />
            <p className="hint" style={{ marginBottom: 0 }}>
              将鼠标移到日期上（或用 Tab 键选中）可查看期限的计算依据。
            </p>
          </Card>
        </aside>
      </div>
    </main>
  );
}

/**
 * 打印 (issue 18 item 11): the page itself (the print stylesheet leaves out the navigation, buttons,
 * the upload box and the action forms), and the office's forms as PDF (GET /exports/forms):
 * 登记表 (来访登记表 for a visit), 交办单 / 转办单 once decided, 送达回证 once a letter went out.
 */
function PrintBar({ c, roles }: { c: CaseView; roles: readonly string[] }) {
  if (!roles.some((r) => r === 'clerk' || r === 'director' || r === 'department')) return null;
  const served = c.documents.some((d) => d.kind === 'generated' && d.toPetitioner && d.letterKind !== 'receipt');
  const form = (name: string) => ({ form: name, caseNos: c.caseNo });
  return (
    <div className="case-print no-print" role="group" aria-label="打印">
      <Button variant="link" onClick={() => window.print()}>
        打印本页
      </Button>
      <ExportButton path="/exports/forms" query={form('registration')} label={c.channel.type === 'visit' ? '来访登记表' : '登记表'} />
      {c.decision?.action === 'transfer' || c.deptCode ? (
        <ExportButton path="/exports/forms" query={form('assignment')} label={c.decision?.action === 'transfer' ? '转办单' : '交办单'} />
      ) : null}
      {served ? <ExportButton path="/exports/forms" query={form('service-receipt')} label="送达回证" /> : null}
    </div>
  );
}

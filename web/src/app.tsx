/**
 * The application shell: sign-in gate, the header with the navigation of the user's roles, and
 * the routes. Every page but sign-in is loaded on demand, so the first screen stays small.
 */
import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { PageProps } from './lib/page';
import { currentSession, onSessionChange, recheckSession, signOut, type Session } from './lib/auth';
import { config } from './lib/config';
import { href, matchPath, navigate, useLocation } from './lib/router';
import { useLabels, useVocab } from './lib/vocab';
import { recheckDelayMs, sameSession } from './lib/session-clock';
import { Loading } from './components/ui';
import SignIn from './pages/SignIn';
import { CASE_READERS, homeOf, navFor } from './nav';

type Role = Session['user']['roles'][number];
type PageComponent = LazyExoticComponent<ComponentType<PageProps>>;

interface RouteEntry {
  pattern: string;
  page: PageComponent;
  /** Who may open it; undefined: any signed-in user. */
  roles?: Role[];
}

const Dashboard = lazy(() => import('./pages/Dashboard'));
const Search = lazy(() => import('./pages/Search'));
const Reports = lazy(() => import('./pages/reports/Reports'));
const ReportCases = lazy(() => import('./pages/reports/ReportCases'));
const Register = lazy(() => import('./pages/Register'));
const Approvals = lazy(() => import('./pages/Approvals'));
const Inbox = lazy(() => import('./pages/Inbox'));
const CasePage = lazy(() => import('./pages/CasePage'));
const ArchiveSearch = lazy(() => import('./pages/archive/ArchiveSearch'));
const ArchivePackage = lazy(() => import('./pages/archive/ArchivePackage'));
const ArchivePending = lazy(() => import('./pages/archive/ArchivePending'));
const ArchiveDisposal = lazy(() => import('./pages/archive/ArchiveDisposal'));
const ArchiveFixity = lazy(() => import('./pages/archive/ArchiveFixity'));
const Public = lazy(() => import('./pages/Public'));
const Online = lazy(() => import('./pages/Online'));
const OnlineQueue = lazy(() => import('./pages/OnlineQueue'));
const Admin = lazy(() => import('./pages/Admin'));
const AdminCalendar = lazy(() => import('./pages/admin/AdminCalendar'));
const AdminDepartments = lazy(() => import('./pages/admin/AdminDepartments'));
const AdminCategories = lazy(() => import('./pages/admin/AdminCategories'));
const AdminUsers = lazy(() => import('./pages/admin/AdminUsers'));
const AdminAudit = lazy(() => import('./pages/admin/AdminAudit'));
const AdminSettings = lazy(() => import('./pages/admin/AdminSettings'));

const ROUTES: RouteEntry[] = [
  { pattern: '/dashboard', page: Dashboard, roles: CASE_READERS },
  { pattern: '/search', page: Search, roles: CASE_READERS },
  { pattern: '/reports', page: Reports, roles: ['clerk', 'director', 'department'] },
  { pattern: '/reports/cases', page: ReportCases, roles: ['clerk', 'director', 'department'] },
  { pattern: '/register', page: Register, roles: ['clerk'] },
  { pattern: '/online-queue', page: OnlineQueue, roles: ['clerk'] },
  { pattern: '/approvals', page: Approvals, roles: ['director'] },
  { pattern: '/inbox', page: Inbox, roles: ['department'] },
  { pattern: '/cases/:caseNo', page: CasePage, roles: CASE_READERS },
  { pattern: '/archive', page: ArchiveSearch, roles: ['archivist'] },
  { pattern: '/archive/packages/:archiveNo', page: ArchivePackage },
  { pattern: '/archive/pending', page: ArchivePending, roles: ['archivist'] },
  { pattern: '/archive/disposal', page: ArchiveDisposal, roles: ['archivist', 'director'] },
  { pattern: '/archive/fixity', page: ArchiveFixity, roles: ['archivist'] },
  { pattern: '/admin', page: Admin, roles: ['admin'] },
  { pattern: '/admin/calendar', page: AdminCalendar, roles: ['admin'] },
  { pattern: '/admin/departments', page: AdminDepartments, roles: ['admin'] },
  { pattern: '/admin/categories', page: AdminCategories, roles: ['admin'] },
  { pattern: '/admin/users', page: AdminUsers, roles: ['admin'] },
  { pattern: '/admin/audit', page: AdminAudit, roles: ['admin'] },
  { pattern: '/admin/settings', page: AdminSettings, roles: ['admin'] },
];

/**
 * The browser's session (shared by its tabs); it ends by itself when the token expires. Another
 * read of the same sign-in keeps the state as it is: a notification that changes nothing must not
 * render the whole application again (nor restart the expiry timer).
 */
function useSession(): Session | undefined {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange((next) => setSession((current) => (sameSession(current, next) ? current : next))), []);
  useEffect(() => {
    if (!session) return undefined;
    const timer = setTimeout(recheckSession, recheckDelayMs(session.expiresAt, Date.now()));
    return () => clearTimeout(timer);
  }, [session]);
  return session;
}

/**
 * Sends a signed-in user from '/' (or the sign-in page) to their home page, after the render
 * that found them there, and only if the address is still that: a navigation that happened
 * meanwhile (a link, a pasted address, the sign-in's own landing) is never overwritten. Never
 * during render: a navigation there is a state update React may drop and replay, rewriting the
 * address with a page the user has already left.
 */
function GoHome({ to }: { to: string }) {
  useEffect(() => {
    const path = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
    if (path === '/' || path === '/signin') navigate(to, { replace: true });
  }, [to]);
  return null;
}

export function App() {
  const session = useSession();
  const loc = useLocation();
  const vocab = useVocab();
  const L = useLabels();

  // The petitioner's pages need no account: the query and 网上信访.
  if (loc.path === '/public' || loc.path === '/online') {
    return (
      <Shell title={vocab.office.name} path={loc.path}>
        <Suspense fallback={<Loading />}>{loc.path === '/online' ? <Online /> : <Public />}</Suspense>
      </Shell>
    );
  }
  if (!session) {
    return (
      <Shell title={vocab.office.name} path={loc.path}>
        <SignIn returnTo={loc.path === '/signin' || loc.path === '/' ? undefined : loc.path + (loc.query.size ? `?${loc.query}` : '')} />
      </Shell>
    );
  }
  const roles = session.user.roles;
  if (loc.path === '/' || loc.path === '/signin') return <GoHome to={homeOf(roles)} />;
  let content = <NotFound />;
  for (const r of ROUTES) {
    const params = matchPath(r.pattern, loc.path);
    if (!params) continue;
    if (r.roles && !r.roles.some((role) => roles.includes(role))) {
      content = (
        <main className="page">
          <h1>无权访问</h1>
          <p>当前账号没有此页面的权限。</p>
        </main>
      );
      break;
    }
    const P = r.page;
    content = <P params={params} session={session} key={loc.path} />;
    break;
  }
  const who = `${session.user.displayName}（${session.user.deptCode ? L.department(session.user.deptCode) : roles.map((r) => L.role(r)).join('、')}）`;
  return (
    <Shell
      title={vocab.office.name}
      path={loc.path}
      nav={
        <nav aria-label="主导航">
          {navFor(roles).map((n) => (
            <a key={n.to} href={href(n.to)} aria-current={loc.path === n.to ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
      }
      user={
        <div className="user">
          <span>{who}</span>
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              signOut();
              navigate('/signin');
            }}
          >
            退出
          </button>
        </div>
      }
    >
      <Suspense fallback={<Loading />}>{content}</Suspense>
    </Shell>
  );
}

/** `path`: the page shown (data-path), which the browser tests wait for after a navigation. */
function Shell({ title, path, nav, user, children }: { title: string; path: string; nav?: ReactNode; user?: ReactNode; children: ReactNode }) {
  const env = config().environment;
  return (
    <div className="shell" data-path={path}>
      <header className="topbar">
        <a className="brand" href={href('/')}>
          <span className="brand-seal" aria-hidden="true">
            信
          </span>
          <span>
            {title}
            <small>信访事项登记办理系统</small>
          </span>
        </a>
        {nav}
        {user}
      </header>
      {children}
      <footer className="footer">
        <a href={href('/public')}>信访人查询</a>
        <span>{env === 'local' ? '本地环境（演示数据）' : env}</span>
      </footer>
    </div>
  );
}

function NotFound() {
  return (
    <main className="page">
      <h1>页面不存在</h1>
      <p>
        <a href={href('/')}>返回首页</a>
      </p>
    </main>
  );
}
